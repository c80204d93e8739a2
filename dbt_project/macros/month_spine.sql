{#-
    One row per month (column `month`, the first day as a date) from the month of
    `first_column` to the month of `last_column`, both inclusive, read from the single
    row of `bounds_relation` (a CTE name or relation). Bounds are data-driven, so the
    series is generated in SQL at run time rather than at compile time as
    dbt.date_spine does. No rows when the bounds are null.
-#}
{% macro month_spine(bounds_relation, first_column, last_column) -%}
    {{ return(adapter.dispatch('month_spine', 'productops')(bounds_relation, first_column, last_column)) }}
{%- endmacro %}

{#- Portable: a recursive CTE (PostgreSQL, Snowflake, Redshift, DuckDB, BigQuery). -#}
{% macro default__month_spine(bounds_relation, first_column, last_column) -%}
    select spine_months.month
    from (
        with recursive spine_series (month) as (
            select cast({{ first_column }} as date)
            from {{ bounds_relation }}
            where {{ first_column }} is not null and {{ last_column }} is not null
            union all
            select cast({{ dbt.dateadd('month', 1, 'spine_series.month') }} as date)
            from spine_series
            cross join {{ bounds_relation }} as spine_bounds
            where spine_series.month < cast(spine_bounds.{{ last_column }} as date)
        )
        select month from spine_series
    ) as spine_months
{%- endmacro %}

{#- DuckDB: generate_series over timestamps, unnested, one statement without recursion. -#}
{% macro duckdb__month_spine(bounds_relation, first_column, last_column) -%}
    select cast(unnest(generate_series(
        cast({{ first_column }} as timestamp),
        cast({{ last_column }} as timestamp),
        interval 1 month
    )) as date) as month
    from {{ bounds_relation }}
    where {{ first_column }} is not null and {{ last_column }} is not null
{%- endmacro %}
