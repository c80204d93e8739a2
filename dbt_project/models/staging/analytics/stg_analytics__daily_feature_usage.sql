-- Pre-aggregated usage (Pendo feature events, generic daily CSVs): one row per
-- export line, already counted by the tool that wrote it.

with

source as (

    select * from {{ source('analytics', 'daily_feature_usage') }}

),

renamed as (

    select
        {{ dbt.concat(['_source', "':'", 'cast(line_number as ' ~ dbt.type_string() ~ ')']) }} as usage_line_id,
        {{ clean_text('_source') }} as source_file,
        cast(line_number as {{ dbt.type_int() }}) as line_number,
        cast(usage_date as date) as usage_date,
        {{ clean_text('app') }} as app,
        {{ clean_text('feature') }} as feature,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('user_key') }} as user_key,
        cast(users as {{ dbt.type_int() }}) as users,
        cast(events as {{ dbt.type_int() }}) as events,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
