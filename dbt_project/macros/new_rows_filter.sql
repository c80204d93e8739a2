{#-
    The `where` clause that limits a data test to the rows a model gained since its tests
    last passed on every row, or nothing (every row is checked).

    The refresh's dbt step (orchestration/defs/dbt/tested_cutoff.py) passes
    PRODUCTOPS_DBT_TESTED_CUTOFFS: a JSON object of model name -> the UTC time at which the
    last successful `dbt build` whose scoped tests of that model all passed had started.
    Rows whose `column` (a load time: staging's `loaded_at`, an incremental model's
    `source_loaded_at`) is at or after it are checked, and rows with no load time too.
    Without the variable (dbt run by hand, tests, `--full-refresh`, a first build, a changed
    project) or without an entry for the model, every row is checked.

    Why older rows need no check: landing merges by natural key (the rows whose key is
    among the incoming are deleted, the incoming inserted with a new `_loaded_at`), readers
    strip keys as `clean_text` does and the landing gate rejects a batch with duplicate
    keys, so a row older than the cutoff was checked by that build and has not changed
    since, and no newer row can share its key: a duplicate or a null can only be among
    the newer rows. The incremental allocation models delete and re-insert an issue's rows
    together, stamping them with a newer `source_loaded_at`.

    The variable is read at run time only (`execute`): dbt's partial parsing records the
    env vars read while parsing and re-parses their files when a value changes.
-#}
{% macro new_rows_filter(model, column) -%}
    {%- if column is none or not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set cutoffs = fromjson(env_var('PRODUCTOPS_DBT_TESTED_CUTOFFS', '{}')) -%}
    {%- set cutoff = cutoffs.get(model.identifier) if cutoffs is mapping else none -%}
    {%- if cutoff is none -%}
        {{ return('') }}
    {%- endif -%}
    {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?', cutoff | string) -%}
        {{ exceptions.raise_compiler_error(
            "PRODUCTOPS_DBT_TESTED_CUTOFFS: '" ~ cutoff ~ "' for " ~ model.identifier
            ~ " is not a 'YYYY-MM-DD HH:MM:SS[.ffffff]' timestamp"
        ) }}
    {%- endif -%}
    {{ return(
        "where (" ~ column ~ " >= cast('" ~ cutoff ~ "' as " ~ dbt.type_timestamp() ~ ")"
        ~ " or " ~ column ~ " is null)"
    ) }}
{%- endmacro %}
