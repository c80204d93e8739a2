-- One row per key result and ISO week (Monday to Sunday) of its objective's period, from
-- the week holding the first day to the week holding the period's last day or the last
-- day before the as-of date, whichever comes first. Each row says up to when it is
-- measured and how much of the period had elapsed by then (METRICS.md expected progress
-- = elapsed days / period days), so a running quarter stops at the as-of date and a
-- finished one ends at its last day. Objectives that have not started have no rows.

{% set max_weeks = var('okr_max_period_weeks', 106) %}

with

objectives as (

    select * from {{ ref('stg_okr__objectives') }}

),

key_results as (

    select * from {{ ref('stg_okr__key_results') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

week_numbers as (

    -- generate_series counts from 1; periods of up to two years fit
    {{ dbt.generate_series(max_weeks) }}

),

periods as (

    select
        objectives.objective_id,
        objectives.period_start,
        objectives.period_end,
        {{ dbt.datediff('objectives.period_start', 'objectives.period_end', 'day') }} + 1 as period_days,
        {{ goals_week_start('objectives.period_start') }} as first_week_start,
        -- the last day with data: the period's end, or the day before the as-of date
        case
            when objectives.period_end < as_of.as_of_date then objectives.period_end
            else cast({{ dbt.dateadd('day', -1, 'as_of.as_of_date') }} as date)
        end as last_covered_day,
        as_of.as_of_date

    from objectives
    cross join as_of
    where objectives.period_start < as_of.as_of_date
        and objectives.period_end >= objectives.period_start

),

weeks as (

    select
        periods.objective_id,
        periods.period_start,
        periods.period_end,
        periods.period_days,
        periods.as_of_date,
        cast(week_numbers.generated_number as {{ dbt.type_bigint() }}) as week_number,
        cast({{ dbt.dateadd('day', '7 * (week_numbers.generated_number - 1)', 'periods.first_week_start') }} as date)
            as week_start

    from periods
    cross join week_numbers
    where {{ dbt.dateadd('day', '7 * (week_numbers.generated_number - 1)', 'periods.first_week_start') }}
        <= periods.last_covered_day

),

measured as (

    select
        *,
        cast({{ dbt.dateadd('day', 6, 'week_start') }} as date) as week_end,
        -- measured at the end of the week's last day, the period's last day or the
        -- as-of date, whichever comes first (an exclusive bound, so a day counts whole)
        case
            when as_of_date <= period_end
                and as_of_date <= {{ dbt.dateadd('day', 7, 'week_start') }}
                then as_of_date
            when period_end < {{ dbt.dateadd('day', 7, 'week_start') }}
                then cast({{ dbt.dateadd('day', 1, 'period_end') }} as date)
            else cast({{ dbt.dateadd('day', 7, 'week_start') }} as date)
        end as measured_before

    from weeks

),

final as (

    select
        key_results.key_result_id,
        key_results.objective_id,
        measured.week_number,
        measured.week_start,
        measured.week_end,
        measured.period_start,
        measured.period_end,
        measured.period_days,
        measured.measured_before,
        cast({{ dbt.dateadd('day', -1, 'measured.measured_before') }} as date) as reference_day,
        {{ dbt.datediff('measured.period_start', 'measured.measured_before', 'day') }} as elapsed_days,
        cast({{ dbt.datediff('measured.period_start', 'measured.measured_before', 'day') }} as {{ type_double() }})
            / measured.period_days as expected_progress,
        measured.measured_before > measured.period_end as period_ended,
        -- the row that closes an ended period also takes check-ins typed after its end
        -- (final scoring happens after the quarter closes), up to the as-of date
        case
            when measured.measured_before > measured.period_end then measured.as_of_date
            else measured.measured_before
        end as checkins_before,
        measured.week_start = max(measured.week_start) over (partition by measured.objective_id)
            as is_latest_week

    from measured
    inner join key_results
        on measured.objective_id = key_results.objective_id

)

select * from final
