with

source as (

    select * from {{ source('catalog', 'product_areas') }}

),

renamed as (

    select
        {{ clean_text('product_area') }} as product_area,
        {{ clean_code('product_id') }} as product_id,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
