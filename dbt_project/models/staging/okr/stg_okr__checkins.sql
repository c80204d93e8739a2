with

source as (

    select * from {{ source('okr', 'checkins') }}

),

renamed as (

    select
        {{ clean_text('key_result_id') }} as key_result_id,
        cast(checkin_date as date) as checkin_date,
        cast(value as {{ type_double() }}) as value,
        cast(confidence as {{ type_double() }}) as confidence,
        {{ clean_text('note') }} as note,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
