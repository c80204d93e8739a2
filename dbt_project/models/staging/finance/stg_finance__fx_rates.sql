with

source as (

    select * from {{ source('finance', 'fx_rates') }}

),

renamed as (

    select
        {{ month_of('month') }} as month,
        {{ clean_currency('currency') }} as currency,
        cast(rate as {{ type_double() }}) as rate,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
