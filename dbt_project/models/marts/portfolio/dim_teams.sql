-- One row per catalog team with its product, portfolio, owners and headcount by role
-- family on the last day of the as-of month, plus the team 'unmapped' for people whose
-- HR team the catalog does not know. Headcounts are counts, never costs.

with

teams as (

    select team_id, team_name, product_id, hr_team, default_category
    from {{ ref('stg_catalog__teams') }}

),

products as (

    select product_id, portfolio_id, director, pm from {{ ref('dim_products') }}

),

people as (

    select team_id, role_family, fte
    from {{ ref('int_people_at_month_end') }}
    where is_as_of_month

),

all_teams as (

    select team_id, team_name, product_id, hr_team, default_category from teams
    union all
    select
        cast('unmapped' as {{ dbt.type_string() }}) as team_id,
        cast('Unmapped' as {{ dbt.type_string() }}) as team_name,
        cast('unmapped' as {{ dbt.type_string() }}) as product_id,
        cast(null as {{ dbt.type_string() }}) as hr_team,
        cast(null as {{ dbt.type_string() }}) as default_category

),

headcount as (

    select
        coalesce(team_id, 'unmapped') as team_id,
        cast(count(*) as {{ dbt.type_int() }}) as headcount,
        cast(sum(case when role_family = 'pm' then 1 else 0 end) as {{ dbt.type_int() }}) as pms,
        cast(sum(case when role_family = 'engineering' then 1 else 0 end) as {{ dbt.type_int() }}) as engineers,
        cast(sum(case when role_family = 'design' then 1 else 0 end) as {{ dbt.type_int() }}) as designers,
        cast(sum(case when role_family = 'other' then 1 else 0 end) as {{ dbt.type_int() }}) as others,
        sum(fte) as fte

    from people
    group by coalesce(team_id, 'unmapped')

),

final as (

    select
        all_teams.team_id,
        all_teams.team_name,
        all_teams.hr_team,
        all_teams.product_id,
        products.portfolio_id,
        products.director,
        products.pm,
        all_teams.default_category,
        coalesce(headcount.headcount, 0) as headcount,
        coalesce(headcount.pms, 0) as pms,
        coalesce(headcount.engineers, 0) as engineers,
        coalesce(headcount.designers, 0) as designers,
        coalesce(headcount.others, 0) as others,
        {{ round_measure('coalesce(headcount.fte, 0)', 4) }} as fte

    from all_teams
    left join products
        on all_teams.product_id = products.product_id
    left join headcount
        on all_teams.team_id = headcount.team_id

)

select * from final
