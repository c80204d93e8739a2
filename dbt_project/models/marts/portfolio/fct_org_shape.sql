-- The shape of each portfolio month by month (METRICS.md "Org shape"): product managers,
-- engineers and designers employed on the month's last day (by their team's product),
-- the PM:engineer ratio and the organisation stage by product-manager count. The
-- company columns repeat the whole company's PM count and stage on every row.

with

people as (

    select month, product_id, role_family
    from {{ ref('int_people_at_month_end') }}

),

products as (

    select product_id, portfolio_id, director from {{ ref('dim_products') }}

),

portfolios as (

    select distinct portfolio_id, director from products

),

months as (

    select month from {{ ref('int_month_spine') }}

),

counted as (

    select
        products.portfolio_id,
        people.month,
        cast(sum(case when people.role_family = 'pm' then 1 else 0 end) as {{ dbt.type_int() }}) as pms,
        cast(sum(case when people.role_family = 'engineering' then 1 else 0 end) as {{ dbt.type_int() }}) as engineers,
        cast(sum(case when people.role_family = 'design' then 1 else 0 end) as {{ dbt.type_int() }}) as designers,
        cast(count(*) as {{ dbt.type_int() }}) as headcount

    from people
    inner join products
        on people.product_id = products.product_id
    group by products.portfolio_id, people.month

),

grid as (

    select
        portfolios.portfolio_id,
        portfolios.director,
        months.month,
        coalesce(counted.pms, 0) as pms,
        coalesce(counted.engineers, 0) as engineers,
        coalesce(counted.designers, 0) as designers,
        coalesce(counted.headcount, 0) as headcount

    from portfolios
    cross join months
    left join counted
        on portfolios.portfolio_id = counted.portfolio_id
        and months.month = counted.month

),

company as (

    select
        month,
        cast(sum(pms) as {{ dbt.type_int() }}) as company_pms,
        -- product lines with their own product leadership: a portfolio with a director
        -- and at least two product managers
        cast(sum(case when director is not null and pms >= 2 then 1 else 0 end)
            as {{ dbt.type_int() }}) as led_product_lines

    from grid
    group by month

),

final as (

    select
        grid.portfolio_id,
        grid.month,
        grid.pms,
        grid.engineers,
        grid.designers,
        grid.headcount,
        case
            when grid.pms = 0 then null
            else {{ round_measure('cast(grid.engineers as ' ~ type_double() ~ ') / grid.pms', 4) }}
        end as pm_to_engineer_ratio,
        {{ org_stage('grid.pms') }} as org_stage,
        company.company_pms,
        case
            when company.company_pms > 12 and company.led_product_lines >= 2 then 5
            else {{ org_stage('company.company_pms') }}
        end as company_org_stage

    from grid
    inner join company
        on grid.month = company.month

)

select * from final
