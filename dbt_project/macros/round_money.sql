{#-
    Money as published: rounded to cents once, at the end of a mart, and returned as a
    float. Rounding goes through numeric because PostgreSQL has no round(double, int).
-#}
{% macro round_money(expression) -%}
    {{ round_measure(expression, 2) }}
{%- endmacro %}

{#- Sums of doubles depend on the order rows are added, which no engine promises: round
    shares and FTE too, so the same inputs always publish the same numbers. -#}
{% macro round_measure(expression, places) -%}
    cast(round(cast({{ expression }} as {{ dbt.type_numeric() }}), {{ places }}) as {{ type_double() }})
{%- endmacro %}
