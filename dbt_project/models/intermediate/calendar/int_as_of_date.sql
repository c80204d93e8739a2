-- One row: the date the warehouse is "as of". Exports hold what happened before the day
-- they were taken, so the as-of date is the day after the latest recorded activity in
-- any tool (Jira, Aha!, analytics, OKR check-ins). It comes from the data and never
-- from current_date, so rebuilding the same exports gives the same ages, expected
-- progress and statuses. Finance is left out: its last closed month lags the refresh.

with

activity as (

    select max(changed_at) as happened_at from {{ ref('stg_jira__changelog') }}
    union all
    select max(updated_at) from {{ ref('stg_jira__issues') }}
    union all
    select max(changed_at) from {{ ref('stg_roadmap__history') }}
    union all
    select max(updated_at) from {{ ref('stg_roadmap__ideas') }}
    union all
    select max(updated_at) from {{ ref('stg_roadmap__features') }}
    union all
    select max(event_time) from {{ ref('stg_analytics__events') }}
    union all
    select max(cast(checkin_date as {{ dbt.type_timestamp() }})) from {{ ref('stg_okr__checkins') }}

),

latest as (

    -- aggregating without group by yields exactly one row, even with no data at all
    select max(happened_at) as last_activity_at
    from activity

),

final as (

    select
        cast({{ dbt.dateadd('day', 1, 'cast(last_activity_at as date)') }} as date) as as_of_date,
        last_activity_at

    from latest

)

select * from final
