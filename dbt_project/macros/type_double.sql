{#-
    A double-precision float. type_double() renders `float`, which is double precision
    on PostgreSQL, Snowflake and BigQuery but a 4-byte REAL on DuckDB: money and FTE
    shares computed in it would lose cents.
-#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'productops')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    {{ dbt.type_float() }}
{%- endmacro %}

{% macro duckdb__type_double() -%}
    double
{%- endmacro %}
