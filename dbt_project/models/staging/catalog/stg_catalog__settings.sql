with

source as (

    select * from {{ source('catalog', 'settings') }}

),

renamed as (

    select
        {{ clean_code('setting') }} as setting,
        {{ clean_text('value') }} as value,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
