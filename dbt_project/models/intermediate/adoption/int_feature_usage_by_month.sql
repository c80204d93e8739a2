-- Users of each catalog feature per month: a feature user sent the feature's event in
-- the feature's product app. user_days sums each day's distinct users over the month,
-- the numerator of the average daily users that stickiness needs. The counts come from
-- the incremental int_event_usage_by_month; only the catalog join happens here.

with

features as (

    select
        features.feature_id,
        features.event_type,
        products.analytics_app

    from {{ ref('stg_catalog__features') }} as features
    inner join {{ ref('stg_catalog__products') }} as products
        on features.product_id = products.product_id

),

usage as (

    select * from {{ ref('int_event_usage_by_month') }}

),

final as (

    select
        features.feature_id,
        usage.month,
        usage.users as feature_users,
        usage.user_days

    from usage
    inner join features
        on usage.event_type = features.event_type
        and usage.app = features.analytics_app

)

select * from final
