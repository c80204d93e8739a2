{#- The first day of the month of a date or timestamp, as a date. -#}
{% macro month_of(date_expression) -%}
    cast({{ dbt.date_trunc('month', date_expression) }} as date)
{%- endmacro %}

{#- The last day of the month of a date, as a date. -#}
{% macro month_end_of(date_expression) -%}
    cast({{ dbt.last_day(date_expression, 'month') }} as date)
{%- endmacro %}
