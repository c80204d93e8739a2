with

source as (

    select * from {{ source('okr', 'key_results') }}

),

renamed as (

    select
        {{ clean_text('key_result_id') }} as key_result_id,
        {{ clean_text('objective_id') }} as objective_id,
        {{ clean_text('title') }} as title,
        {{ clean_code('kr_type') }} as kr_type,
        cast(baseline as {{ type_double() }}) as baseline,
        cast(target as {{ type_double() }}) as target,
        {{ clean_text('unit') }} as unit,
        cast(weight as {{ type_double() }}) as weight,
        {{ clean_text('metric_binding') }} as metric_binding,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
