-- One row per catalog product with its portfolio, owners and product areas, plus the
-- 'unmapped' product, plus one "other products" row per portfolio where the people cost
-- of products smaller than min_group_size people is folded (int_product_month_folding).
-- The folded rows carry is_folded_group so product lists can tell them apart; they exist
-- only for portfolios that ever fold, so a company of large products sees none.

with

catalog_products as (

    select * from {{ ref('int_catalog_products') }}

),

folded_portfolios as (

    select distinct reported_product_id, portfolio_id
    from {{ ref('int_product_month_folding') }}
    where is_folded

),

portfolios as (

    select distinct portfolio_id, portfolio_name, director from catalog_products

),

other_products as (

    select
        folded_portfolios.reported_product_id as product_id,
        {{ dbt.concat(["portfolios.portfolio_name", "': other products'"]) }} as product_name,
        folded_portfolios.portfolio_id,
        portfolios.portfolio_name,
        cast(null as {{ dbt.type_string() }}) as product_areas,
        portfolios.director,
        cast(null as {{ dbt.type_string() }}) as pm,
        cast(null as date) as launched_on,
        true as is_folded_group

    from folded_portfolios
    inner join portfolios
        on folded_portfolios.portfolio_id = portfolios.portfolio_id

),

final as (

    select
        product_id,
        product_name,
        portfolio_id,
        portfolio_name,
        product_areas,
        director,
        pm,
        launched_on,
        false as is_folded_group

    from catalog_products

    union all

    select * from other_products

)

select * from final
