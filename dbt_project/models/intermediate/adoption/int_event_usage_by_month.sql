{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='month',
        on_schema_change='append_new_columns',
        pre_hook="{{ adoption_rebuilt_months_deleted('feature_events') }}"
    )
}}
-- Users per analytics app, event type and month, for the event types the catalog's
-- features name: distinct users, and user_days (each day's distinct users summed over the
-- month, the numerator of the average daily users that stickiness needs). Which event in
-- which app marks which feature is joined in int_feature_usage_by_month.
--
-- Incremental by month (macros/adoption_incremental.sql): a build recomputes every month
-- from the first one that new or moved events touch, and everything when the catalog's
-- features landed after the last build; with nothing new it reads no event.

{% set rebuild_from = adoption_rebuild_from('feature_events') %}

with

events as (

    {{ adoption_events('feature_events') }}
    {{ adoption_events_to_rebuild(rebuild_from) }}

),

daily_users as (

    select
        app,
        event_type,
        {{ month_of('event_time') }} as month,
        cast(event_time as date) as event_day,
        count(distinct user_key) as daily_users

    from events
    group by app, event_type, {{ month_of('event_time') }}, cast(event_time as date)

),

user_days as (

    select
        app,
        event_type,
        month,
        sum(daily_users) as user_days

    from daily_users
    group by app, event_type, month

),

monthly as (

    select
        app,
        event_type,
        {{ month_of('event_time') }} as month,
        count(distinct user_key) as users,
        count(*) as source_events,
        max(loaded_at) as source_loaded_at

    from events
    group by app, event_type, {{ month_of('event_time') }}

),

final as (

    select
        monthly.app,
        monthly.event_type,
        monthly.month,
        monthly.users,
        user_days.user_days,
        monthly.source_events,
        monthly.source_loaded_at,
        {{ adoption_catalog_loaded_at() }} as catalog_loaded_at

    from monthly
    inner join user_days
        on monthly.month = user_days.month
        and monthly.app is not distinct from user_days.app
        and monthly.event_type is not distinct from user_days.event_type

)

select * from final
