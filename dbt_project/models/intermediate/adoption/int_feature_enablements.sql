-- When each partner account first switched a catalog feature on: the earliest enable
-- event (the catalog's enable_event_type, property `feature` = the feature id) of the
-- account. B2B2C: end users can only adopt what their partner has enabled. The events
-- come pre-aggregated by month from the incremental int_enable_events_by_month; only
-- the catalog join happens here.

with

features as (

    select * from {{ ref('stg_catalog__features') }}
    where enable_event_type is not null

),

enable_events as (

    select * from {{ ref('int_enable_events_by_month') }}
    where enabled_feature is not null

),

final as (

    select
        features.feature_id,
        enable_events.account_id,
        min(enable_events.first_event_at) as first_enabled_at

    from enable_events
    inner join features
        on enable_events.event_type = features.enable_event_type
        and enable_events.enabled_feature = features.feature_id
    group by features.feature_id, enable_events.account_id

)

select * from final
