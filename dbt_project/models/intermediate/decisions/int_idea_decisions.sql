-- The first decision of each idea that has one: its first move into a status meaning
-- accepted or declined (METRICS.md), and whether the outcome flipped to the opposite
-- decision within the reversal window (default 90 days, var decision_reversal_days).

{% set reversal_days = var('decision_reversal_days', 90) %}

with

changes as (

    select * from {{ ref('int_idea_status_changes') }}
    where to_meaning in ('accepted', 'declined')

),

ranked as (

    select
        idea_id,
        changed_at,
        to_status,
        to_meaning,
        -- audit_id breaks ties between changes logged in the same instant
        row_number() over (partition by idea_id order by changed_at, audit_id) as decision_number

    from changes

),

first_decisions as (

    select
        idea_id,
        changed_at as decided_at,
        to_status as decided_status,
        to_meaning as outcome

    from ranked
    where decision_number = 1

),

reversals as (

    select
        first_decisions.idea_id,
        min(later.changed_at) as reversed_at

    from first_decisions
    inner join ranked as later
        on first_decisions.idea_id = later.idea_id
        and later.decision_number > 1
        and later.to_meaning <> first_decisions.outcome
        and later.changed_at <= {{ dbt.dateadd('day', reversal_days, 'first_decisions.decided_at') }}
    group by first_decisions.idea_id

),

final as (

    select
        first_decisions.idea_id,
        first_decisions.decided_at,
        first_decisions.decided_status,
        first_decisions.outcome,
        reversals.reversed_at is not null as is_reversed,
        reversals.reversed_at

    from first_decisions
    left join reversals
        on first_decisions.idea_id = reversals.idea_id

)

select * from final
