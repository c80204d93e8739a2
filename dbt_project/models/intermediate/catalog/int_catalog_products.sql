-- One row per catalog product with its portfolio, owners and product areas, plus the
-- 'unmapped' product that collects every value the catalog does not map. dim_products
-- publishes these rows; the intermediate models' product relationships test against
-- this model because dim_products itself depends on the allocation engine (its folded
-- "other products" rows).

with

products as (

    select * from {{ ref('stg_catalog__products') }}

),

portfolios as (

    select * from {{ ref('stg_catalog__portfolios') }}

),

product_areas as (

    select
        product_id,
        {{ dbt.listagg('product_area', "', '", 'order by product_area') }} as product_areas

    from {{ ref('stg_catalog__product_areas') }}
    group by product_id

),

catalog_products as (

    select
        products.product_id,
        products.product_name,
        products.portfolio_id,
        portfolios.portfolio_name,
        product_areas.product_areas,
        portfolios.director,
        products.pm,
        products.launched_on

    from products
    left join portfolios
        on products.portfolio_id = portfolios.portfolio_id
    left join product_areas
        on products.product_id = product_areas.product_id

),

unmapped_product as (

    select
        cast('unmapped' as {{ dbt.type_string() }}) as product_id,
        cast('Unmapped' as {{ dbt.type_string() }}) as product_name,
        cast('unmapped' as {{ dbt.type_string() }}) as portfolio_id,
        cast('Unmapped' as {{ dbt.type_string() }}) as portfolio_name,
        cast(null as {{ dbt.type_string() }}) as product_areas,
        cast(null as {{ dbt.type_string() }}) as director,
        cast(null as {{ dbt.type_string() }}) as pm,
        cast(null as date) as launched_on

),

final as (

    select * from catalog_products
    union all
    select * from unmapped_product

)

select * from final
