{#-
    dbt's `relationships`, able to check only new rows: fails with one row per non-null
    `column_name` value of the model that `field` of `to` does not hold (`from_field`).

    `new_rows_column` (optional): a load-time column of the model. When the refresh passes
    a cutoff for the model (macros/new_rows_filter.sql), only its rows loaded at or after
    it are looked up, among every row of `to`. An older row found its parent then and
    still has it, provided that a parent row can leave only with its children: landing's
    merge by natural key replaces a parent by a row with the same key, and an upstream
    delete (orchestration/defs/sources/upstream_deletes.py) removes a Jira issue's
    changelog in the same transaction as the issue. Name it only where that holds: a
    parent filtered by a setting, or landed from another source than its children, can
    vanish while they stay unchanged.
-#}
{% test parent_exists(model, column_name, to, field, new_rows_column=none) %}
    with child as (
        select {{ column_name }} as from_field
        from (
            select * from {{ model }}
            {{ new_rows_filter(model, new_rows_column) }}
        ) as checked
        where {{ column_name }} is not null
    ),

    parent as (
        select {{ field }} as to_field
        from {{ to }}
    )

    select child.from_field
    from child
    left join parent
        on child.from_field = parent.to_field
    where parent.to_field is null
{% endtest %}
