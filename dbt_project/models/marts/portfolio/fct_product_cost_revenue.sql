-- Cost versus revenue per product and month (METRICS.md "Cost versus revenue"). Every
-- product, 'unmapped' included, has a row for every month of the spine; sums stay
-- unrounded until the final CTE so rounding never compounds.
--
-- People cost and R&D FTE come from the person-day allocation engine
-- (people_cost_basis 'allocated'): each person's month follows the Jira issues they had
-- in progress, and days without one stay with their team's product. Every role family
-- counts as R&D. capitalizable_cost is the engine's estimate of new_capability and
-- customer_commitment work in development statuses.
--
-- Privacy: a product-month whose people cost comes from fewer than min_group_size
-- people (int_product_month_folding) publishes no pay-derived figure; its people cost,
-- FTE and capitalizable cost move to its portfolio's "other products" row, which exists
-- only in months that fold. Revenue and other R&D cost stay on the product, so every
-- additive column still sums to the unfolded total per portfolio and month.

with

products as (

    select product_id, portfolio_id from {{ ref('dim_products') }} where not is_folded_group

),

folding as (

    select product_id, month, is_folded, reported_product_id
    from {{ ref('int_product_month_folding') }}

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
        coalesce(folding.reported_product_id, allocated.product_id) as product_id,
        allocated.month,
        sum(allocated.allocated_cost) as people_cost,
        sum(allocated.fte_months) as rnd_fte,
        sum(allocated.capitalizable_cost) as capitalizable_cost

    from {{ ref('int_allocated_person_months') }} as allocated
    left join folding
        on allocated.product_id = folding.product_id
        and allocated.month = folding.month
    group by coalesce(folding.reported_product_id, allocated.product_id), allocated.month

),

other_products_months as (

    select distinct
        folding.reported_product_id as product_id,
        products.portfolio_id,
        folding.month

    from folding
    inner join products
        on folding.product_id = products.product_id
    where folding.is_folded

),

product_months as (

    select
        products.product_id,
        products.portfolio_id,
        months.month

    from products
    cross join months

    union all

    select product_id, portfolio_id, month from other_products_months

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
        coalesce(people.capitalizable_cost, 0) as capitalizable_cost,
        coalesce(folding.is_folded, false) as people_cost_folded

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
    left join folding
        on product_months.product_id = folding.product_id
        and product_months.month = folding.month

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
        case
            when not measured.people_cost_folded then {{ round_money('measured.people_cost') }}
        end as people_cost,
        {{ round_money('measured.other_rnd_cost') }} as other_rnd_cost,
        {{ round_money('measured.rnd_cost') }} as rnd_cost,
        -- null rather than infinity: a month without revenue has no R&D share of it
        case
            when measured.revenue = 0 or measured.people_cost_folded then null
            else {{ round_measure('measured.rnd_cost / measured.revenue', 6) }}
        end as rnd_pct_of_revenue,
        {{ round_money('measured.revenue - measured.rnd_cost') }} as contribution,
        case
            when not measured.people_cost_folded then {{ round_measure('measured.rnd_fte', 4) }}
        end as rnd_fte,
        case
            when measured.rnd_fte = 0 or measured.people_cost_folded then null
            else {{ round_money('measured.revenue * 12 / measured.rnd_fte') }}
        end as revenue_per_rnd_fte,
        case
            when not measured.people_cost_folded
                then {{ round_money('measured.capitalizable_cost') }}
        end as capitalizable_cost,
        measured.people_cost_folded,
        cast('allocated' as {{ dbt.type_string() }}) as people_cost_basis,
        settings.reporting_currency as currency

    from measured
    cross join settings

)

select * from final
