-- Adoption of every catalog feature in every month of the analytics history (METRICS.md):
-- partners who switched it on out of partners using the product, then feature users out
-- of the product's active users, and how often they come back (stickiness). A month in
-- which the product had no active users or the feature no users gives null rates, never
-- a division by zero. The first month the rate reached the adoption milestone (default
-- 10%, var adoption_milestone_rate) is repeated on each of the feature's rows.

{% set milestone_rate = var('adoption_milestone_rate', 0.10) %}

with

features as (

    select
        features.feature_id,
        features.product_id,
        features.released_on,
        products.analytics_app

    from {{ ref('stg_catalog__features') }} as features
    left join {{ ref('stg_catalog__products') }} as products
        on features.product_id = products.product_id

),

events as (

    select event_time from {{ ref('stg_analytics__events') }}

),

bounds as (

    select
        {{ month_of('min(event_time)') }} as first_month,
        {{ month_of('max(event_time)') }} as last_month

    from events

),

months as (

    {{ month_spine('bounds', 'first_month', 'last_month') }}

),

app_activity as (

    select * from {{ ref('int_app_activity_by_month') }}

),

usage as (

    select * from {{ ref('int_feature_usage_by_month') }}

),

enablements as (

    select * from {{ ref('int_feature_enablements') }}

),

feature_months as (

    select
        features.feature_id,
        features.product_id,
        features.released_on,
        features.analytics_app,
        months.month,
        {{ month_end_of('months.month') }} as month_end,
        {{ days_in_month('months.month') }} as days_in_month

    from features
    cross join months

),

enabled_counts as (

    -- enabled on or before the month's last day: an account stays counted once it has
    -- switched the feature on, as the export has no "switched off" event
    select
        feature_months.feature_id,
        feature_months.month,
        count(enablements.account_id) as enabled_accounts

    from feature_months
    inner join enablements
        on feature_months.feature_id = enablements.feature_id
        and cast(enablements.first_enabled_at as date) <= feature_months.month_end
    group by feature_months.feature_id, feature_months.month

),

measured as (

    select
        feature_months.feature_id,
        feature_months.product_id,
        feature_months.month,
        feature_months.released_on,
        feature_months.released_on <= feature_months.month_end as is_released,
        coalesce(app_activity.eligible_accounts, 0) as eligible_accounts,
        coalesce(enabled_counts.enabled_accounts, 0) as enabled_accounts,
        coalesce(app_activity.active_users, 0) as active_users,
        coalesce(usage.feature_users, 0) as feature_users,
        coalesce(usage.user_days, 0) as user_days,
        feature_months.days_in_month

    from feature_months
    left join app_activity
        on feature_months.analytics_app = app_activity.app
        and feature_months.month = app_activity.month
    left join enabled_counts
        on feature_months.feature_id = enabled_counts.feature_id
        and feature_months.month = enabled_counts.month
    left join usage
        on feature_months.feature_id = usage.feature_id
        and feature_months.month = usage.month

),

rated as (

    select
        *,
        case
            when eligible_accounts > 0
                then {{ round_measure('cast(enabled_accounts as ' ~ type_double() ~ ') / eligible_accounts', 4) }}
        end as enabled_share,
        case
            when active_users > 0
                then {{ round_measure('cast(feature_users as ' ~ type_double() ~ ') / active_users', 4) }}
        end as adoption_rate,
        case
            when feature_users > 0
                then {{ round_measure('cast(user_days as ' ~ type_double() ~ ') / days_in_month / feature_users', 4) }}
        end as stickiness

    from measured

),

milestones as (

    select
        feature_id,
        min(month) as milestone_month

    from rated
    where adoption_rate >= {{ milestone_rate }}
    group by feature_id

),

final as (

    select
        rated.feature_id,
        rated.product_id,
        rated.month,
        rated.released_on,
        rated.is_released,
        rated.eligible_accounts,
        rated.enabled_accounts,
        rated.enabled_share,
        rated.active_users,
        rated.feature_users,
        rated.adoption_rate,
        rated.stickiness,
        cast({{ milestone_rate }} as {{ type_double() }}) as adoption_milestone_rate,
        milestones.milestone_month as first_milestone_month,
        -- the month's last day is the earliest day the monthly rate proves the milestone
        {{ dbt.datediff('rated.released_on', month_end_of('milestones.milestone_month'), 'day') }}
            as days_release_to_milestone

    from rated
    left join milestones
        on rated.feature_id = milestones.feature_id

)

select * from final
