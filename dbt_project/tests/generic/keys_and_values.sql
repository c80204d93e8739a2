{#-
    A model's row-level key and value rules in one test node, instead of one `unique`,
    `unique_combination_of_columns` or `accepted_values` test each: a build's time goes to
    dbt's per-node overhead, and a view would be computed once per test.

    - `unique`: columns whose non-null values appear once (as dbt's `unique`).
    - `unique_combinations`: lists of columns whose combination appears once, nulls
      included (as `unique_combination_of_columns`).
    - `accepted_values`: column -> the values it may hold; nulls pass (as dbt's
      `accepted_values`). Strings are compared quoted, numbers unquoted (`quote: false`).

    Fails with one row per offence: `rule`, `columns`, `offending_value` (the duplicated
    key, a compound key's values joined with ', ', or the unaccepted value) and
    `rows_found`. `where:` and `severity:` apply to every rule of the test, so rules that
    need another config go in a second test.

    `new_rows_column` (optional): a load-time column. When the refresh passes a cutoff for
    the model (macros/new_rows_filter.sql), only rows loaded at or after it are checked:
    landing merges by natural key, so an older row was checked then, has not changed and
    shares no key with a newer one; a duplicate can only be among the newer rows.
-#}
{% test keys_and_values(model, unique=[], unique_combinations=[], accepted_values={}, new_rows_column=none) %}
    {%- if unique | length + unique_combinations | length + accepted_values | length == 0 %}
        {{ exceptions.raise_compiler_error("keys_and_values on " ~ model ~ " lists no rules") }}
    {%- endif %}
    {#- Uniqueness rules as (rule, columns, skip nulls): dbt's `unique` ignores null keys. -#}
    {%- set key_rules = [] %}
    {%- for column in unique %}
        {%- do key_rules.append(("unique", [column], true)) %}
    {%- endfor %}
    {%- for columns in unique_combinations %}
        {%- do key_rules.append(("unique_combination", columns, false)) %}
    {%- endfor %}
    {%- set checked_columns = [] %}
    {%- for column in unique + (unique_combinations | sum(start=[])) + (accepted_values | list) %}
        {%- if column not in checked_columns %}{% do checked_columns.append(column) %}{% endif %}
    {%- endfor %}
    with checked_rows as (
        select {{ checked_columns | join(', ') }}
        from {{ model }}
        {{ new_rows_filter(model, new_rows_column) }}
    )
    {%- for rule, columns, skip_nulls in key_rules %}
        {%- set shown = [] %}
        {%- for column in columns %}
            {%- if not loop.first %}{% do shown.append("', '") %}{% endif %}
            {%- do shown.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), 'null')") %}
        {%- endfor %}
    select
        '{{ rule }}' as rule,
        '{{ columns | join(", ") }}' as columns,
        {{ dbt.concat(shown) if shown | length > 1 else shown[0] }} as offending_value,
        cast(count(*) as {{ dbt.type_bigint() }}) as rows_found
    from checked_rows
        {%- if skip_nulls %}
    where {{ columns[0] }} is not null
        {%- endif %}
    group by {{ columns | join(', ') }}
    having count(*) > 1
        {%- if not loop.last or accepted_values %}
    union all
        {%- endif %}
    {%- endfor %}
    {%- for column, values in accepted_values.items() %}
        {%- set literals = [] %}
        {%- for value in values %}
            {%- if value is number %}
                {%- do literals.append(value | string) %}
            {%- else %}
                {%- do literals.append("'" ~ (value | string | replace("'", "''")) ~ "'") %}
            {%- endif %}
        {%- endfor %}
    select
        'accepted_values' as rule,
        '{{ column }}' as columns,
        coalesce(cast({{ column }} as {{ dbt.type_string() }}), 'null') as offending_value,
        cast(count(*) as {{ dbt.type_bigint() }}) as rows_found
    from checked_rows
    where {{ column }} not in ({{ literals | join(', ') }})
    group by {{ column }}
        {%- if not loop.last %}
    union all
        {%- endif %}
    {%- endfor %}
{% endtest %}
