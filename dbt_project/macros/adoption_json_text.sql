{#-
    The text value of a top-level key of a JSON object held as text (Amplitude's
    event_properties land as JSON text), or null when the key is missing.
-#}
{% macro adoption_json_text(json_column, key) -%}
    {{ return(adapter.dispatch('adoption_json_text', 'productops')(json_column, key)) }}
{%- endmacro %}

{#- Portable default: the PostgreSQL JSON operator (also Redshift's json_extract_path_text). -#}
{% macro default__adoption_json_text(json_column, key) -%}
    (cast({{ json_column }} as json) ->> '{{ key }}')
{%- endmacro %}

{% macro duckdb__adoption_json_text(json_column, key) -%}
    json_extract_string({{ json_column }}, '$.{{ key }}')
{%- endmacro %}
