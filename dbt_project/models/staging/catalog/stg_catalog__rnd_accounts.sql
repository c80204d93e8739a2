with

source as (

    select * from {{ source('catalog', 'rnd_accounts') }}

),

renamed as (

    select
        {{ clean_text('account') }} as account,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
