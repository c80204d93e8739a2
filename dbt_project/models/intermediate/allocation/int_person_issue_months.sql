{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='month',
        on_schema_change='append_new_columns',
        post_hook="{{ months_outside_spine_deleted() }}"
    )
}}
-- depends_on: {{ ref('int_month_spine') }}
-- Restricted (per person). The heart of the person-day engine (METRICS.md), summed to
-- person x month x issue: each working day's share of the person's month is split
-- equally over the issues in progress and assigned to them that day; issue_id null is
-- the share of days with no such issue. share_of_month sums to 1 per person-month. Only
-- shares live here: cost, team, product and category are joined downstream
-- (int_person_day_allocations), so salary, FX, catalog and epic changes need no rebuild.
--
-- Incremental by month. A build rebuilds every month from the earliest of: a month
-- int_issue_person_days rewrote since this model's last build (issue_days_built_at);
-- for each employee whose person key, hire or leaving date differs from what the last
-- built month recorded (or who joined or left HR), the first month the edit can move;
-- and any month the spine gained. That month is found first (first_month_to_rebuild)
-- and filtered on as a literal, so a build with nothing new joins no days at all.

{% if is_incremental() %}
{% set rebuild_from_query %}
with

employees as (

    select employee_key, person_key, hired_on, terminated_on
    from {{ ref('stg_hr__employees') }}
    where hired_on is not null

),

built_last_months as (

    select employee_key, max(month) as last_month
    from {{ this }}
    group by employee_key

),

built_employees as (

    -- what the last built month of each employee recorded about their employment
    select
        built.employee_key,
        max(built.person_key) as person_key,
        max(built.hired_on) as hired_on,
        max(built.terminated_on) as terminated_on

    from {{ this }} as built
    inner join built_last_months
        on built.employee_key = built_last_months.employee_key
        and built.month = built_last_months.last_month
    group by built.employee_key

),

employee_edits as (

    select
        case
            when built_employees.employee_key is null
                then {{ month_of('employees.hired_on') }}
            when employees.employee_key is null
                then {{ month_of('built_employees.hired_on') }}
            when employees.hired_on <> built_employees.hired_on
                or employees.person_key is distinct from built_employees.person_key
                then {{ month_of('least(employees.hired_on, built_employees.hired_on)') }}
            else {{ month_of(
                "least(coalesce(employees.terminated_on, cast('9999-12-01' as date)),"
                ~ " coalesce(built_employees.terminated_on, cast('9999-12-01' as date)))"
            ) }}
        end as month

    from employees
    full outer join built_employees
        on employees.employee_key = built_employees.employee_key
    where built_employees.employee_key is null
        or employees.employee_key is null
        or employees.hired_on <> built_employees.hired_on
        or employees.person_key is distinct from built_employees.person_key
        or employees.terminated_on is distinct from built_employees.terminated_on

)

select min(month) as month
from (
    select min(issue_days.month) as month from {{ ref('int_issue_person_days') }} as issue_days
    where issue_days.built_at > {{ watermark_of(this, 'issue_days_built_at') }}
    union all
    select min(month) from employee_edits
    union all
    select min(month) from {{ ref('int_month_spine') }}
    where month < (select min(month) from {{ this }})
        or month > (select max(month) from {{ this }})
) as candidates
{% endset %}
{% set rebuild_from = first_month_to_rebuild(rebuild_from_query) %}
{% endif %}

with

working_days as (

    select employee_key, person_key, month, day, share_of_month
    from {{ ref('int_person_working_days') }}
    {% if is_incremental() %}
    where {% if rebuild_from is none %}1 = 0{% else %}month >= {{ month_literal(rebuild_from) }}{% endif %}
    {% endif %}

),

employees as (

    select employee_key, person_key, hired_on, terminated_on
    from {{ ref('stg_hr__employees') }}
    where hired_on is not null

),

issue_days as (

    select issue_id, person_key, day, month
    from {{ ref('int_issue_person_days') }}
    {% if is_incremental() %}
    where {% if rebuild_from is none %}1 = 0{% else %}month >= {{ month_literal(rebuild_from) }}{% endif %}
    {% endif %}

),

issue_days_build as (

    select max(built_at) as issue_days_built_at from {{ ref('int_issue_person_days') }}

),

split as (

    select
        working_days.employee_key,
        working_days.month,
        working_days.share_of_month,
        issue_days.issue_id,
        count(issue_days.issue_id) over (
            partition by working_days.employee_key, working_days.month, working_days.day
        ) as issues_that_day

    from working_days
    left join issue_days
        on working_days.person_key = issue_days.person_key
        and working_days.day = issue_days.day

),

summed as (

    select
        employee_key,
        month,
        issue_id,
        sum(
            share_of_month
            / case when issues_that_day = 0 then 1 else issues_that_day end
        ) as share_of_month

    from split
    group by employee_key, month, issue_id

),

final as (

    select
        summed.employee_key,
        summed.month,
        summed.issue_id,
        summed.share_of_month,
        employees.person_key,
        employees.hired_on,
        employees.terminated_on,
        issue_days_build.issue_days_built_at

    from summed
    inner join employees
        on summed.employee_key = employees.employee_key
    cross join issue_days_build

)

select * from final
