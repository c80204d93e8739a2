with

source as (

    select * from {{ source('catalog', 'product_mappings') }}

),

renamed as (

    select
        {{ clean_code('product_id') }} as product_id,
        {{ clean_code('kind') }} as kind,
        {{ clean_text('value') }} as value,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
