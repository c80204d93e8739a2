with

source as (

    select * from {{ source('catalog', 'portfolios') }}

),

renamed as (

    select
        {{ clean_code('portfolio_id') }} as portfolio_id,
        {{ clean_text('portfolio_name') }} as portfolio_name,
        {{ clean_text('director') }} as director,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
