with

source as (

    select * from {{ source('catalog', 'role_families') }}

),

renamed as (

    select
        {{ clean_text('job_title') }} as job_title,
        {{ clean_code('role_family') }} as role_family,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
