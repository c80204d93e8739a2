{{ config(materialized='table') }}
-- Restricted (per person). Each person-month's FTE-months and loaded cost by the product
-- and investment category the person-day engine sent them to. capitalizable_cost is the
-- part spent on new_capability and customer_commitment issues while they were in an
-- in-progress (development) status: an estimate for finance to review (METRICS.md).
-- A table, not a view: its tests, int_product_month_folding and two marts would each
-- recompute it from every person-day allocation.

with

allocations as (

    select * from {{ ref('int_person_day_allocations') }}

),

final as (

    select
        employee_key,
        month,
        team_id,
        product_id,
        category,
        sum(share_of_month) as share_of_month,
        sum(fte_months) as fte_months,
        sum(allocated_cost) as allocated_cost,
        sum(
            case
                when issue_id is not null
                    and category in ('new_capability', 'customer_commitment')
                    then allocated_cost
                else 0
            end
        ) as capitalizable_cost

    from allocations
    group by employee_key, month, team_id, product_id, category

)

select * from final
