-- When each partner account first switched a catalog feature on: the earliest enable
-- event (the catalog's enable_event_type, property `feature` = the feature id) of the
-- account. B2B2C: end users can only adopt what their partner has enabled.

with

features as (

    select * from {{ ref('stg_catalog__features') }}
    where enable_event_type is not null

),

events as (

    select
        event_type,
        event_time,
        account_id,
        {{ adoption_json_text('properties_json', 'feature') }} as enabled_feature

    from {{ ref('stg_analytics__events') }}
    where account_id is not null
        and properties_json is not null

),

final as (

    select
        features.feature_id,
        events.account_id,
        min(events.event_time) as first_enabled_at

    from events
    inner join features
        on events.event_type = features.enable_event_type
        and lower(trim(events.enabled_feature)) = features.feature_id
    group by features.feature_id, events.account_id

)

select * from final
