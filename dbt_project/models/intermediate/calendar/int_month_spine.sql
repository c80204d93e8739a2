-- Every month of the finance history: from the first to the last month of revenue or GL
-- data (HR hires only when there is no finance data). People employed long before the
-- history starts must not make early months look like pure cost, and a month whose books
-- are not closed yet (a hire this week) must not look like a month without revenue.
-- The last month is the as-of month, taken from the data and never from current_date,
-- so a rebuild of the same exports gives the same answers.

with

revenue_months as (

    select period_month as month
    from {{ ref('stg_finance__revenue') }}

),

gl_months as (

    select {{ month_of('posted_on') }} as month
    from {{ ref('stg_finance__gl_lines') }}

),

hire_months as (

    select {{ month_of('hired_on') }} as month
    from {{ ref('stg_hr__employees') }}
    where hired_on is not null

),

finance_months as (

    select month from revenue_months
    union all
    select month from gl_months

),

bounds as (

    select
        coalesce(
            (select min(month) from finance_months),
            (select min(month) from hire_months)
        ) as first_month,
        coalesce(
            (select max(month) from finance_months),
            (select max(month) from hire_months)
        ) as last_month

),

spine as (

    {{ month_spine('bounds', 'first_month', 'last_month') }}

),

final as (

    select
        spine.month,
        {{ month_end_of('spine.month') }} as month_end,
        {{ days_in_month('spine.month') }} as days_in_month,
        spine.month = bounds.last_month as is_as_of_month

    from spine
    cross join bounds

)

select * from final
