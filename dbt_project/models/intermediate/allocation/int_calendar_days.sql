-- Every calendar day of the months of the spine, flagged when it is a working day
-- (Monday to Friday): the days a person's month is split into. Built from the month
-- spine and a small table of day offsets, so it needs no dialect-specific generator.

with

months as (

    select month, days_in_month from {{ ref('int_month_spine') }}

),

digits as (

    {% for digit in range(10) -%}
    select {{ digit }} as digit {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

offsets as (

    -- 0 to 39: every day offset a month can have (0 to 30)
    select tens.digit * 10 + units.digit as day_offset
    from digits as tens
    cross join digits as units
    where tens.digit < 4

),

days as (

    select
        cast({{ dbt.dateadd('day', 'offsets.day_offset', 'months.month') }} as date) as day,
        months.month

    from months
    inner join offsets
        on offsets.day_offset < months.days_in_month

),

final as (

    select
        day,
        month,
        {{ is_working_day('day') }} as is_working_day

    from days

)

select * from final
