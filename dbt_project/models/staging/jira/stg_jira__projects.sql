with

source as (

    select * from {{ source('jira', 'projects') }}

),

renamed as (

    select
        {{ clean_text('project_id') }} as project_id,
        {{ clean_text('project_key') }} as project_key,
        {{ clean_text('project_name') }} as project_name,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
