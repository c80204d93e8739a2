-- Progress of every key result in every week of its period (METRICS.md, OKR progress).
-- A week carries the latest check-in made by its end (forward-filled between check-ins).
-- A key result bound to a warehouse metric takes its value from the metric's mart instead:
-- the metric of the last period closed before the week's reference day (the month before
-- for adoption_rate:<feature> and revenue:<product>, the quarter before for
-- median_days_to_decision:<area>); only when that period has no figure yet does the typed
-- check-in stand in. Raw progress is not capped; score is progress capped to [0, 1].
-- A key result whose progress cannot be computed (target equal to baseline, ...) is
-- rejected with a reason instead of dividing by zero.

{% set on_track_factor = var('okr_on_track_factor', 0.95) %}
{% set lagging_factor = var('okr_lagging_factor', 0.75) %}
{% set low_confidence = var('okr_low_confidence', 0.4) %}
{% set high_confidence = var('okr_high_confidence', 0.7) %}

with

weeks as (

    select * from {{ ref('int_key_result_weeks') }}

),

key_results as (

    select
        key_result_id,
        title,
        kr_type,
        baseline,
        target,
        unit,
        coalesce(weight, 1.0) as weight,
        metric_binding,
        lower({{ dbt.split_part('metric_binding', "':'", 1) }}) as metric_kind,
        lower({{ dbt.split_part('metric_binding', "':'", 2) }}) as metric_subject

    from {{ ref('stg_okr__key_results') }}

),

checkins as (

    select * from {{ ref('stg_okr__checkins') }}

),

metric_values as (

    select
        'adoption_rate' as metric_kind,
        feature_id as metric_subject,
        month as period_start,
        -- a month without active users adopted nothing: 0, the figure a check-in would hold
        case when active_users = 0 then 0 else adoption_rate end as metric_value

    from {{ ref('fct_feature_adoption') }}

    union all

    select
        'revenue',
        product_id,
        month,
        revenue

    from {{ ref('fct_product_cost_revenue') }}

    union all

    select
        'median_days_to_decision',
        product_area,
        quarter_start,
        median_days

    from {{ ref('fct_decision_latency') }}

),

latest_checkins as (

    select
        weeks.key_result_id,
        weeks.week_start,
        checkins.checkin_date,
        checkins.value,
        checkins.confidence,
        row_number() over (
            partition by weeks.key_result_id, weeks.week_start
            order by checkins.checkin_date desc
        ) as recency

    from weeks
    inner join checkins
        on weeks.key_result_id = checkins.key_result_id
        and checkins.checkin_date < weeks.checkins_before

),

with_values as (

    select
        weeks.*,
        key_results.title,
        key_results.kr_type,
        key_results.baseline,
        key_results.target,
        key_results.unit,
        key_results.weight,
        key_results.metric_binding,
        key_results.metric_kind,
        latest_checkins.checkin_date as last_checkin_date,
        latest_checkins.confidence,
        metric_values.metric_value,
        coalesce(metric_values.metric_value, latest_checkins.value) as value,
        case
            when metric_values.metric_value is not null then 'metric'
            when latest_checkins.value is not null then 'checkin'
        end as value_source

    from weeks
    inner join key_results
        on weeks.key_result_id = key_results.key_result_id
    left join latest_checkins
        on weeks.key_result_id = latest_checkins.key_result_id
        and weeks.week_start = latest_checkins.week_start
        and latest_checkins.recency = 1
    left join metric_values
        on key_results.metric_kind = metric_values.metric_kind
        and key_results.metric_subject = metric_values.metric_subject
        and metric_values.period_start = case
            when key_results.metric_kind = 'median_days_to_decision'
                then cast({{ dbt.date_trunc('quarter', dbt.dateadd('month', -3, 'weeks.reference_day')) }} as date)
            else cast({{ dbt.date_trunc('month', dbt.dateadd('month', -1, 'weeks.reference_day')) }} as date)
        end

),

validated as (

    select
        *,
        case
            when kr_type not in ('increase_to', 'decrease_to', 'keep_above', 'keep_below', 'milestone')
                or kr_type is null
                then 'unknown key result type'
            when metric_binding is not null
                and (metric_kind not in ('adoption_rate', 'revenue', 'median_days_to_decision')
                    or metric_kind is null)
                then 'unknown metric binding (adoption_rate, revenue or median_days_to_decision)'
            when target is null
                then 'target is missing'
            when kr_type in ('increase_to', 'decrease_to') and baseline is null
                then 'baseline is missing'
            when kr_type in ('increase_to', 'decrease_to') and target = baseline
                then 'target equals baseline: progress is undefined'
            when kr_type = 'increase_to' and target < baseline
                then 'increase_to target is below its baseline'
            when kr_type = 'decrease_to' and target > baseline
                then 'decrease_to target is above its baseline'
            when kr_type = 'milestone' and target <= 0
                then 'milestone total (target) must be positive'
        end as rejected_reason

    from with_values

),

progressed as (

    select
        *,
        case
            when rejected_reason is not null or value is null then null
            when kr_type = 'increase_to' then (value - baseline) / (target - baseline)
            when kr_type = 'decrease_to' then (baseline - value) / (baseline - target)
            when kr_type = 'keep_above' then case when value >= target then 1.0 else 0.0 end
            when kr_type = 'keep_below' then case when value <= target then 1.0 else 0.0 end
            when kr_type = 'milestone' then value / target
        end as raw_progress

    from validated

),

statused as (

    select
        *,
        case
            when rejected_reason is not null then 'rejected'
            when raw_progress is null then 'no_checkin'
            when period_ended and raw_progress >= 1 then 'achieved'
            when period_ended then 'missed'
            when raw_progress >= 1 then 'achieved'
            when raw_progress >= {{ on_track_factor }} * expected_progress then 'on_track'
            when raw_progress >= {{ lagging_factor }} * expected_progress then 'lagging'
            else 'at_risk'
        end as status

    from progressed

),

final as (

    select
        key_result_id,
        objective_id,
        title,
        kr_type,
        unit,
        weight,
        metric_binding,
        week_number,
        week_start,
        week_end,
        reference_day,
        is_latest_week,
        period_ended,
        baseline,
        target,
        value,
        value_source,
        last_checkin_date,
        -- progress and score stay unrounded (each is one row's arithmetic, so the same
        -- inputs give the same value): objective scores average the exact figures
        raw_progress as progress,
        case when raw_progress < 0 then 0.0 when raw_progress > 1 then 1.0 else raw_progress end
            as score,
        {{ round_measure('expected_progress', 4) }} as expected_progress,
        confidence,
        status,
        coalesce(
            (status = 'on_track' and confidence < {{ low_confidence }})
            or (status = 'at_risk' and confidence > {{ high_confidence }}),
            false
        ) as confidence_flag,
        rejected_reason

    from statused

)

select * from final
