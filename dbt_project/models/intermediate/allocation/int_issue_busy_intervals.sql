{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='issue_id',
        on_schema_change='append_new_columns',
        pre_hook="{{ busy_intervals_of_changed_issues_deleted() }}",
        post_hook="{{ issues_gone_from_jira_deleted() }}"
    )
}}
-- When each issue was both in an in-progress status and assigned to someone: the
-- intersection of its status and assignee intervals (METRICS.md "Allocation of a
-- person's month"). valid_to is null while the issue is still in progress with that
-- person. first_day / last_day are the UTC days the interval touches: an interval
-- ending exactly at midnight does not touch the day that midnight starts. A table, so
-- its tests and int_issue_person_days read it instead of recomputing the join;
-- source_loaded_at is the newer of the two intervals' landings.
--
-- Incremental by issue: a build recomputes only the issues whose status or assignee
-- intervals were rebuilt after the newest source_loaded_at it holds. Their old rows
-- are deleted first (pre-hook), because a changed issue may have no busy time left;
-- issues gone from Jira are deleted afterwards.

{% if is_incremental() %}
{#- Read first (macros/incremental_windows.sql, changed_issues_in): filtered on as
    literals, both sides are cut down before the join, where a changed-issues join was
    applied after every in-progress interval had met every assignment; a build with no
    new Jira rows joins nothing, and one past the literal cap joins every issue. -#}
{% set changed_issues = changed_issues_in(busy_intervals_changed_issues()) %}
{% endif %}

with

in_progress as (

    select intervals.issue_id, intervals.valid_from, intervals.valid_to, intervals.source_loaded_at
    from {{ ref('int_issue_status_intervals') }} as intervals
    where intervals.status_category = 'in_progress'
    {{ issue_filter('intervals.issue_id', changed_issues) }}

),

assigned as (

    select
        intervals.issue_id,
        intervals.person_key,
        intervals.valid_from,
        intervals.valid_to,
        intervals.source_loaded_at
    from {{ ref('int_issue_assignee_intervals') }} as intervals
    where intervals.person_key is not null
    {{ issue_filter('intervals.issue_id', changed_issues) }}

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
