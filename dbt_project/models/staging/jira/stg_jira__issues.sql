with

source as (

    select * from {{ source('jira', 'issues') }}

),

renamed as (

    select
        {{ clean_text('issue_id') }} as issue_id,
        {{ clean_text('issue_key') }} as issue_key,
        {{ clean_text('project_key') }} as project_key,
        {{ clean_text('issue_type') }} as issue_type,
        {{ clean_text('summary') }} as summary,
        {{ clean_text('status') }} as status,
        {{ clean_code('status_category') }} as status_category,
        {{ clean_text('assignee_key') }} as assignee_key,
        {{ clean_text('parent_key') }} as parent_key,
        {{ clean_text('epic_key') }} as epic_key,
        {{ clean_text('labels') }} as labels,
        {{ clean_text('components') }} as components,
        cast(story_points as {{ type_double() }}) as story_points,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        cast(resolved_at as {{ dbt.type_timestamp() }}) as resolved_at,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
