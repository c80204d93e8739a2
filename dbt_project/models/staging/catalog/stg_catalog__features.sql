with

source as (

    select * from {{ source('catalog', 'features') }}

),

renamed as (

    select
        {{ clean_code('feature_id') }} as feature_id,
        {{ clean_code('product_id') }} as product_id,
        {{ clean_text('event_type') }} as event_type,
        {{ clean_text('enable_event_type') }} as enable_event_type,
        cast(released_on as date) as released_on,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
