with

source as (

    select * from {{ source('roadmap', 'items') }}

),

renamed as (

    select
        {{ dbt.concat(["lower(trim(tool))", "':'", "lower(trim(item_type))", "':'", "trim(item_id)"]) }} as item_key,
        {{ clean_code('tool') }} as tool,
        {{ clean_code('item_type') }} as item_type,
        {{ clean_text('item_id') }} as item_id,
        {{ clean_text('reference') }} as reference,
        {{ clean_text('name') }} as name,
        {{ clean_text('product_ref') }} as product_ref,
        {{ clean_text('parent_id') }} as parent_id,
        {{ clean_text('status') }} as status,
        {{ clean_text('release_name') }} as release_name,
        cast(release_date as date) as release_date,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
