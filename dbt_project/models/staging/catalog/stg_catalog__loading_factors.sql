with

source as (

    select * from {{ source('catalog', 'loading_factors') }}

),

renamed as (

    select
        {{ clean_text('location') }} as location,
        cast(loading_factor as {{ type_double() }}) as loading_factor,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
