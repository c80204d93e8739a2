{#-
    Text as the staging layer wants it: trimmed, and null when nothing is left, so an
    empty CSV cell and a missing value mean the same thing downstream.
-#}
{% macro clean_text(column) -%}
    nullif(trim(cast({{ column }} as {{ dbt.type_string() }})), '')
{%- endmacro %}

{#- A code or vocabulary value compared case-insensitively: trimmed and lowercased. -#}
{% macro clean_code(column) -%}
    lower({{ clean_text(column) }})
{%- endmacro %}

{#- An ISO currency code: trimmed and uppercased. -#}
{% macro clean_currency(column) -%}
    upper({{ clean_text(column) }})
{%- endmacro %}
