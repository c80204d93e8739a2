{{ config(materialized='table') }}
-- Who was employed on the last day of each month of the spine, with their catalog team,
-- the team's product and their role family: the headcount behind dim_teams and
-- fct_org_shape. Someone who left during the month is not counted at its end.
-- A table, not a view: its tests, dim_teams and fct_org_shape would each recompute it.

with

person_months as (

    select employee_key, month, team_id, product_id, role_family, fte
    from {{ ref('int_person_months') }}

),

employment as (

    select employee_key, hired_on, terminated_on
    from {{ ref('stg_hr__employees') }}

),

months as (

    select month, month_end, is_as_of_month from {{ ref('int_month_spine') }}

),

final as (

    select
        person_months.employee_key,
        person_months.month,
        months.is_as_of_month,
        person_months.team_id,
        person_months.product_id,
        person_months.role_family,
        person_months.fte

    from person_months
    inner join months
        on person_months.month = months.month
    inner join employment
        on person_months.employee_key = employment.employee_key
    where employment.hired_on <= months.month_end
        and (employment.terminated_on is null or employment.terminated_on >= months.month_end)

)

select * from final
