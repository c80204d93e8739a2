with

source as (

    select * from {{ source('roadmap', 'ideas') }}

),

renamed as (

    select
        {{ clean_text('idea_id') }} as idea_id,
        {{ clean_text('reference_num') }} as reference_num,
        {{ clean_text('name') }} as name,
        {{ clean_text('product_prefix') }} as product_prefix,
        {{ clean_text('product_area') }} as product_area,
        {{ clean_text('status') }} as status,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
