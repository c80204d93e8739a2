{{ config(materialized='table') }}
-- Restricted (per person). The person-day engine's result (METRICS.md) per person,
-- month and issue: int_person_issue_months' shares of each person-month, each issue's
-- part sent to its product and category (int_issue_targets, the team's default
-- category when no rule decides), the share without an issue to the team's product as
-- 'unallocated', priced with the person-month's FTE and loaded cost. These joins are
-- cheap and rebuilt every time, so epic, roadmap and catalog remapping and salary or FX
-- changes never wait for the incremental shares. share_of_month sums to 1 per
-- person-month, so allocation moves cost between products and loses none.

with

shares as (

    select employee_key, month, issue_id, share_of_month
    from {{ ref('int_person_issue_months') }}

),

person_months as (

    select employee_key, month, team_id, product_id, fte_month, loaded_cost
    from {{ ref('int_person_months') }}

),

targets as (

    select issue_id, feature_id, product_id, rule_category
    from {{ ref('int_issue_targets') }}

),

teams as (

    select team_id, default_category from {{ ref('stg_catalog__teams') }}

),

allocated as (

    select
        shares.employee_key,
        shares.month,
        person_months.team_id,
        shares.issue_id,
        targets.feature_id,
        case
            when shares.issue_id is null then person_months.product_id
            else targets.product_id
        end as product_id,
        case
            when shares.issue_id is null then 'unallocated'
            else coalesce(targets.rule_category, teams.default_category, 'unmapped')
        end as category,
        shares.share_of_month,
        person_months.fte_month,
        person_months.loaded_cost

    from shares
    inner join person_months
        on shares.employee_key = person_months.employee_key
        and shares.month = person_months.month
    left join targets
        on shares.issue_id = targets.issue_id
    left join teams
        on person_months.team_id = teams.team_id

),

final as (

    select
        allocated.*,
        allocated.fte_month * allocated.share_of_month as fte_months,
        allocated.loaded_cost * allocated.share_of_month as allocated_cost

    from allocated

)

select * from final
