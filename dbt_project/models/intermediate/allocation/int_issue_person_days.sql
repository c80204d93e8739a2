{{ config(materialized='table') }}
-- One row per issue, person and working day on which, at some instant of that UTC day,
-- the issue was in progress and assigned to the person. Only days of the month spine
-- count; an interval still open runs to the spine's last day.

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

expanded as (

    select distinct
        busy.issue_id,
        busy.person_key,
        working_days.day,
        working_days.month

    from busy
    inner join working_days
        on working_days.day >= busy.first_day
        and (busy.last_day is null or working_days.day <= busy.last_day)

),

final as (

    select * from expanded

)

select * from final
