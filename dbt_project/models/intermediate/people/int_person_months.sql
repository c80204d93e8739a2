{{ config(materialized='table') }}
-- One row per employee and month employed, from the month of hired_on to the month of
-- terminated_on, or to the as-of month while still employed: the FTE-month and loaded
-- cost of each person. Restricted like its salary input: marts aggregate it to products.
-- A table, not a view: its five tests and the four models that read it would each
-- expand every employee into months again.

with

employees as (

    select * from {{ ref('stg_hr__employees') }}
    where hired_on is not null

),

months as (

    select month, month_end, days_in_month from {{ ref('int_month_spine') }}

),

settings as (

    select reporting_currency, loading_factor from {{ ref('int_catalog_settings_pivoted') }}

),

teams as (

    select team_id, product_id, hr_team from {{ ref('stg_catalog__teams') }}

),

role_families as (

    select job_title, role_family from {{ ref('stg_catalog__role_families') }}

),

location_loading_factors as (

    select location, loading_factor from {{ ref('stg_catalog__loading_factors') }}

),

compensation as (

    select * from {{ ref('stg_hr__compensation') }}

),

fx_rates as (

    select month, currency, rate from {{ ref('int_fx_rates_by_month') }}

),

employed_months as (

    select
        employees.employee_key,
        employees.person_key,
        employees.team as hr_team,
        employees.job_title,
        employees.location,
        employees.fte,
        months.month,
        months.month_end,
        months.days_in_month,
        -- hire and termination days both count as employed
        {{ dbt.datediff(
            'greatest(employees.hired_on, months.month)',
            'least(coalesce(employees.terminated_on, months.month_end), months.month_end)',
            'day'
        ) }} + 1 as days_employed

    from employees
    inner join months
        on months.month >= {{ month_of('employees.hired_on') }}
        and (employees.terminated_on is null or months.month <= employees.terminated_on)

),

salary_candidates as (

    -- the salary in force at the month's end; before a person's first recorded
    -- salary (a report that holds only current pay), the earliest one known
    select
        employed_months.employee_key,
        employed_months.month,
        compensation.annual_salary,
        compensation.currency,
        row_number() over (
            partition by employed_months.employee_key, employed_months.month
            order by
                case
                    when coalesce(compensation.effective_on, employed_months.month)
                        <= employed_months.month_end then 0
                    else 1
                end,
                abs({{ dbt.datediff(
                    "coalesce(compensation.effective_on, cast('1900-01-01' as date))",
                    'employed_months.month_end',
                    'day'
                ) }})
        ) as nearness

    from employed_months
    inner join compensation
        on employed_months.employee_key = compensation.employee_key

),

salaries as (

    select employee_key, month, annual_salary, currency
    from salary_candidates
    where nearness = 1

),

fte_months as (

    select
        employed_months.*,
        employed_months.fte
            * cast(employed_months.days_employed as {{ type_double() }})
            / employed_months.days_in_month as fte_month

    from employed_months
    -- a termination date before the hire date places nobody in a month
    where employed_months.days_employed > 0

),

final as (

    select
        fte_months.employee_key,
        fte_months.person_key,
        fte_months.month,
        teams.team_id,
        fte_months.hr_team,
        coalesce(teams.product_id, 'unmapped') as product_id,
        coalesce(role_families.role_family, 'other') as role_family,
        fte_months.location,
        fte_months.fte,
        fte_months.days_employed,
        fte_months.days_in_month,
        fte_months.fte_month,
        coalesce(location_loading_factors.loading_factor, settings.loading_factor)
            as loading_factor,
        salaries.currency as salary_currency,
        fx_rates.rate as fx_rate,
        salaries.annual_salary / 12.0
            * fte_months.fte_month
            * coalesce(location_loading_factors.loading_factor, settings.loading_factor)
            * fx_rates.rate as loaded_cost,
        settings.reporting_currency as currency

    from fte_months
    cross join settings
    left join teams
        on fte_months.hr_team = teams.hr_team
    left join role_families
        on fte_months.job_title = role_families.job_title
    left join location_loading_factors
        on fte_months.location = location_loading_factors.location
    left join salaries
        on fte_months.employee_key = salaries.employee_key
        and fte_months.month = salaries.month
    left join fx_rates
        on fte_months.month = fx_rates.month
        and salaries.currency = fx_rates.currency

)

select * from final
