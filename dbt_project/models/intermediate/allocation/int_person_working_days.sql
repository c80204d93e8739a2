-- Restricted (per person). Each person-month split into the working days (Monday to
-- Friday) the person was employed, each carrying an equal share of the month; hire and
-- leaving days count. A month employed on no working day at all (hired on the last
-- Saturday) is one row without a day that carries the whole month, so no cost is lost.

with

person_months as (

    select
        employee_key,
        person_key,
        month,
        team_id,
        product_id,
        fte_month,
        loaded_cost

    from {{ ref('int_person_months') }}

),

employment as (

    select employee_key, hired_on, terminated_on
    from {{ ref('stg_hr__employees') }}

),

working_days as (

    select day, month
    from {{ ref('int_calendar_days') }}
    where is_working_day

),

employed_days as (

    select
        person_months.employee_key,
        person_months.month,
        working_days.day

    from person_months
    inner join employment
        on person_months.employee_key = employment.employee_key
    inner join working_days
        on person_months.month = working_days.month
        and working_days.day >= employment.hired_on
        and (employment.terminated_on is null or working_days.day <= employment.terminated_on)

),

day_counts as (

    select employee_key, month, count(*) as working_days_employed
    from employed_days
    group by employee_key, month

),

final as (

    select
        person_months.employee_key,
        person_months.person_key,
        person_months.month,
        employed_days.day,
        person_months.team_id,
        person_months.product_id as team_product_id,
        coalesce(day_counts.working_days_employed, 0) as working_days_employed,
        case
            when day_counts.working_days_employed is null then 1.0
            else 1.0 / day_counts.working_days_employed
        end as share_of_month,
        person_months.fte_month,
        person_months.loaded_cost

    from person_months
    left join day_counts
        on person_months.employee_key = day_counts.employee_key
        and person_months.month = day_counts.month
    left join employed_days
        on person_months.employee_key = employed_days.employee_key
        and person_months.month = employed_days.month

)

select * from final
