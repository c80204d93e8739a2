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
-- depends_on: {{ ref('int_month_spine') }}
-- One row per issue, person and working day on which, at some instant of that UTC day,
-- the issue was in progress and assigned to the person. Only days of the month spine
-- count; an interval still open runs to the spine's last day.
--
-- Incremental by month: a build finds the issues whose intervals were rebuilt since
-- its last build compared them (int_issue_person_days_checked) or that left Jira,
-- compares their days with the days already built, and rebuilds every month from the
-- first month that differs (and any month the spine gained). Months before it are
-- untouched: nothing there changed. That month is found first (first_month_to_rebuild)
-- and filtered on as a literal, so only intervals reaching it are expanded, and a build
-- with nothing new expands none.

{% if is_incremental() %}
{% set compared_until = person_days_compared_until() %}
{% set rebuild_from_query %}
with

busy as (

    select issue_id, person_key, first_day, last_day
    from {{ ref('int_issue_busy_intervals') }}

),

working_days as (

    select day, month
    from {{ ref('int_calendar_days') }}
    where is_working_day

),

built_rows_without_build_time as (

    select month from {{ this }}
    {% if has_column(this, 'built_at') %}
    where built_at is null
    {% endif %}

),

changed_issues as (

    select issue_id from {{ ref('int_issue_status_intervals') }}
    where source_loaded_at > {{ compared_until }}
    union
    select issue_id from {{ ref('int_issue_assignee_intervals') }}
    where source_loaded_at > {{ compared_until }}
    union
    -- deleted in Jira (or no longer busy at all): its days must leave too. Busy
    -- intervals are the smallest table to look in; any issue taken in needlessly only
    -- costs its comparison below.
    select distinct built.issue_id from {{ this }} as built
    where not exists (
        select 1 from busy
        where busy.issue_id = built.issue_id
    )

),

changed_busy as (

    -- joined before the days are expanded (an `in` filter is applied after it,
    -- expanding every interval)
    select busy.issue_id, busy.person_key, busy.first_day, busy.last_day
    from busy
    inner join changed_issues
        on busy.issue_id = changed_issues.issue_id

),

changed_days_now as (

    select distinct issue_id, person_key, day, month
    from ({{ interval_working_days('changed_busy', 'working_days', ['issue_id', 'person_key']) }}) as days

),

changed_days_built as (

    select built.issue_id, built.person_key, built.day, built.month
    from {{ this }} as built
    inner join changed_issues
        on built.issue_id = changed_issues.issue_id

),

differing_days as (

    (select * from changed_days_now except select * from changed_days_built)
    union all
    (select * from changed_days_built except select * from changed_days_now)

)

select min(month) as month
from (
    select min(month) as month from differing_days
    union all
    -- rows written before built_at existed (the first build after an upgrade)
    select min(month) from built_rows_without_build_time
    union all
    -- months the spine gained at either end that an interval reaches into: a spine
    -- month no interval touches has no rows, so it is not "gained" again every build
    select min(spine.month) from {{ ref('int_month_spine') }} as spine
    where (
            spine.month < (select min(month) from {{ this }})
            or spine.month > (select max(month) from {{ this }})
        )
        and exists (
            select 1 from busy
            where busy.first_day <= spine.month_end
                and (busy.last_day is null or busy.last_day >= spine.month)
        )
) as candidates
{% endset %}
{% set rebuild_from = first_month_to_rebuild(rebuild_from_query) %}
{% endif %}

with

busy as (

    select issue_id, person_key, first_day, last_day, source_loaded_at
    from {{ ref('int_issue_busy_intervals') }}
    {% if is_incremental() %}
    where {% if rebuild_from is none %}1 = 0{% else %}
        last_day is null or last_day >= {{ month_literal(rebuild_from) }}{% endif %}
    {% endif %}

),

working_days as (

    select day, month
    from {{ ref('int_calendar_days') }}
    where is_working_day
    {% if is_incremental() %}
        and {% if rebuild_from is none %}1 = 0{% else %}month >= {{ month_literal(rebuild_from) }}{% endif %}
    {% endif %}

),

expanded as (

    select
        busy_days.issue_id,
        busy_days.person_key,
        busy_days.day,
        busy_days.month,
        max(busy_days.source_loaded_at) as source_loaded_at,
        -- when this row was written: int_person_issue_months rebuilds the months it sees
        -- rewritten since its own last build
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }})
            as built_at

    from ({{ interval_working_days('busy', 'working_days', ['issue_id', 'person_key', 'source_loaded_at']) }}) as busy_days
    group by busy_days.issue_id, busy_days.person_key, busy_days.day, busy_days.month

),

final as (

    select * from expanded

)

select * from final
