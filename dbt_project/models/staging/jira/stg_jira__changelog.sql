with

source as (

    select * from {{ source('jira', 'changelog') }}

),

renamed as (

    select
        {{ clean_text('issue_id') }} as issue_id,
        {{ clean_text('history_id') }} as history_id,
        cast(item_index as {{ dbt.type_int() }}) as item_index,
        {{ clean_code('field') }} as field,
        {{ clean_text('from_value') }} as from_value,
        {{ clean_text('from_string') }} as from_string,
        {{ clean_text('to_value') }} as to_value,
        {{ clean_text('to_string') }} as to_string,
        {{ clean_text('author_key') }} as author_key,
        cast(changed_at as {{ dbt.type_timestamp() }}) as changed_at,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
