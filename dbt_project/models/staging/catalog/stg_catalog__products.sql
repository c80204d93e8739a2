with

source as (

    select * from {{ source('catalog', 'products') }}

),

renamed as (

    select
        {{ clean_code('product_id') }} as product_id,
        {{ clean_text('product_name') }} as product_name,
        {{ clean_code('portfolio_id') }} as portfolio_id,
        {{ clean_text('pm') }} as pm,
        {{ clean_text('aha_prefix') }} as aha_prefix,
        {{ clean_text('analytics_app') }} as analytics_app,
        cast(launched_on as date) as launched_on,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
