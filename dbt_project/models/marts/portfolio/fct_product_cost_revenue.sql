-- Cost versus revenue per product and month (METRICS.md "Cost versus revenue"). Every
-- product, 'unmapped' included, has a row for every month of the spine; sums stay
-- unrounded until the final CTE so rounding never compounds.
--
-- People cost and R&D FTE come from the person-day allocation engine
-- (people_cost_basis 'allocated'): each person's month follows the Jira issues they had
-- in progress, and days without one stay with their team's product. Every role family
-- counts as R&D. capitalizable_cost is the engine's estimate of new_capability and
-- customer_commitment work in development statuses.

with

products as (

    select product_id, portfolio_id from {{ ref('dim_products') }}

),

months as (

    select month from {{ ref('int_month_spine') }}

),

settings as (

    select reporting_currency from {{ ref('int_catalog_settings_pivoted') }}

),

revenue as (

    select product_id, month, revenue from {{ ref('int_revenue_by_product_month') }}

),

other_rnd_cost as (

    select product_id, month, other_rnd_cost
    from {{ ref('int_other_rnd_cost_by_product_month') }}

),

people as (

    select
        product_id,
        month,
        sum(allocated_cost) as people_cost,
        sum(fte_months) as rnd_fte,
        sum(capitalizable_cost) as capitalizable_cost

    from {{ ref('int_allocated_person_months') }}
    group by product_id, month

),

product_months as (

    select
        products.product_id,
        products.portfolio_id,
        months.month

    from products
    cross join months

),

joined as (

    select
        product_months.product_id,
        product_months.portfolio_id,
        product_months.month,
        coalesce(revenue.revenue, 0) as revenue,
        coalesce(people.people_cost, 0) as people_cost,
        coalesce(other_rnd_cost.other_rnd_cost, 0) as other_rnd_cost,
        coalesce(people.rnd_fte, 0) as rnd_fte,
        coalesce(people.capitalizable_cost, 0) as capitalizable_cost

    from product_months
    left join revenue
        on product_months.product_id = revenue.product_id
        and product_months.month = revenue.month
    left join other_rnd_cost
        on product_months.product_id = other_rnd_cost.product_id
        and product_months.month = other_rnd_cost.month
    left join people
        on product_months.product_id = people.product_id
        and product_months.month = people.month

),

measured as (

    select
        joined.*,
        joined.people_cost + joined.other_rnd_cost as rnd_cost

    from joined

),

final as (

    select
        measured.product_id,
        measured.portfolio_id,
        measured.month,
        {{ round_money('measured.revenue') }} as revenue,
        cast('recognised' as {{ dbt.type_string() }}) as revenue_basis,
        {{ round_money('measured.people_cost') }} as people_cost,
        {{ round_money('measured.other_rnd_cost') }} as other_rnd_cost,
        {{ round_money('measured.rnd_cost') }} as rnd_cost,
        -- null rather than infinity: a month without revenue has no R&D share of it
        case
            when measured.revenue = 0 then null
            else {{ round_measure('measured.rnd_cost / measured.revenue', 6) }}
        end as rnd_pct_of_revenue,
        {{ round_money('measured.revenue - measured.rnd_cost') }} as contribution,
        {{ round_measure('measured.rnd_fte', 4) }} as rnd_fte,
        case
            when measured.rnd_fte = 0 then null
            else {{ round_money('measured.revenue * 12 / measured.rnd_fte') }}
        end as revenue_per_rnd_fte,
        {{ round_money('measured.capitalizable_cost') }} as capitalizable_cost,
        cast('allocated' as {{ dbt.type_string() }}) as people_cost_basis,
        settings.reporting_currency as currency

    from measured
    cross join settings

)

select * from final
