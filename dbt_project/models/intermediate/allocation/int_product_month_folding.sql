{{ config(materialized='table') }}
-- Restricted (counts people). Where each product-month's people cost may be published
-- (METRICS.md "Privacy"): a product whose allocated cost comes from 1..min_group_size-1
-- distinct people folds into its portfolio's "other products" row. When the folded
-- products of a portfolio-month still come from fewer than min_group_size people, the
-- portfolio's smallest unfolded product folds too: it has at least min_group_size people
-- itself, so the union reaches the threshold in one step, and no product's pay can be
-- read off as a difference. 'unmapped' never folds: it is the data-health bucket (its
-- small HR teams are withheld by fct_unmapped_values), and its portfolio has nothing
-- else to hide it in.
-- A table, not a view: its tests, the reconciliation test and the marts that read it
-- would each recompute it from every person-day allocation.

with

settings as (

    select min_group_size from {{ ref('int_catalog_settings_pivoted') }}

),

products as (

    select product_id, portfolio_id from {{ ref('int_catalog_products') }}

),

person_products as (

    select distinct
        allocated.employee_key,
        allocated.month,
        allocated.product_id,
        products.portfolio_id

    from {{ ref('int_allocated_person_months') }} as allocated
    inner join products
        on allocated.product_id = products.product_id
    where allocated.allocated_cost <> 0 or allocated.fte_months <> 0

),

group_sizes as (

    select
        product_id,
        portfolio_id,
        month,
        count(*) as people

    from person_products
    group by product_id, portfolio_id, month

),

sized as (

    select
        group_sizes.product_id,
        group_sizes.portfolio_id,
        group_sizes.month,
        group_sizes.people,
        case
            when group_sizes.product_id = 'unmapped' then false
            when group_sizes.people < settings.min_group_size then true
            else false
        end as is_small

    from group_sizes
    cross join settings

),

small_group_people as (

    -- distinct: one person on two small products counts once
    select
        person_products.portfolio_id,
        person_products.month,
        count(distinct person_products.employee_key) as people

    from person_products
    inner join sized
        on person_products.product_id = sized.product_id
        and person_products.month = sized.month
    where sized.is_small
    group by person_products.portfolio_id, person_products.month

),

ranked as (

    select
        sized.*,
        case
            when sized.is_small or sized.product_id = 'unmapped' then null
            else row_number() over (
                partition by
                    sized.portfolio_id,
                    sized.month,
                    case when sized.is_small or sized.product_id = 'unmapped' then 1 else 0 end
                order by sized.people, sized.product_id
            )
        end as size_rank

    from sized

),

final as (

    select
        ranked.product_id,
        ranked.portfolio_id,
        ranked.month,
        ranked.people,
        case
            when ranked.is_small then 'smaller_than_min_group_size'
            when ranked.size_rank = 1 and small_group_people.people < settings.min_group_size
                then 'completes_a_small_folded_group'
        end as fold_reason

    from ranked
    cross join settings
    left join small_group_people
        on ranked.portfolio_id = small_group_people.portfolio_id
        and ranked.month = small_group_people.month

)

select
    product_id,
    portfolio_id,
    month,
    people,
    fold_reason is not null as is_folded,
    fold_reason,
    case
        when fold_reason is not null
            then {{ dbt.concat(["portfolio_id", "'__other_products'"]) }}
        else product_id
    end as reported_product_id

from final
