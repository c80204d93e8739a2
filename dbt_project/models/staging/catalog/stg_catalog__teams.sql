with

source as (

    select * from {{ source('catalog', 'teams') }}

),

renamed as (

    select
        {{ clean_code('team_id') }} as team_id,
        {{ clean_text('team_name') }} as team_name,
        {{ clean_code('product_id') }} as product_id,
        {{ clean_text('hr_team') }} as hr_team,
        {{ clean_code('default_category') }} as default_category,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
