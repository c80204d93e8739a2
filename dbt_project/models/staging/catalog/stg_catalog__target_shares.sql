with

source as (

    select * from {{ source('catalog', 'target_shares') }}

),

renamed as (

    select
        {{ clean_code('category') }} as category,
        cast(target_share as {{ type_double() }}) as target_share,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
