with

source as (

    select * from {{ source('catalog', 'category_rules') }}

),

renamed as (

    select
        {{ clean_code('kind') }} as kind,
        {{ clean_text('value') }} as value,
        {{ clean_code('category') }} as category,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
