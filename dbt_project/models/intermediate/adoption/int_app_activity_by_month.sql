-- Who used each analytics app in a month: distinct users (partner admins included, as
-- anyone who sent an event counts as active) and distinct partner accounts.

with

events as (

    select * from {{ ref('stg_analytics__events') }}

),

final as (

    select
        app,
        {{ month_of('event_time') }} as month,
        count(distinct user_key) as active_users,
        count(distinct account_id) as eligible_accounts

    from events
    where app is not null
    group by app, {{ month_of('event_time') }}

)

select * from final
