-- Where engineering time goes (METRICS.md "Investment allocation"): FTE-months per
-- portfolio, product, quarter and investment category, from the person-day engine.
-- Every product-quarter with effort gets a row for each category ('unallocated'
-- included, and any category that showed up), so shares sum to 1 per product and
-- quarter and a category nobody worked on shows its full drift. Portfolio columns
-- repeat the same measures for the product's whole portfolio and quarter.

with

allocations as (

    select product_id, month, category, fte_months
    from {{ ref('int_allocated_person_months') }}

),

products as (

    select product_id, portfolio_id from {{ ref('dim_products') }}

),

settings as (

    select customer_commitment_cap from {{ ref('int_catalog_settings_pivoted') }}

),

target_shares as (

    select category, target_share from {{ ref('stg_catalog__target_shares') }}

),

quarterly as (

    select
        products.portfolio_id,
        allocations.product_id,
        cast({{ dbt.date_trunc('quarter', 'allocations.month') }} as date) as quarter_start,
        allocations.category,
        sum(allocations.fte_months) as fte_months

    from allocations
    inner join products
        on allocations.product_id = products.product_id
    group by
        products.portfolio_id,
        allocations.product_id,
        cast({{ dbt.date_trunc('quarter', 'allocations.month') }} as date),
        allocations.category

),

categories as (

    select 'new_capability' as category
    union select 'customer_commitment'
    union select 'ktlo'
    union select 'tech_investment'
    union select 'unallocated'
    union select distinct category from quarterly

),

product_quarters as (

    select distinct portfolio_id, product_id, quarter_start from quarterly

),

cells as (

    select
        product_quarters.portfolio_id,
        product_quarters.product_id,
        product_quarters.quarter_start,
        categories.category,
        coalesce(quarterly.fte_months, 0) as fte_months

    from product_quarters
    cross join categories
    left join quarterly
        on product_quarters.product_id = quarterly.product_id
        and product_quarters.quarter_start = quarterly.quarter_start
        and categories.category = quarterly.category

),

totals as (

    select
        cells.*,
        sum(cells.fte_months) over (
            partition by cells.product_id, cells.quarter_start
        ) as product_fte_months,
        sum(case when cells.category = 'customer_commitment' then cells.fte_months else 0 end)
            over (partition by cells.product_id, cells.quarter_start)
            as product_customer_commitment_fte_months,
        sum(cells.fte_months) over (
            partition by cells.portfolio_id, cells.quarter_start, cells.category
        ) as portfolio_category_fte_months,
        sum(cells.fte_months) over (
            partition by cells.portfolio_id, cells.quarter_start
        ) as portfolio_fte_months,
        sum(case when cells.category = 'customer_commitment' then cells.fte_months else 0 end)
            over (partition by cells.portfolio_id, cells.quarter_start)
            as portfolio_customer_commitment_fte_months

    from cells

),

shares as (

    select
        totals.portfolio_id,
        totals.product_id,
        totals.quarter_start,
        totals.category,
        totals.fte_months,
        totals.fte_months / nullif(totals.product_fte_months, 0) as share,
        target_shares.target_share,
        totals.product_customer_commitment_fte_months
            / nullif(totals.product_fte_months, 0) as customer_commitment_share,
        totals.fte_months / nullif(totals.portfolio_fte_months, 0) as portfolio_share,
        totals.portfolio_category_fte_months
            / nullif(totals.portfolio_fte_months, 0) as portfolio_category_share,
        totals.portfolio_customer_commitment_fte_months
            / nullif(totals.portfolio_fte_months, 0) as portfolio_customer_commitment_share

    from totals
    left join target_shares
        on totals.category = target_shares.category

),

final as (

    select
        shares.portfolio_id,
        shares.product_id,
        {{ quarter_label('shares.quarter_start') }} as quarter,
        shares.quarter_start,
        shares.category,
        {{ round_measure('shares.fte_months', 4) }} as fte_months,
        {{ round_measure('shares.share', 6) }} as share,
        shares.target_share,
        {{ round_measure('shares.share - shares.target_share', 6) }} as drift,
        {{ round_measure('shares.customer_commitment_share', 6) }} as customer_commitment_share,
        shares.customer_commitment_share > settings.customer_commitment_cap as over_cap,
        {{ round_measure('shares.portfolio_share', 6) }} as portfolio_share,
        {{ round_measure('shares.portfolio_category_share', 6) }} as portfolio_category_share,
        {{ round_measure('shares.portfolio_category_share - shares.target_share', 6) }}
            as portfolio_drift,
        {{ round_measure('shares.portfolio_customer_commitment_share', 6) }}
            as portfolio_customer_commitment_share,
        shares.portfolio_customer_commitment_share > settings.customer_commitment_cap
            as portfolio_over_cap,
        settings.customer_commitment_cap

    from shares
    cross join settings

)

select * from final
