{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='month',
        on_schema_change='append_new_columns',
        post_hook="{{ months_outside_spine_deleted() }}"
    )
}}
-- depends_on: {{ ref('int_issue_status_intervals') }}
-- depends_on: {{ ref('int_issue_assignee_intervals') }}
-- One row per issue, person and working day on which, at some instant of that UTC day,
-- the issue was in progress and assigned to the person. Only days of the month spine
-- count; an interval still open runs to the spine's last day.
--
-- Incremental by month: a build finds the issues whose intervals were rebuilt since
-- its newest source_loaded_at (or that left Jira), compares their days with the days
-- already built, and rebuilds every month from the first month that differs (and any
-- month the spine gained). Months before it are untouched: nothing there changed.

with

busy as (

    select issue_id, person_key, first_day, last_day, source_loaded_at
    from {{ ref('int_issue_busy_intervals') }}

),

working_days as (

    select day, month
    from {{ ref('int_calendar_days') }}
    where is_working_day

),

spine_months as (

    select month from {{ ref('int_month_spine') }}

),

{% if is_incremental() %}
built as (

    select issue_id, person_key, day, month from {{ this }}

),

built_rows_without_build_time as (

    select month from {{ this }}
    {% if has_column(this, 'built_at') %}
    where built_at is null
    {% endif %}

),

changed_issues as (

    select issue_id from {{ ref('int_issue_status_intervals') }}
    where source_loaded_at > {{ watermark_of(this, 'source_loaded_at') }}
    union
    select issue_id from {{ ref('int_issue_assignee_intervals') }}
    where source_loaded_at > {{ watermark_of(this, 'source_loaded_at') }}
    union
    -- deleted in Jira: its days must leave too
    select built.issue_id from built
    where not exists (
        select 1 from {{ ref('int_issue_status_intervals') }} as intervals
        where intervals.issue_id = built.issue_id
    )

),

changed_days_now as (

    select distinct busy.issue_id, busy.person_key, working_days.day, working_days.month
    from busy
    inner join working_days
        on working_days.day >= busy.first_day
        and (busy.last_day is null or working_days.day <= busy.last_day)
    where busy.issue_id in (select issue_id from changed_issues)

),

changed_days_built as (

    select issue_id, person_key, day, month from built
    where issue_id in (select issue_id from changed_issues)

),

differing_days as (

    (select * from changed_days_now except select * from changed_days_built)
    union all
    (select * from changed_days_built except select * from changed_days_now)

),

rebuild_from as (

    select min(month) as month
    from (
        select min(month) as month from differing_days
        union all
        -- rows written before built_at existed (the first build after an upgrade)
        select min(month) from built_rows_without_build_time
        union all
        -- months the spine gained at either end
        select min(month) from spine_months
        where month < (select min(month) from built)
            or month > (select max(month) from built)
    ) as candidates

),
{% endif %}

expanded as (

    select
        busy.issue_id,
        busy.person_key,
        working_days.day,
        working_days.month,
        max(busy.source_loaded_at) as source_loaded_at,
        -- when this row was written: int_person_issue_months rebuilds the months it sees
        -- rewritten since its own last build
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }})
            as built_at

    from busy
    inner join working_days
        on working_days.day >= busy.first_day
        and (busy.last_day is null or working_days.day <= busy.last_day)
    {% if is_incremental() %}
    where working_days.month >= (select month from rebuild_from)
    {% endif %}
    group by busy.issue_id, busy.person_key, working_days.day, working_days.month

),

final as (

    select * from expanded

)

select * from final
