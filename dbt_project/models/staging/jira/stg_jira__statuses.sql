with

source as (

    select * from {{ source('jira', 'statuses') }}

),

renamed as (

    select
        {{ clean_text('status_id') }} as status_id,
        {{ clean_text('status_name') }} as status_name,
        {{ clean_code('status_category') }} as status_category,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
