{#-
    Money as published: rounded to cents once, at the end of a mart, and returned as a
    float. Rounding goes through numeric because PostgreSQL has no round(double, int).
-#}
{% macro round_money(expression) -%}
    cast(round(cast({{ expression }} as {{ dbt.type_numeric() }}), 2) as {{ type_double() }})
{%- endmacro %}
