{#-
    The Monday on or before a date: the first day of its ISO week, the week key of OKR
    check-ins. Dialects disagree on which day a week starts (and some make it a session
    setting), so this counts days from a known Monday, 1900-01-01, instead.
-#}
{% macro goals_week_start(date_expression) -%}
    cast({{ dbt.dateadd(
        'day',
        '-1 * mod(' ~ dbt.datediff("cast('1900-01-01' as date)", date_expression, 'day') ~ ', 7)',
        date_expression
    ) }} as date)
{%- endmacro %}
