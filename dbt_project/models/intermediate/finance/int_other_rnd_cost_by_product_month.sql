-- Non-people R&D cost per product and month in the reporting currency: GL lines on the
-- catalog's R&D accounts, by the product of their cost centre. A cost centre the catalog
-- does not map lands on product 'unmapped'.

with

gl_lines as (

    select * from {{ ref('stg_finance__gl_lines') }}

),

rnd_accounts as (

    select account from {{ ref('stg_catalog__rnd_accounts') }}

),

cost_centre_products as (

    select
        value as cost_centre,
        product_id

    from {{ ref('stg_catalog__product_mappings') }}
    where kind = 'cost_centre'

),

fx_rates as (

    select * from {{ ref('int_fx_rates_by_month') }}

),

rnd_lines as (

    select
        gl_lines.cost_centre,
        {{ month_of('gl_lines.posted_on') }} as month,
        gl_lines.amount,
        gl_lines.currency

    from gl_lines
    inner join rnd_accounts
        on gl_lines.account = rnd_accounts.account

),

converted as (

    select
        coalesce(cost_centre_products.product_id, 'unmapped') as product_id,
        rnd_lines.month,
        rnd_lines.amount * fx_rates.rate as amount

    from rnd_lines
    left join cost_centre_products
        on rnd_lines.cost_centre = cost_centre_products.cost_centre
    left join fx_rates
        on rnd_lines.month = fx_rates.month
        and rnd_lines.currency = fx_rates.currency

),

final as (

    select
        product_id,
        month,
        sum(amount) as other_rnd_cost,
        count(*) as gl_lines

    from converted
    group by product_id, month

)

select * from final
