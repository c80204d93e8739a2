-- Recognised revenue per product and month in the reporting currency. A SKU the catalog
-- does not map lands on product 'unmapped' so its revenue never vanishes.

with

revenue as (

    select * from {{ ref('stg_finance__revenue') }}

),

sku_products as (

    select
        value as sku,
        product_id

    from {{ ref('stg_catalog__product_mappings') }}
    where kind = 'sku'

),

fx_rates as (

    select * from {{ ref('int_fx_rates_by_month') }}

),

converted as (

    select
        coalesce(sku_products.product_id, 'unmapped') as product_id,
        revenue.period_month as month,
        revenue.amount * fx_rates.rate as amount

    from revenue
    left join sku_products
        on revenue.sku = sku_products.sku
    left join fx_rates
        on revenue.period_month = fx_rates.month
        and revenue.currency = fx_rates.currency

),

final as (

    select
        product_id,
        month,
        sum(amount) as revenue,
        count(*) as revenue_lines

    from converted
    group by product_id, month

)

select * from final
