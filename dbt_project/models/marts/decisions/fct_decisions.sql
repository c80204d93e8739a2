-- One row per idea / request (METRICS.md, time to decision): when it was created, its
-- first decision, the outcome, whole days to decide (UTC dates), whether the outcome was
-- reversed, and for undecided ideas their age and age bucket on the as-of date.

with

ideas as (

    select * from {{ ref('stg_roadmap__ideas') }}

),

products as (

    select product_id, aha_prefix
    from {{ ref('stg_catalog__products') }}

),

product_areas as (

    select * from {{ ref('stg_catalog__product_areas') }}

),

decisions as (

    select * from {{ ref('int_idea_decisions') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

joined as (

    select
        ideas.idea_id,
        ideas.reference_num,
        -- the product from the Aha! prefix, else from the area; unknown ones stay visible
        coalesce(products.product_id, product_areas.product_id, 'unmapped') as product_id,
        coalesce(ideas.product_area, 'unmapped') as product_area,
        ideas.status as current_status,
        ideas.created_at,
        decisions.decided_at,
        decisions.outcome,
        coalesce(decisions.is_reversed, false) as reversed,
        decisions.reversed_at,
        as_of.as_of_date

    from ideas
    cross join as_of
    left join products
        on ideas.product_prefix = products.aha_prefix
    left join product_areas
        on ideas.product_area = product_areas.product_area
    left join decisions
        on ideas.idea_id = decisions.idea_id

),

aged as (

    select
        *,
        {{ dbt.datediff('cast(created_at as date)', 'cast(decided_at as date)', 'day') }}
            as days_to_decision,
        case
            when decided_at is null
                then {{ dbt.datediff('cast(created_at as date)', 'as_of_date', 'day') }}
        end as undecided_age_days

    from joined

),

final as (

    select
        idea_id,
        reference_num,
        cast('aha' as {{ dbt.type_string() }}) as source,
        product_id,
        product_area,
        current_status,
        created_at,
        decided_at,
        cast({{ dbt.date_trunc('quarter', 'decided_at') }} as date) as decision_quarter_start,
        case when decided_at is not null then {{ quarter_label('decided_at') }} end
            as decision_quarter,
        outcome,
        days_to_decision,
        reversed,
        reversed_at,
        undecided_age_days,
        case
            when undecided_age_days is null then null
            when undecided_age_days <= 7 then '0-7'
            when undecided_age_days <= 30 then '8-30'
            when undecided_age_days <= 90 then '31-90'
            else 'over_90'
        end as undecided_age_bucket,
        as_of_date

    from aged

)

select * from final
