-- Nothing vanishes between the exports and fct_product_cost_revenue: its total revenue,
-- other R&D cost and people cost equal the converted finance lines and person-months,
-- up to half a cent of rounding per row. Returns each measure that does not reconcile.

with

fct as (

    select
        sum(revenue) as revenue,
        sum(other_rnd_cost) as other_rnd_cost,
        sum(people_cost) as people_cost,
        count(*) as row_count

    from {{ ref('fct_product_cost_revenue') }}

),

fx_rates as (

    select month, currency, rate from {{ ref('int_fx_rates_by_month') }}

),

exported_revenue as (

    select sum(revenue.amount * fx_rates.rate) as revenue
    from {{ ref('stg_finance__revenue') }} as revenue
    inner join fx_rates
        on revenue.period_month = fx_rates.month
        and revenue.currency = fx_rates.currency

),

exported_other_rnd_cost as (

    select sum(gl_lines.amount * fx_rates.rate) as other_rnd_cost
    from {{ ref('stg_finance__gl_lines') }} as gl_lines
    inner join {{ ref('stg_catalog__rnd_accounts') }} as rnd_accounts
        on gl_lines.account = rnd_accounts.account
    inner join fx_rates
        on {{ month_of('gl_lines.posted_on') }} = fx_rates.month
        and gl_lines.currency = fx_rates.currency

),

person_month_cost as (

    select sum(loaded_cost) as people_cost
    from {{ ref('int_person_months') }}

),

comparisons as (

    select
        'revenue' as measure,
        fct.revenue as in_mart,
        coalesce(exported_revenue.revenue, 0) as in_sources,
        fct.row_count
    from fct
    cross join exported_revenue

    union all

    select
        'other_rnd_cost' as measure,
        fct.other_rnd_cost as in_mart,
        coalesce(exported_other_rnd_cost.other_rnd_cost, 0) as in_sources,
        fct.row_count
    from fct
    cross join exported_other_rnd_cost

    union all

    select
        'people_cost' as measure,
        fct.people_cost as in_mart,
        coalesce(person_month_cost.people_cost, 0) as in_sources,
        fct.row_count
    from fct
    cross join person_month_cost

)

select measure, in_mart, in_sources
from comparisons
where abs(coalesce(in_mart, 0) - in_sources) > 0.005 * row_count + 0.000001
