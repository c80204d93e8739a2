-- Folding small products for privacy moves people cost between rows but never changes a
-- total: per portfolio and month, every additive column of fct_product_cost_revenue
-- equals the unfolded sums of the person-months, revenue and other R&D cost of the
-- portfolio's products (up to half a cent, or half a unit of FTE's 4th decimal, of
-- rounding per row). Returns each portfolio-month and measure that does not reconcile.

with

products as (

    select product_id, portfolio_id from {{ ref('int_catalog_products') }}

),

published as (

    select
        portfolio_id,
        month,
        count(*) as row_count,
        sum(revenue) as revenue,
        sum(other_rnd_cost) as other_rnd_cost,
        sum(coalesce(people_cost, 0)) as people_cost,
        sum(rnd_cost) as rnd_cost,
        sum(contribution) as contribution,
        sum(coalesce(rnd_fte, 0)) as rnd_fte,
        sum(coalesce(capitalizable_cost, 0)) as capitalizable_cost

    from {{ ref('fct_product_cost_revenue') }}
    group by portfolio_id, month

),

people as (

    select
        products.portfolio_id,
        allocated.month,
        sum(allocated.allocated_cost) as people_cost,
        sum(allocated.fte_months) as rnd_fte,
        sum(allocated.capitalizable_cost) as capitalizable_cost

    from {{ ref('int_allocated_person_months') }} as allocated
    inner join products
        on allocated.product_id = products.product_id
    group by products.portfolio_id, allocated.month

),

revenue as (

    select products.portfolio_id, revenue.month, sum(revenue.revenue) as revenue
    from {{ ref('int_revenue_by_product_month') }} as revenue
    inner join products
        on revenue.product_id = products.product_id
    group by products.portfolio_id, revenue.month

),

other_rnd_cost as (

    select products.portfolio_id, other.month, sum(other.other_rnd_cost) as other_rnd_cost
    from {{ ref('int_other_rnd_cost_by_product_month') }} as other
    inner join products
        on other.product_id = products.product_id
    group by products.portfolio_id, other.month

),

unfolded as (

    select
        published.portfolio_id,
        published.month,
        published.row_count,
        coalesce(revenue.revenue, 0) as revenue,
        coalesce(other_rnd_cost.other_rnd_cost, 0) as other_rnd_cost,
        coalesce(people.people_cost, 0) as people_cost,
        coalesce(people.rnd_fte, 0) as rnd_fte,
        coalesce(people.capitalizable_cost, 0) as capitalizable_cost

    from published
    left join revenue
        on published.portfolio_id = revenue.portfolio_id
        and published.month = revenue.month
    left join other_rnd_cost
        on published.portfolio_id = other_rnd_cost.portfolio_id
        and published.month = other_rnd_cost.month
    left join people
        on published.portfolio_id = people.portfolio_id
        and published.month = people.month

),

comparisons as (

    {% set measures = [
        ('revenue', 'unfolded.revenue', 0.005),
        ('other_rnd_cost', 'unfolded.other_rnd_cost', 0.005),
        ('people_cost', 'unfolded.people_cost', 0.005),
        ('rnd_cost', 'unfolded.people_cost + unfolded.other_rnd_cost', 0.005),
        ('contribution', 'unfolded.revenue - unfolded.people_cost - unfolded.other_rnd_cost', 0.01),
        ('rnd_fte', 'unfolded.rnd_fte', 0.00005),
        ('capitalizable_cost', 'unfolded.capitalizable_cost', 0.005),
    ] %}
    {% for name, expression, tolerance in measures %}
    select
        unfolded.portfolio_id,
        unfolded.month,
        '{{ name }}' as measure,
        published.{{ name }} as in_mart,
        {{ expression }} as unfolded,
        {{ tolerance }} * unfolded.row_count + 0.000001 as tolerance

    from unfolded
    inner join published
        on unfolded.portfolio_id = published.portfolio_id
        and unfolded.month = published.month
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select portfolio_id, month, measure, in_mart, unfolded
from comparisons
where abs(coalesce(in_mart, 0) - unfolded) > tolerance
