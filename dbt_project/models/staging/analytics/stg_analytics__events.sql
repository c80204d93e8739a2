with

source as (

    select * from {{ source('analytics', 'events') }}

),

renamed as (

    select
        {{ clean_text('event_id') }} as event_id,
        {{ clean_text('event_type') }} as event_type,
        cast(event_time as {{ dbt.type_timestamp() }}) as event_time,
        {{ clean_text('user_key') }} as user_key,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('app') }} as app,
        {{ clean_code('platform') }} as platform,
        {{ clean_text('country') }} as country,
        {{ clean_text('properties_json') }} as properties_json,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
