-- Say/do per product and quarter (METRICS.md, roadmap predictability): the roadmap
-- features planned for the quarter as they stood on its first day, rebuilt from the
-- Aha! audit history, and how many of those were delivered by the quarter's end.
-- A feature counts as delivered once its status means delivered (or done) in the
-- catalog's status map. A release is placed in the quarter of its release date as the
-- roadmap export reports it; a release no current feature carries any more is read from
-- its name when that follows Aha!'s "YYYY Qn" convention.

with

features as (

    select
        features.feature_id,
        coalesce(products.product_id, 'unmapped') as product_id

    from {{ ref('stg_roadmap__features') }} as features
    left join {{ ref('stg_catalog__products') }} as products
        on features.product_prefix = products.aha_prefix

),

history as (

    select * from {{ ref('stg_roadmap__history') }}
    where item_type = 'feature'

),

delivered_statuses as (

    select status
    from {{ ref('stg_catalog__status_map') }}
    where tool = 'aha'
        and meaning in ('delivered', 'done')

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

dated_releases as (

    select
        release_name,
        cast({{ dbt.date_trunc('quarter', 'max(release_date)') }} as date) as quarter_start

    from {{ ref('stg_roadmap__features') }}
    where release_name is not null
        and release_date is not null
    group by release_name

),

release_names as (

    select distinct to_value as release_name
    from history
    where field = 'release'
        and to_value is not null

),

release_quarters as (

    select
        release_names.release_name,
        coalesce(
            dated_releases.quarter_start,
            case
                when {{ dbt.length('release_names.release_name') }} = 7
                    and substr(release_names.release_name, 5, 2) = ' Q'
                    and substr(release_names.release_name, 7, 1) in ('1', '2', '3', '4')
                    and substr(release_names.release_name, 1, 4) between '1900' and '2999'
                    then cast({{ dbt.concat([
                        "substr(release_names.release_name, 1, 4)",
                        "'-'",
                        "case substr(release_names.release_name, 7, 1) when '1' then '01' when '2' then '04' when '3' then '07' else '10' end",
                        "'-01'"
                    ]) }} as date)
            end
        ) as quarter_start

    from release_names
    left join dated_releases
        on release_names.release_name = dated_releases.release_name

),

bounds as (

    select
        cast({{ dbt.date_trunc('quarter', 'min(history.changed_at)') }} as date) as first_quarter,
        cast({{ dbt.date_trunc('quarter', dbt.dateadd('day', -1, 'max(as_of.as_of_date)')) }} as date)
            as last_quarter

    from history
    cross join as_of

),

months as (

    {{ month_spine('bounds', 'first_quarter', 'last_quarter') }}

),

quarters as (

    select
        months.month as quarter_start,
        cast({{ dbt.dateadd('month', 3, 'months.month') }} as date) as next_quarter_start,
        as_of.as_of_date

    from months
    cross join as_of
    where extract(month from months.month) in (1, 4, 7, 10)

),

feature_quarters as (

    select
        features.feature_id,
        features.product_id,
        quarters.quarter_start,
        quarters.next_quarter_start,
        quarters.as_of_date

    from features
    cross join quarters

),

release_at_start as (

    -- the feature's release as it stood when the quarter began
    select
        feature_quarters.feature_id,
        feature_quarters.quarter_start,
        history.to_value as release_name,
        row_number() over (
            partition by feature_quarters.feature_id, feature_quarters.quarter_start
            order by history.changed_at desc, history.audit_id desc
        ) as recency

    from feature_quarters
    inner join history
        on feature_quarters.feature_id = history.item_id
        and history.field = 'release'
        and history.changed_at < feature_quarters.quarter_start

),

first_delivered as (

    select
        history.item_id as feature_id,
        min(history.changed_at) as delivered_at

    from history
    inner join delivered_statuses
        on history.to_value = delivered_statuses.status
    where history.field = 'workflow_status'
    group by history.item_id

),

feature_outcomes as (

    select
        feature_quarters.feature_id,
        feature_quarters.product_id,
        feature_quarters.quarter_start,
        feature_quarters.next_quarter_start,
        feature_quarters.as_of_date,
        -- committed: planned for this quarter on its first day and not delivered before it
        coalesce(
            release_quarters.quarter_start = feature_quarters.quarter_start
            and (
                first_delivered.delivered_at is null
                or first_delivered.delivered_at >= feature_quarters.quarter_start
            ),
            false
        ) as is_committed,
        coalesce(
            first_delivered.delivered_at >= feature_quarters.quarter_start
            and first_delivered.delivered_at < feature_quarters.next_quarter_start,
            false
        ) as delivered_in_quarter,
        coalesce(first_delivered.delivered_at < feature_quarters.next_quarter_start, false)
            as delivered_by_quarter_end

    from feature_quarters
    left join release_at_start
        on feature_quarters.feature_id = release_at_start.feature_id
        and feature_quarters.quarter_start = release_at_start.quarter_start
        and release_at_start.recency = 1
    left join release_quarters
        on release_at_start.release_name = release_quarters.release_name
    left join first_delivered
        on feature_quarters.feature_id = first_delivered.feature_id

),

aggregated as (

    select
        product_id,
        quarter_start,
        max(next_quarter_start) as next_quarter_start,
        max(as_of_date) as as_of_date,
        sum(case when is_committed then 1 else 0 end) as committed_at_quarter_start,
        sum(case when is_committed and delivered_by_quarter_end then 1 else 0 end)
            as delivered_in_quarter,
        sum(case when delivered_in_quarter and not is_committed then 1 else 0 end)
            as delivered_unplanned

    from feature_outcomes
    group by product_id, quarter_start

),

final as (

    select
        product_id,
        {{ quarter_label('quarter_start') }} as quarter,
        quarter_start,
        cast({{ dbt.dateadd('day', -1, 'next_quarter_start') }} as date) as quarter_end,
        next_quarter_start <= as_of_date as is_complete,
        committed_at_quarter_start,
        delivered_in_quarter,
        committed_at_quarter_start - delivered_in_quarter as not_delivered,
        delivered_unplanned,
        case
            when committed_at_quarter_start > 0
                then {{ round_measure('cast(delivered_in_quarter as ' ~ type_double() ~ ') / committed_at_quarter_start', 4) }}
        end as say_do_ratio

    from aggregated

)

select * from final
