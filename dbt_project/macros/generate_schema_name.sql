{#-
    Custom schema names are used as they are: `+schema: marts` builds into `marts`,
    not dbt's default `<target schema>_marts`, because the dashboards, the publish step
    and the board pack address the marts by that exact name.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
