{#- Number of calendar days of the month that starts on `month_start` (a date). -#}
{% macro days_in_month(month_start) -%}
    {{ return(adapter.dispatch('days_in_month', 'productops')(month_start)) }}
{%- endmacro %}

{#- Portable: days between the first of this month and the first of the next. -#}
{% macro default__days_in_month(month_start) -%}
    {{ dbt.datediff(month_start, dbt.dateadd('month', 1, month_start), 'day') }}
{%- endmacro %}

{% macro duckdb__days_in_month(month_start) -%}
    dayofmonth(last_day(cast({{ month_start }} as date)))
{%- endmacro %}
