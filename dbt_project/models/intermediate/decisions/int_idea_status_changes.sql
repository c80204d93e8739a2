-- Every workflow-status change of an Aha! idea with what the new status means in the
-- catalog's status map (tool aha). A status the catalog does not map keeps a null
-- meaning: it is neither a decision nor lost, the idea simply stays undecided.

with

history as (

    select * from {{ ref('stg_roadmap__history') }}
    where item_type = 'idea'
        and field = 'workflow_status'

),

status_map as (

    select status, meaning
    from {{ ref('stg_catalog__status_map') }}
    where tool = 'aha'

),

final as (

    select
        history.item_id as idea_id,
        history.audit_id,
        history.changed_at,
        history.from_value as from_status,
        history.to_value as to_status,
        status_map.meaning as to_meaning

    from history
    left join status_map
        on history.to_value = status_map.status

)

select * from final
