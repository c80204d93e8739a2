-- One row per status change of a Jira issue, with what each status means to productops:
-- the catalog's status map first (tool 'jira'), else Jira's own status category
-- (new / indeterminate -> in_progress / done), else 'unmapped'. A status the catalog
-- does not map still counts as Jira classifies it, and fct_unmapped_values shows it.

with

changelog as (

    select * from {{ ref('stg_jira__changelog') }}
    where field = 'status'

),

status_map as (

    select status, meaning
    from {{ ref('stg_catalog__status_map') }}
    where tool = 'jira'

),

jira_statuses as (

    select status_id, status_name, status_category
    from {{ ref('stg_jira__statuses') }}

),

renamed as (

    select
        changelog.issue_id,
        changelog.history_id,
        changelog.item_index,
        changelog.changed_at,
        changelog.loaded_at,
        changelog.from_string as from_status,
        changelog.to_string as to_status,
        changelog.from_value as from_status_id,
        changelog.to_value as to_status_id

    from changelog

),

final as (

    select
        renamed.issue_id,
        renamed.history_id,
        renamed.item_index,
        renamed.changed_at,
        renamed.loaded_at,
        renamed.from_status,
        renamed.to_status,
        {{ jira_status_meaning('from_map.meaning', 'from_jira.status_category', 'renamed.from_status') }}
            as from_category,
        {{ jira_status_meaning('to_map.meaning', 'to_jira.status_category', 'renamed.to_status') }}
            as to_category,
        to_map.meaning is null and renamed.to_status is not null as to_status_unmapped

    from renamed
    left join status_map as from_map
        on renamed.from_status = from_map.status
    left join status_map as to_map
        on renamed.to_status = to_map.status
    left join jira_statuses as from_jira
        on renamed.from_status_id = from_jira.status_id
    left join jira_statuses as to_jira
        on renamed.to_status_id = to_jira.status_id

)

select * from final
