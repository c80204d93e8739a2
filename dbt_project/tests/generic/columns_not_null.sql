{#-
    Fails with one row per column of `columns` that holds nulls: `column_name` and
    `null_rows`. One test per model instead of one `not_null` test per column, because a
    build's time is dominated by dbt's per-node overhead, not by the scan: all columns are
    counted in a single pass. `where:` and `severity:` configs apply as for `not_null`.

    `new_rows_column` (optional): a load-time column. When the refresh passes a cutoff for
    the model (macros/new_rows_filter.sql), only rows loaded at or after it are counted:
    landing merges by natural key, so an older row was checked then and has not changed.
-#}
{% test columns_not_null(model, columns, new_rows_column=none) %}
    {%- if columns | length == 0 %}
        {{ exceptions.raise_compiler_error("columns_not_null on " ~ model ~ " lists no columns") }}
    {%- endif %}
    with null_counts as (
        select
        {%- for column in columns %}
            sum(case when {{ column }} is null then 1 else 0 end) as null_rows_{{ loop.index }}
            {{- "," if not loop.last }}
        {%- endfor %}
        from {{ model }}
        {{ new_rows_filter(model, new_rows_column) }}
    )
    {%- for column in columns %}
    select
        '{{ column }}' as column_name,
        cast(null_rows_{{ loop.index }} as {{ dbt.type_bigint() }}) as null_rows
    from null_counts
    where null_rows_{{ loop.index }} > 0
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endtest %}
