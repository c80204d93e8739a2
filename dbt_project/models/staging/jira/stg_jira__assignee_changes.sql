-- One row per assignee change of a Jira issue. The connector has already replaced the
-- account ids with person keys (the pseudonym HR rows carry), so Jira work and HR cost
-- join without anyone's identity landing. A null key means "unassigned".

with

changelog as (

    select * from {{ ref('stg_jira__changelog') }}
    where field = 'assignee'

),

final as (

    select
        issue_id,
        history_id,
        item_index,
        changed_at,
        loaded_at,
        from_value as from_person_key,
        to_value as to_person_key

    from changelog

)

select * from final
