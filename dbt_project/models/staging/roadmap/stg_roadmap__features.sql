with

source as (

    select * from {{ source('roadmap', 'features') }}

),

renamed as (

    select
        {{ clean_text('feature_id') }} as feature_id,
        {{ clean_text('reference_num') }} as reference_num,
        {{ clean_text('name') }} as name,
        {{ clean_text('product_prefix') }} as product_prefix,
        {{ clean_text('initiative_ref') }} as initiative_ref,
        {{ clean_text('status') }} as status,
        {{ clean_text('release_name') }} as release_name,
        cast(release_date as date) as release_date,
        {{ clean_code('category') }} as category,
        {{ clean_text('customer') }} as customer,
        {{ clean_text('jira_epic_key') }} as jira_epic_key,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
