{#-
    True when a date is a working day (Monday to Friday), the unit the allocation engine
    splits a person's month into. Dialects number weekdays differently, so the portable
    version counts days from a known Monday (1900-01-01) instead of asking for a weekday.
-#}
{% macro is_working_day(date_expression) -%}
    {{ return(adapter.dispatch('is_working_day', 'productops')(date_expression)) }}
{%- endmacro %}

{% macro default__is_working_day(date_expression) -%}
    mod({{ dbt.datediff("cast('1900-01-01' as date)", date_expression, 'day') }}, 7) < 5
{%- endmacro %}

{#- DuckDB: ISO weekday, Monday 1 to Sunday 7. -#}
{% macro duckdb__is_working_day(date_expression) -%}
    isodow(cast({{ date_expression }} as date)) <= 5
{%- endmacro %}
