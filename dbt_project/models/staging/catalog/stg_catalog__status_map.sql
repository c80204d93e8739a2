with

source as (

    select * from {{ source('catalog', 'status_map') }}

),

renamed as (

    select
        {{ clean_code('tool') }} as tool,
        {{ clean_text('status') }} as status,
        {{ clean_code('meaning') }} as meaning,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
