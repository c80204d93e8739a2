{{ config(materialized='table') }}
-- Restricted (per person). The person-day engine of METRICS.md: each working day of a
-- person's month is split equally across the Jira issues in progress and assigned to
-- them that day; each issue's part goes to its product and category
-- (int_issue_targets, the team's default category when no rule decides). A day with no
-- such issue goes to the team's product as 'unallocated'. share_of_month sums to 1 per
-- person-month, so allocation moves cost between products and loses none.

with

person_days as (

    select * from {{ ref('int_person_working_days') }}

),

issue_days as (

    select issue_id, person_key, day from {{ ref('int_issue_person_days') }}

),

targets as (

    select issue_id, feature_id, product_id, rule_category
    from {{ ref('int_issue_targets') }}

),

teams as (

    select team_id, default_category from {{ ref('stg_catalog__teams') }}

),

split as (

    select
        person_days.*,
        issue_days.issue_id,
        count(issue_days.issue_id) over (
            partition by person_days.employee_key, person_days.month, person_days.day
        ) as issues_that_day

    from person_days
    left join issue_days
        on person_days.person_key = issue_days.person_key
        and person_days.day = issue_days.day

),

allocated as (

    select
        split.employee_key,
        split.month,
        split.day,
        split.team_id,
        split.issue_id,
        targets.feature_id,
        case
            when split.issue_id is null then split.team_product_id
            else targets.product_id
        end as product_id,
        case
            when split.issue_id is null then 'unallocated'
            else coalesce(targets.rule_category, teams.default_category, 'unmapped')
        end as category,
        split.share_of_month
            / case when split.issues_that_day = 0 then 1 else split.issues_that_day end
            as share_of_month,
        split.fte_month,
        split.loaded_cost

    from split
    left join targets
        on split.issue_id = targets.issue_id
    left join teams
        on split.team_id = teams.team_id

),

final as (

    select
        allocated.*,
        allocated.fte_month * allocated.share_of_month as fte_months,
        allocated.loaded_cost * allocated.share_of_month as allocated_cost

    from allocated

)

select * from final
