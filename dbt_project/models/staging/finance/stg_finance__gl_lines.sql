with

source as (

    select * from {{ source('finance', 'gl_lines') }}

),

renamed as (

    select
        {{ dbt.concat(['_source', "':'", 'cast(line_number as ' ~ dbt.type_string() ~ ')']) }} as gl_line_id,
        {{ clean_text('_source') }} as source_file,
        cast(line_number as {{ dbt.type_int() }}) as line_number,
        cast(posted_on as date) as posted_on,
        {{ clean_text('account') }} as account,
        {{ clean_text('account_name') }} as account_name,
        {{ clean_text('cost_centre') }} as cost_centre,
        cast(amount as {{ type_double() }}) as amount,
        {{ clean_currency('currency') }} as currency,
        {{ clean_text('memo') }} as memo,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
