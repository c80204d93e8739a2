with

source as (

    select * from {{ source('finance', 'revenue') }}

),

renamed as (

    select
        {{ month_of('period_month') }} as period_month,
        {{ clean_text('sku') }} as sku,
        {{ clean_text('customer') }} as customer,
        cast(amount as {{ type_double() }}) as amount,
        {{ clean_currency('currency') }} as currency,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
