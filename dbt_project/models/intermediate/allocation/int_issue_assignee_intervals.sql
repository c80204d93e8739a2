{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='issue_id',
        on_schema_change='append_new_columns',
        post_hook="{{ issues_gone_from_jira_deleted() }}"
    )
}}
-- Who each Jira issue was assigned to, as intervals [valid_from, valid_to): from its
-- creation with the assignee its first change replaced (or its current assignee when
-- it never changed hands), then one interval per assignee change; null person_key means
-- unassigned and valid_to null means it still holds. A hand-over mid-day gives both
-- people that day, as METRICS.md counts any instant of the day.

--
-- Incremental like int_issue_status_intervals: only issues whose issue row or assignee
-- changes landed after the newest source_loaded_at already built are recomputed.

{% if is_incremental() %}
{% set changed_issues = changed_issues_in(
    changed_jira_issues(ref('stg_jira__issues'), ref('stg_jira__assignee_changes'))
) %}
{% endif %}

with

watermark as (

    -- the newest landing this build has seen, written on every row it builds
    {{ newest_jira_landing(ref('stg_jira__issues'), ref('stg_jira__assignee_changes')) }}

),

issues as (

    select issue_id, assignee_key, created_at
    from {{ ref('stg_jira__issues') }}
    {{ issue_filter('issue_id', changed_issues, 'where') }}

),

changes as (

    select
        *,
        row_number() over (
            partition by issue_id
            order by changed_at, {{ dbt.length('history_id') }}, history_id, item_index
        ) as change_number

    from {{ ref('stg_jira__assignee_changes') }}
    {{ issue_filter('issue_id', changed_issues, 'where') }}

),

initial_assignee as (

    select
        issues.issue_id,
        0 as change_number,
        issues.created_at as valid_from,
        case
            when first_change.issue_id is not null then first_change.from_person_key
            else issues.assignee_key
        end as person_key

    from issues
    left join changes as first_change
        on issues.issue_id = first_change.issue_id
        and first_change.change_number = 1

),

later_assignees as (

    select
        issue_id,
        change_number,
        changed_at as valid_from,
        to_person_key as person_key

    from changes

),

assignees as (

    select * from initial_assignee
    union all
    select * from later_assignees

),

bounded as (

    select
        *,
        lead(valid_from) over (partition by issue_id order by change_number) as valid_to

    from assignees

),

final as (

    select
        issue_id,
        change_number,
        person_key,
        valid_from,
        valid_to,
        watermark.source_loaded_at

    from bounded
    cross join watermark
    where valid_to is null or valid_to > valid_from

)

select * from final
