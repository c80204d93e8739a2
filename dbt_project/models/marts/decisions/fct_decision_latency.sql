-- Time to decision per product area and quarter (METRICS.md): decisions taken in the
-- quarter (grouped by the quarter of the decision), their outcomes and reversals, the
-- median and 90th percentile of whole days to decide, ideas created (throughput in),
-- and the undecided backlog aged at the quarter's close, or on the as-of date for the
-- running quarter. Every area has a row for every quarter, so a quarter without
-- decisions shows zero decided and a null median instead of vanishing.

with

decisions as (

    select * from {{ ref('fct_decisions') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

catalog_areas as (

    select product_id, product_area from {{ ref('stg_catalog__product_areas') }}

),

areas as (

    -- the catalog's areas, plus any area ideas carry that the catalog does not know
    select product_id, product_area from catalog_areas
    union all
    select max(product_id), product_area
    from decisions
    where product_area not in (select product_area from catalog_areas)
    group by product_area

),

bounds as (

    select
        cast({{ dbt.date_trunc('quarter', 'min(decisions.created_at)') }} as date) as first_quarter,
        cast({{ dbt.date_trunc('quarter', dbt.dateadd('day', -1, 'max(as_of.as_of_date)')) }} as date)
            as last_quarter

    from decisions
    cross join as_of

),

months as (

    {{ month_spine('bounds', 'first_quarter', 'last_quarter') }}

),

quarters as (

    select
        months.month as quarter_start,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 3, 'months.month')) }} as date) as quarter_end,
        as_of.as_of_date

    from months
    cross join as_of
    where extract(month from months.month) in (1, 4, 7, 10)

),

area_quarters as (

    select
        areas.product_id,
        areas.product_area,
        quarters.quarter_start,
        quarters.quarter_end,
        quarters.as_of_date,
        -- the backlog is aged on the day after the quarter's close, or on the as-of date
        case
            when quarters.quarter_end < quarters.as_of_date
                then cast({{ dbt.dateadd('day', 1, 'quarters.quarter_end') }} as date)
            else quarters.as_of_date
        end as backlog_on

    from areas
    cross join quarters

),

decided as (

    select
        product_area,
        decision_quarter_start as quarter_start,
        count(*) as decided,
        sum(case when outcome = 'accepted' then 1 else 0 end) as accepted,
        sum(case when outcome = 'declined' then 1 else 0 end) as declined,
        sum(case when reversed then 1 else 0 end) as reversed,
        percentile_cont(0.5) within group (order by days_to_decision) as median_days,
        percentile_cont(0.9) within group (order by days_to_decision) as p90_days

    from decisions
    where decided_at is not null
    group by product_area, decision_quarter_start

),

created as (

    select
        product_area,
        cast({{ dbt.date_trunc('quarter', 'created_at') }} as date) as quarter_start,
        count(*) as created

    from decisions
    group by product_area, cast({{ dbt.date_trunc('quarter', 'created_at') }} as date)

),

backlog_ages as (

    select
        area_quarters.product_area,
        area_quarters.quarter_start,
        {{ dbt.datediff('cast(decisions.created_at as date)', 'area_quarters.backlog_on', 'day') }}
            as age_days

    from area_quarters
    inner join decisions
        on area_quarters.product_area = decisions.product_area
        and cast(decisions.created_at as date) < area_quarters.backlog_on
        and (
            decisions.decided_at is null
            or cast(decisions.decided_at as date) >= area_quarters.backlog_on
        )

),

backlog as (

    select
        product_area,
        quarter_start,
        count(*) as undecided,
        sum(case when age_days <= 7 then 1 else 0 end) as undecided_0_7,
        sum(case when age_days between 8 and 30 then 1 else 0 end) as undecided_8_30,
        sum(case when age_days between 31 and 90 then 1 else 0 end) as undecided_31_90,
        sum(case when age_days > 90 then 1 else 0 end) as undecided_over_90

    from backlog_ages
    group by product_area, quarter_start

),

final as (

    select
        area_quarters.product_id,
        area_quarters.product_area,
        {{ quarter_label('area_quarters.quarter_start') }} as quarter,
        area_quarters.quarter_start,
        area_quarters.quarter_end,
        area_quarters.quarter_end < area_quarters.as_of_date as is_complete,
        coalesce(created.created, 0) as created,
        coalesce(decided.decided, 0) as decided,
        coalesce(decided.accepted, 0) as accepted,
        coalesce(decided.declined, 0) as declined,
        coalesce(decided.reversed, 0) as reversed,
        cast(decided.median_days as {{ type_double() }}) as median_days,
        {{ round_measure('decided.p90_days', 1) }} as p90_days,
        area_quarters.backlog_on,
        coalesce(backlog.undecided, 0) as undecided,
        coalesce(backlog.undecided_0_7, 0) as undecided_0_7,
        coalesce(backlog.undecided_8_30, 0) as undecided_8_30,
        coalesce(backlog.undecided_31_90, 0) as undecided_31_90,
        coalesce(backlog.undecided_over_90, 0) as undecided_over_90

    from area_quarters
    left join decided
        on area_quarters.product_area = decided.product_area
        and area_quarters.quarter_start = decided.quarter_start
    left join created
        on area_quarters.product_area = created.product_area
        and area_quarters.quarter_start = created.quarter_start
    left join backlog
        on area_quarters.product_area = backlog.product_area
        and area_quarters.quarter_start = backlog.quarter_start

)

select * from final
