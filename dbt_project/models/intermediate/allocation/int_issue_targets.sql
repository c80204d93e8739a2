{{ config(materialized='table') }}
-- Where the effort on each Jira issue goes: issue -> its current epic -> the Aha!
-- feature linked to that epic -> product and investment category (METRICS.md). The
-- product is the feature's product, else the product of the issue's Jira project, else
-- 'unmapped'. The category is the feature's investment_category, else the catalog's
-- issue-type rule (Bug -> ktlo), else its label rule (first matching label), else null:
-- the person's team default then decides, in int_person_day_allocations.
-- A table, not a view: its three tests, int_person_day_allocations and
-- fct_unmapped_values would each recompute it from every Jira issue (1.4M at scale m).

with

issues as (

    select issue_id, issue_key, project_key, issue_type, epic_key, labels
    from {{ ref('stg_jira__issues') }}

),

products as (

    select product_id, aha_prefix from {{ ref('stg_catalog__products') }}

),

project_products as (

    select value as project_key, product_id
    from {{ ref('stg_catalog__product_mappings') }}
    where kind = 'jira_project'

),

category_rules as (

    select kind, value, category from {{ ref('stg_catalog__category_rules') }}

),

investment_categories as (

    select 'new_capability' as category
    union all select 'customer_commitment'
    union all select 'ktlo'
    union all select 'tech_investment'

),

features_ranked as (

    select
        features.feature_id,
        features.jira_epic_key,
        products.product_id,
        investment_categories.category,
        -- one epic is linked to one feature; should two claim it, the oldest wins
        row_number() over (
            partition by features.jira_epic_key
            order by features.created_at, features.feature_id
        ) as claim_order

    from {{ ref('stg_roadmap__features') }} as features
    left join products
        on features.product_prefix = products.aha_prefix
    left join investment_categories
        on features.category = investment_categories.category
    where features.jira_epic_key is not null

),

epic_features as (

    select feature_id, jira_epic_key, product_id, category
    from features_ranked
    where claim_order = 1

),

label_matches as (

    select
        issues.issue_id,
        category_rules.category,
        row_number() over (
            partition by issues.issue_id
            order by
                {{ dbt.position(
                    dbt.concat(["','", "category_rules.value", "','"]),
                    dbt.concat(["','", "issues.labels", "','"])
                ) }},
                category_rules.category
        ) as match_order

    from issues
    inner join category_rules
        on category_rules.kind = 'jira_label'
        and {{ dbt.position(
                dbt.concat(["','", "category_rules.value", "','"]),
                dbt.concat(["','", "issues.labels", "','"])
            ) }} > 0

),

type_rules as (

    select lower(value) as issue_type, category
    from category_rules
    where kind = 'jira_issue_type'

),

final as (

    select
        issues.issue_id,
        issues.issue_key,
        issues.project_key,
        issues.issue_type,
        issues.epic_key,
        epic_features.feature_id,
        coalesce(epic_features.product_id, project_products.product_id, 'unmapped')
            as product_id,
        case
            when epic_features.product_id is not null then 'roadmap_feature'
            when project_products.product_id is not null then 'jira_project'
            else 'unmapped'
        end as product_source,
        coalesce(epic_features.category, type_rules.category, label_matches.category)
            as rule_category,
        case
            when epic_features.category is not null then 'roadmap_feature'
            when type_rules.category is not null then 'jira_issue_type'
            when label_matches.category is not null then 'jira_label'
            else 'team_default'
        end as category_source

    from issues
    left join epic_features
        on issues.epic_key = epic_features.jira_epic_key
    left join project_products
        on issues.project_key = project_products.project_key
    left join type_rules
        on lower(issues.issue_type) = type_rules.issue_type
    left join label_matches
        on issues.issue_id = label_matches.issue_id
        and label_matches.match_order = 1

)

select * from final
