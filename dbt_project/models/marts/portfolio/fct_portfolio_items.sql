-- One row per roadmap item (Aha! feature) with its product, investment category,
-- status, plan and delivery, the progress of its Jira epics and the effort and cost the
-- person-day engine put on the issues of those epics. planned_quarter is the release
-- the feature was first planned for (its history's first release, else its current
-- one); slip_days count from that release's date to the delivery, never below 0.
-- cost_to_date is folded into the product (null here) when fewer than min_group_size
-- people worked on the item, so no one's salary can be read off a small feature.

with

features as (

    select * from {{ ref('stg_roadmap__features') }}

),

catalog_products as (

    select product_id, aha_prefix from {{ ref('stg_catalog__products') }}

),

products as (

    select product_id, portfolio_id from {{ ref('dim_products') }}

),

settings as (

    select min_group_size from {{ ref('int_catalog_settings_pivoted') }}

),

aha_statuses as (

    select status, meaning
    from {{ ref('stg_catalog__status_map') }}
    where tool = 'aha'

),

history as (

    select item_id, field, to_value, changed_at, audit_id
    from {{ ref('stg_roadmap__history') }}
    where item_type = 'feature'

),

first_releases as (

    select
        item_id as feature_id,
        to_value as release_name,
        row_number() over (
            partition by item_id
            order by changed_at, {{ dbt.length('audit_id') }}, audit_id
        ) as release_order

    from history
    where field = 'release' and to_value is not null

),

release_dates as (

    -- a release's date as the features currently in it carry it
    select release_name, max(release_date) as release_date
    from features
    where release_name is not null
    group by release_name

),

deliveries as (

    select history.item_id as feature_id, min(history.changed_at) as delivered_at
    from history
    inner join aha_statuses
        on history.to_value = aha_statuses.status
    where history.field = 'workflow_status' and aha_statuses.meaning = 'delivered'
    group by history.item_id

),

epic_statuses as (

    select issues.issue_key, intervals.status_category
    from {{ ref('int_issue_status_intervals') }} as intervals
    inner join {{ ref('stg_jira__issues') }} as issues
        on intervals.issue_id = issues.issue_id
    where intervals.valid_to is null

),

effort as (

    select
        feature_id,
        sum(fte_months) as effort_fte_months,
        sum(allocated_cost) as cost_to_date,
        count(distinct employee_key) as contributors

    from {{ ref('int_person_day_allocations') }}
    where feature_id is not null
    group by feature_id

),

joined as (

    select
        features.feature_id,
        features.reference_num,
        features.name,
        coalesce(catalog_products.product_id, 'unmapped') as product_id,
        features.initiative_ref,
        case
            when features.category in (
                'new_capability', 'customer_commitment', 'ktlo', 'tech_investment'
            ) then features.category
            when features.category is null then 'unassigned'
            else 'unmapped'
        end as category,
        features.customer,
        features.status,
        coalesce(aha_statuses.meaning, 'unmapped') as status_meaning,
        coalesce(first_releases.release_name, features.release_name) as planned_release,
        features.release_name as current_release,
        features.release_date,
        cast(
            coalesce(
                deliveries.delivered_at,
                case when aha_statuses.meaning = 'delivered' then features.updated_at end
            ) as date
        ) as delivered_on,
        case when epic_statuses.issue_key is null then 0 else 1 end as epics_total,
        case when epic_statuses.status_category = 'done' then 1 else 0 end as epics_done,
        coalesce(effort.effort_fte_months, 0) as effort_fte_months,
        coalesce(effort.cost_to_date, 0) as cost_to_date,
        coalesce(effort.contributors, 0) as contributors

    from features
    left join catalog_products
        on features.product_prefix = catalog_products.aha_prefix
    left join aha_statuses
        on features.status = aha_statuses.status
    left join first_releases
        on features.feature_id = first_releases.feature_id
        and first_releases.release_order = 1
    left join deliveries
        on features.feature_id = deliveries.feature_id
    left join epic_statuses
        on features.jira_epic_key = epic_statuses.issue_key
    left join effort
        on features.feature_id = effort.feature_id

),

planned as (

    select
        joined.*,
        release_dates.release_date as planned_on

    from joined
    left join release_dates
        on joined.planned_release = release_dates.release_name

),

final as (

    select
        planned.feature_id,
        planned.reference_num,
        planned.name,
        products.portfolio_id,
        planned.product_id,
        planned.initiative_ref,
        planned.category,
        planned.customer,
        planned.status,
        planned.status_meaning,
        {{ release_quarter('planned.planned_release') }} as planned_quarter,
        planned.planned_on,
        planned.current_release,
        planned.delivered_on,
        case
            when planned.delivered_on is null or planned.planned_on is null then null
            else planned.delivered_on <= planned.planned_on
        end as on_time,
        case
            when planned.delivered_on is null or planned.planned_on is null then null
            when planned.delivered_on <= planned.planned_on then 0
            else {{ dbt.datediff('planned.planned_on', 'planned.delivered_on', 'day') }}
        end as slip_days,
        planned.epics_done,
        planned.epics_total,
        {{ round_measure('planned.effort_fte_months', 4) }} as effort_fte_months,
        case
            when planned.contributors > 0 and planned.contributors < settings.min_group_size
                then null
            else {{ round_money('planned.cost_to_date') }}
        end as cost_to_date,
        planned.contributors > 0 and planned.contributors < settings.min_group_size
            as cost_folded_into_product

    from planned
    cross join settings
    left join products
        on planned.product_id = products.product_id

)

select * from final
