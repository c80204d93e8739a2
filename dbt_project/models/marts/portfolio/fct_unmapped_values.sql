-- Every value a source sent that the catalog does not map, with how often it occurs and
-- what it carries (METRICS.md: unmapped values never vanish). The data-health page
-- lists these so product ops knows what to add to catalog.yml. amount is money in the
-- reporting currency (revenue or R&D cost landing on 'unmapped'); fte_months is effort
-- the allocation engine could not place on a catalog product. People counts below
-- min_group_size carry no amount, so no salary can be read off a small unmapped team.

with

settings as (

    select reporting_currency, min_group_size from {{ ref('int_catalog_settings_pivoted') }}

),

mappings as (

    select kind, value from {{ ref('stg_catalog__product_mappings') }}

),

fx_rates as (

    select month, currency, rate from {{ ref('int_fx_rates_by_month') }}

),

unmapped_skus as (

    select
        'finance' as source,
        'sku' as kind,
        revenue.sku as value,
        count(*) as occurrences,
        sum(revenue.amount * fx_rates.rate) as amount,
        cast(null as {{ type_double() }}) as fte_months

    from {{ ref('stg_finance__revenue') }} as revenue
    left join mappings
        on mappings.kind = 'sku' and revenue.sku = mappings.value
    left join fx_rates
        on revenue.period_month = fx_rates.month and revenue.currency = fx_rates.currency
    where mappings.value is null
    group by revenue.sku

),

unmapped_cost_centres as (

    select
        'finance' as source,
        'cost_centre' as kind,
        gl_lines.cost_centre as value,
        count(*) as occurrences,
        sum(gl_lines.amount * fx_rates.rate) as amount,
        cast(null as {{ type_double() }}) as fte_months

    from {{ ref('stg_finance__gl_lines') }} as gl_lines
    inner join {{ ref('stg_catalog__rnd_accounts') }} as rnd_accounts
        on gl_lines.account = rnd_accounts.account
    left join mappings
        on mappings.kind = 'cost_centre' and gl_lines.cost_centre = mappings.value
    left join fx_rates
        on {{ month_of('gl_lines.posted_on') }} = fx_rates.month
        and gl_lines.currency = fx_rates.currency
    where mappings.value is null
    group by gl_lines.cost_centre

),

unmapped_hr_teams as (

    select
        'hr' as source,
        'hr_team' as kind,
        coalesce(hr_team, '(no team)') as value,
        count(distinct employee_key) as occurrences,
        sum(loaded_cost) as amount,
        sum(fte_month) as fte_months

    from {{ ref('int_person_months') }}
    where team_id is null
    group by coalesce(hr_team, '(no team)')

),

unmapped_job_titles as (

    select
        'hr' as source,
        'job_title' as kind,
        coalesce(employees.job_title, '(no title)') as value,
        count(*) as occurrences,
        cast(null as {{ type_double() }}) as amount,
        cast(null as {{ type_double() }}) as fte_months

    from {{ ref('stg_hr__employees') }} as employees
    left join {{ ref('stg_catalog__role_families') }} as role_families
        on employees.job_title = role_families.job_title
    where role_families.job_title is null
    group by coalesce(employees.job_title, '(no title)')

),

issue_effort as (

    select issue_id, sum(fte_months) as fte_months
    from {{ ref('int_person_day_allocations') }}
    where issue_id is not null
    group by issue_id

),

unmapped_jira_projects as (

    select
        'jira' as source,
        'jira_project' as kind,
        targets.project_key as value,
        count(*) as occurrences,
        cast(null as {{ type_double() }}) as amount,
        sum(coalesce(issue_effort.fte_months, 0)) as fte_months

    from {{ ref('int_issue_targets') }} as targets
    left join issue_effort
        on targets.issue_id = issue_effort.issue_id
    where targets.product_source = 'unmapped'
    group by targets.project_key

),

jira_status_names as (

    select status from {{ ref('stg_jira__issues') }}
    union all
    select to_status as status from {{ ref('stg_jira__status_changes') }}
    union all
    select status_name as status from {{ ref('stg_jira__statuses') }}

),

unmapped_jira_statuses as (

    select
        'jira' as source,
        'jira_status' as kind,
        jira_status_names.status as value,
        count(*) as occurrences,
        cast(null as {{ type_double() }}) as amount,
        cast(null as {{ type_double() }}) as fte_months

    from jira_status_names
    left join {{ ref('stg_catalog__status_map') }} as status_map
        on status_map.tool = 'jira' and jira_status_names.status = status_map.status
    where jira_status_names.status is not null and status_map.status is null
    group by jira_status_names.status

),

hr_people as (

    select distinct person_key from {{ ref('stg_hr__employees') }}
    where person_key is not null

),

unknown_assignees as (

    -- work by people HR does not list (contractors, people outside the export) costs
    -- nothing in the warehouse; counted in days, never named
    select
        'jira' as source,
        'assignee_not_in_hr' as kind,
        '(Jira assignees without an HR record)' as value,
        count(*) as occurrences,
        cast(null as {{ type_double() }}) as amount,
        cast(null as {{ type_double() }}) as fte_months

    from {{ ref('int_issue_person_days') }} as issue_days
    left join hr_people
        on issue_days.person_key = hr_people.person_key
    where hr_people.person_key is null
    having count(*) > 0

),

features as (

    select feature_id, product_prefix, status, category
    from {{ ref('stg_roadmap__features') }}

),

unmapped_aha_prefixes as (

    select
        'roadmap' as source,
        'aha_product_prefix' as kind,
        coalesce(features.product_prefix, '(no product)') as value,
        count(*) as occurrences,
        cast(null as {{ type_double() }}) as amount,
        cast(null as {{ type_double() }}) as fte_months

    from features
    left join {{ ref('stg_catalog__products') }} as products
        on features.product_prefix = products.aha_prefix
    where products.product_id is null
    group by coalesce(features.product_prefix, '(no product)')

),

aha_status_names as (

    select status from features
    union all
    select status from {{ ref('stg_roadmap__ideas') }}

),

unmapped_aha_statuses as (

    select
        'roadmap' as source,
        'aha_status' as kind,
        aha_status_names.status as value,
        count(*) as occurrences,
        cast(null as {{ type_double() }}) as amount,
        cast(null as {{ type_double() }}) as fte_months

    from aha_status_names
    left join {{ ref('stg_catalog__status_map') }} as status_map
        on status_map.tool = 'aha' and aha_status_names.status = status_map.status
    where aha_status_names.status is not null and status_map.status is null
    group by aha_status_names.status

),

unknown_categories as (

    select
        'roadmap' as source,
        'investment_category' as kind,
        category as value,
        count(*) as occurrences,
        cast(null as {{ type_double() }}) as amount,
        cast(null as {{ type_double() }}) as fte_months

    from features
    where category is not null
        and category not in ('new_capability', 'customer_commitment', 'ktlo', 'tech_investment')
    group by category

),

unioned as (

    select * from unmapped_skus
    union all select * from unmapped_cost_centres
    union all select * from unmapped_hr_teams
    union all select * from unmapped_job_titles
    union all select * from unmapped_jira_projects
    union all select * from unmapped_jira_statuses
    union all select * from unknown_assignees
    union all select * from unmapped_aha_prefixes
    union all select * from unmapped_aha_statuses
    union all select * from unknown_categories

),

final as (

    select
        cast(unioned.source as {{ dbt.type_string() }}) as source,
        cast(unioned.kind as {{ dbt.type_string() }}) as kind,
        cast(unioned.value as {{ dbt.type_string() }}) as value,
        unioned.occurrences,
        case
            -- people cost of a group smaller than min_group_size is never published
            when unioned.kind = 'hr_team' and unioned.occurrences < settings.min_group_size
                then null
            else {{ round_money('unioned.amount') }}
        end as amount,
        {{ round_measure('unioned.fte_months', 4) }} as fte_months,
        settings.reporting_currency as currency

    from unioned
    cross join settings

)

select * from final
