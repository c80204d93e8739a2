{#- The calendar quarter of a date as text, 'YYYY-Qn' (how truth.json and the dashboards
    name quarters). extract() is ANSI and works on every supported warehouse. -#}
{% macro quarter_label(date_expression) -%}
    {{ dbt.concat([
        "cast(cast(extract(year from " ~ date_expression ~ ") as " ~ dbt.type_int() ~ ") as " ~ dbt.type_string() ~ ")",
        "'-Q'",
        "cast(cast(extract(quarter from " ~ date_expression ~ ") as " ~ dbt.type_int() ~ ") as " ~ dbt.type_string() ~ ")"
    ]) }}
{%- endmacro %}
