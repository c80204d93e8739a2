{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='month',
        on_schema_change='append_new_columns',
        pre_hook="{{ adoption_rebuilt_months_deleted('enable_events') }}"
    )
}}
-- Per enable event type (any the catalog names), `feature` property (trimmed, lower
-- case) and partner account, each month's first such event: int_feature_enablements
-- matches them with the catalog's features. Enable events without a `feature` property
-- collapse into one bookkeeping row per month (event_type, feature and account null):
-- they are only counted, so a month that loses one is still noticed.
--
-- Incremental by month (macros/adoption_incremental.sql): a build recomputes every month
-- from the first one that new or moved events touch, and everything when the catalog's
-- features landed after the last build; with nothing new it reads no event.

{% set rebuild_from = adoption_rebuild_from('enable_events') %}

with

events as (

    select
        event_time,
        loaded_at,
        lower(trim({{ adoption_json_text('properties_json', 'feature') }})) as enabled_feature,
        event_type,
        account_id

    from ({{ adoption_events('enable_events') }}
        {{ adoption_events_to_rebuild(rebuild_from) }}) as partner_events

),

keyed as (

    select
        case when enabled_feature is not null then event_type end as event_type,
        enabled_feature,
        case when enabled_feature is not null then account_id end as account_id,
        event_time,
        loaded_at

    from events

),

final as (

    select
        event_type,
        enabled_feature,
        account_id,
        {{ month_of('event_time') }} as month,
        min(event_time) as first_event_at,
        count(*) as source_events,
        max(loaded_at) as source_loaded_at,
        {{ adoption_catalog_loaded_at() }} as catalog_loaded_at

    from keyed
    group by event_type, enabled_feature, account_id, {{ month_of('event_time') }}

)

select * from final
