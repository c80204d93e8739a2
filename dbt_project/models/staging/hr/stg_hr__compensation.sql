-- Restricted: salaries. Only int_person_months reads this model, and no mart
-- exposes a cost below a product's month.

with

source as (

    select * from {{ source('hr', 'compensation') }}

),

renamed as (

    select
        {{ clean_text('employee_key') }} as employee_key,
        cast(annual_salary as {{ type_double() }}) as annual_salary,
        {{ clean_currency('currency') }} as currency,
        cast(effective_on as date) as effective_on,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
