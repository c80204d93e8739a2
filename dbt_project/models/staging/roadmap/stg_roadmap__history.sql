with

source as (

    select * from {{ source('roadmap', 'history') }}

),

renamed as (

    select
        {{ clean_text('audit_id') }} as audit_id,
        {{ clean_code('item_type') }} as item_type,
        {{ clean_text('item_id') }} as item_id,
        {{ clean_code('field') }} as field,
        {{ clean_text('from_value') }} as from_value,
        {{ clean_text('to_value') }} as to_value,
        cast(changed_at as {{ dbt.type_timestamp() }}) as changed_at,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
