-- Users of each catalog feature per month: a feature user sent the feature's event in
-- the feature's product app. user_days sums each day's distinct users over the month,
-- the numerator of the average daily users that stickiness needs.

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

events as (

    select * from {{ ref('stg_analytics__events') }}

),

feature_events as (

    select
        features.feature_id,
        events.user_key,
        cast(events.event_time as date) as event_day,
        {{ month_of('events.event_time') }} as month

    from events
    inner join features
        on events.event_type = features.event_type
        and events.app = features.analytics_app

),

daily_users as (

    select
        feature_id,
        month,
        event_day,
        count(distinct user_key) as daily_users

    from feature_events
    group by feature_id, month, event_day

),

user_days as (

    select
        feature_id,
        month,
        sum(daily_users) as user_days

    from daily_users
    group by feature_id, month

),

monthly_users as (

    select
        feature_id,
        month,
        count(distinct user_key) as feature_users

    from feature_events
    group by feature_id, month

),

final as (

    select
        monthly_users.feature_id,
        monthly_users.month,
        monthly_users.feature_users,
        user_days.user_days

    from monthly_users
    inner join user_days
        on monthly_users.feature_id = user_days.feature_id
        and monthly_users.month = user_days.month

)

select * from final
