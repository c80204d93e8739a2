-- One row per objective of every period (METRICS.md, OKR progress), scored on the
-- as-of date, or at the period's end once it is over. score = weight-averaged capped
-- progress of its key results that have a value (rejected ones and those without a
-- check-in are left out and counted). Each row names the portfolio and its director,
-- so a director filters on their role handle and sees their whole tree: the portfolio's
-- objectives and those of every product in it.

{% set committed_bar = var('okr_committed_bar', 1.0) %}
{% set aspirational_bar = var('okr_aspirational_bar', 0.7) %}

with

objectives as (

    select * from {{ ref('stg_okr__objectives') }}

),

key_results as (

    select * from {{ ref('stg_okr__key_results') }}

),

latest_progress as (

    select * from {{ ref('fct_key_result_progress') }}
    where is_latest_week

),

portfolios as (

    select * from {{ ref('stg_catalog__portfolios') }}

),

products as (

    select * from {{ ref('stg_catalog__products') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

kr_counts as (

    select
        objective_id,
        count(*) as kr_count

    from key_results
    group by objective_id

),

rolled_up as (

    select
        objective_id,
        sum(case when score is not null then 1 else 0 end) as scored_kr_count,
        sum(case when status = 'rejected' then 1 else 0 end) as rejected_kr_count,
        sum(case when status = 'at_risk' then 1 else 0 end) as at_risk_count,
        sum(case when status = 'lagging' then 1 else 0 end) as lagging_count,
        sum(case when status = 'achieved' then 1 else 0 end) as achieved_count,
        sum(case when status = 'no_checkin' then 1 else 0 end) as no_checkin_count,
        sum(case when confidence_flag then 1 else 0 end) as confidence_flag_count,
        sum(case when score is not null then weight * score end) as weighted_score,
        sum(case when score is not null then weight end) as scored_weight,
        max(reference_day) as scored_through

    from latest_progress
    group by objective_id

),

joined as (

    select
        objectives.objective_id,
        objectives.title,
        objectives.period,
        objectives.period_start,
        objectives.period_end,
        objectives.kind,
        objectives.owner,
        objectives.org_unit,
        case
            when org_portfolios.portfolio_id is not null then 'portfolio'
            when products.product_id is not null then 'product'
            else 'unmapped'
        end as org_unit_kind,
        coalesce(org_portfolios.portfolio_id, products.portfolio_id, 'unmapped') as portfolio_id,
        coalesce(org_portfolios.director, product_portfolios.director) as director,
        objectives.parent_objective_id,
        coalesce(kr_counts.kr_count, 0) as kr_count,
        coalesce(rolled_up.scored_kr_count, 0) as scored_kr_count,
        coalesce(rolled_up.rejected_kr_count, 0) as rejected_kr_count,
        coalesce(rolled_up.at_risk_count, 0) as at_risk_count,
        coalesce(rolled_up.lagging_count, 0) as lagging_count,
        coalesce(rolled_up.achieved_count, 0) as achieved_count,
        coalesce(rolled_up.no_checkin_count, 0) as no_checkin_count,
        coalesce(rolled_up.confidence_flag_count, 0) as confidence_flag_count,
        case
            when rolled_up.scored_weight > 0 then rolled_up.weighted_score / rolled_up.scored_weight
        end as raw_score,
        case when objectives.kind = 'committed' then {{ committed_bar }} else {{ aspirational_bar }} end
            as score_bar,
        rolled_up.scored_through,
        objectives.period_start >= as_of.as_of_date as is_future,
        objectives.period_end < as_of.as_of_date as period_ended

    from objectives
    cross join as_of
    left join kr_counts
        on objectives.objective_id = kr_counts.objective_id
    left join rolled_up
        on objectives.objective_id = rolled_up.objective_id
    left join portfolios as org_portfolios
        on objectives.org_unit = org_portfolios.portfolio_id
    left join products
        on objectives.org_unit = products.product_id
    left join portfolios as product_portfolios
        on products.portfolio_id = product_portfolios.portfolio_id

),

final as (

    select
        objective_id,
        title,
        period,
        period_start,
        period_end,
        kind,
        owner,
        org_unit,
        org_unit_kind,
        portfolio_id,
        director,
        parent_objective_id,
        kr_count,
        scored_kr_count,
        rejected_kr_count,
        at_risk_count,
        confidence_flag_count,
        {{ round_measure('raw_score', 4) }} as score,
        cast(score_bar as {{ type_double() }}) as score_bar,
        case
            when is_future then 'not_started'
            when raw_score is null then 'no_checkin'
            when period_ended and raw_score >= score_bar then 'achieved'
            when period_ended then 'missed'
            -- a running objective is as healthy as its weakest scored key result
            when at_risk_count > 0 then 'at_risk'
            when lagging_count > 0 then 'lagging'
            when achieved_count = scored_kr_count then 'achieved'
            else 'on_track'
        end as status,
        period_ended,
        scored_through

    from joined

)

select * from final
