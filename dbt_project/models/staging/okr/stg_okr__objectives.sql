with

source as (

    select * from {{ source('okr', 'objectives') }}

),

renamed as (

    select
        {{ clean_text('objective_id') }} as objective_id,
        {{ clean_text('title') }} as title,
        {{ clean_text('owner') }} as owner,
        {{ clean_code('org_unit') }} as org_unit,
        {{ clean_text('period') }} as period,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        {{ clean_text('parent_objective_id') }} as parent_objective_id,
        {{ clean_code('kind') }} as kind,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
