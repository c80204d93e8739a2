{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='month',
        on_schema_change='append_new_columns',
        pre_hook="{{ adoption_rebuilt_months_deleted('app_events') }}"
    )
}}
-- Who used each analytics app in a month: distinct users (partner admins included, as
-- anyone who sent an event counts as active) and distinct partner accounts.
--
-- Incremental by month (macros/adoption_incremental.sql): a build recomputes every month
-- from the first one that new or moved events touch; with nothing new it reads no event.

{% set rebuild_from = adoption_rebuild_from('app_events') %}

with

events as (

    {{ adoption_events('app_events') }}
    {{ adoption_events_to_rebuild(rebuild_from) }}

),

final as (

    select
        app,
        {{ month_of('event_time') }} as month,
        count(distinct user_key) as active_users,
        count(distinct account_id) as eligible_accounts,
        count(*) as source_events,
        max(loaded_at) as source_loaded_at

    from events
    group by app, {{ month_of('event_time') }}

)

select * from final
