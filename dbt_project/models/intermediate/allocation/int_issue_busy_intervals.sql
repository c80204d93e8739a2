{{ config(materialized='table') }}
-- When each issue was both in an in-progress status and assigned to someone: the
-- intersection of its status and assignee intervals (METRICS.md "Allocation of a
-- person's month"). valid_to is null while the issue is still in progress with that
-- person. first_day / last_day are the UTC days the interval touches: an interval
-- ending exactly at midnight does not touch the day that midnight starts. A table, so
-- its tests and int_issue_person_days read it instead of recomputing the join;
-- source_loaded_at is the newer of the two intervals' landings.

with

in_progress as (

    select issue_id, valid_from, valid_to, source_loaded_at
    from {{ ref('int_issue_status_intervals') }}
    where status_category = 'in_progress'

),

assigned as (

    select issue_id, person_key, valid_from, valid_to, source_loaded_at
    from {{ ref('int_issue_assignee_intervals') }}
    where person_key is not null

),

overlapping as (

    select
        in_progress.issue_id,
        assigned.person_key,
        case
            when assigned.valid_from > in_progress.valid_from then assigned.valid_from
            else in_progress.valid_from
        end as valid_from,
        case
            when in_progress.valid_to is null then assigned.valid_to
            when assigned.valid_to is null then in_progress.valid_to
            when assigned.valid_to < in_progress.valid_to then assigned.valid_to
            else in_progress.valid_to
        end as valid_to,
        case
            when assigned.source_loaded_at > in_progress.source_loaded_at
                then assigned.source_loaded_at
            else in_progress.source_loaded_at
        end as source_loaded_at

    from in_progress
    inner join assigned
        on in_progress.issue_id = assigned.issue_id
        and (assigned.valid_to is null or in_progress.valid_from < assigned.valid_to)
        and (in_progress.valid_to is null or assigned.valid_from < in_progress.valid_to)

),

final as (

    select
        issue_id,
        person_key,
        valid_from,
        valid_to,
        cast(valid_from as date) as first_day,
        case
            when valid_to is null then null
            when cast(cast(valid_to as date) as {{ dbt.type_timestamp() }}) = valid_to
                then cast({{ dbt.dateadd('day', -1, 'cast(valid_to as date)') }} as date)
            else cast(valid_to as date)
        end as last_day,
        source_loaded_at

    from overlapping
    where valid_to is null or valid_to > valid_from

)

select * from final
