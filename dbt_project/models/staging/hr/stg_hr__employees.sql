with

source as (

    select * from {{ source('hr', 'employees') }}

),

renamed as (

    select
        {{ clean_text('employee_key') }} as employee_key,
        {{ clean_text('person_key') }} as person_key,
        {{ clean_text('manager_key') }} as manager_key,
        {{ clean_text('department') }} as department,
        {{ clean_text('division') }} as division,
        {{ clean_text('team') }} as team,
        {{ clean_text('job_title') }} as job_title,
        {{ clean_text('location') }} as location,
        -- an empty FTE is read as full time so the person's cost is not silently dropped
        coalesce(cast(fte as {{ type_double() }}), 1.0) as fte,
        cast(hired_on as date) as hired_on,
        cast(terminated_on as date) as terminated_on,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
