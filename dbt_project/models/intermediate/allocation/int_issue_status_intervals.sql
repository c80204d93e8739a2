{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='issue_id',
        on_schema_change='append_new_columns',
        post_hook="{{ issues_gone_from_jira_deleted() }}"
    )
}}
-- Each Jira issue's status history as intervals [valid_from, valid_to): from its
-- creation in the status its first change left (or its current status when it never
-- changed), then one interval per status change. valid_to is null while the status
-- still holds. Changes at the same instant keep only the last (zero-length intervals
-- are dropped), and a reopened issue simply gets a new in-progress interval.
--
-- Incremental: a build recomputes only the issues whose issue row or status changes
-- landed after the newest source_loaded_at already built (all of an issue's intervals,
-- from all its changes); issues gone from Jira are deleted afterwards.

{% if is_incremental() %}
{% set changed_issues = changed_issues_in(
    changed_jira_issues(ref('stg_jira__issues'), ref('stg_jira__status_changes'))
) %}
{% endif %}

with

watermark as (

    -- the newest landing this build has seen, written on every row it builds
    {{ newest_jira_landing(ref('stg_jira__issues'), ref('stg_jira__status_changes')) }}

),

issues as (

    select issue_id, status, status_category, created_at
    from {{ ref('stg_jira__issues') }}
    {{ issue_filter('issue_id', changed_issues, 'where') }}

),

status_map as (

    select status, meaning
    from {{ ref('stg_catalog__status_map') }}
    where tool = 'jira'

),

changes as (

    select
        *,
        -- history ids are numbers in text: shorter first keeps them in numeric order
        row_number() over (
            partition by issue_id
            order by changed_at, {{ dbt.length('history_id') }}, history_id, item_index
        ) as change_number

    from {{ ref('stg_jira__status_changes') }}
    {{ issue_filter('issue_id', changed_issues, 'where') }}

),

initial_status as (

    select
        issues.issue_id,
        0 as change_number,
        issues.created_at as valid_from,
        coalesce(first_change.from_status, issues.status) as status,
        case
            when first_change.issue_id is not null then first_change.from_category
            else {{ jira_status_meaning('status_map.meaning', 'issues.status_category', 'issues.status') }}
        end as status_category

    from issues
    left join changes as first_change
        on issues.issue_id = first_change.issue_id
        and first_change.change_number = 1
    left join status_map
        on issues.status = status_map.status

),

later_statuses as (

    select
        issue_id,
        change_number,
        changed_at as valid_from,
        to_status as status,
        to_category as status_category

    from changes

),

statuses as (

    select * from initial_status
    union all
    select * from later_statuses

),

bounded as (

    select
        *,
        lead(valid_from) over (partition by issue_id order by change_number) as valid_to

    from statuses

),

final as (

    select
        issue_id,
        change_number,
        status,
        status_category,
        valid_from,
        valid_to,
        watermark.source_loaded_at

    from bounded
    cross join watermark
    where valid_to is null or valid_to > valid_from

)

select * from final
