{#
  Helpers of the incremental allocation models (README "Incremental models"). Every
  incremental model records, on each row it writes, the newest raw `_loaded_at` (or
  upstream build time) it had seen; the next build recomputes only what arrived after.
#}

{% macro watermark_of(relation, column) -%}
    {#- The newest value of `column` in an already built relation; 1900 when it is empty
        or was built before the column existed, so the first build after an upgrade
        recomputes everything instead of failing. -#}
    {%- if has_column(relation, column) -%}
    coalesce(
        (select max({{ column }}) from {{ relation }}),
        cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }})
    )
    {%- else -%}
    cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}

{% macro changed_jira_issues(issues_relation, changes_relation, watermark_column='source_loaded_at') -%}
    {#- Issues whose issue row or one of whose changes landed after this model's watermark. -#}
    select issue_id from {{ issues_relation }}
    where loaded_at > {{ watermark_of(this, watermark_column) }}
    union
    select issue_id from {{ changes_relation }}
    where loaded_at > {{ watermark_of(this, watermark_column) }}
{%- endmacro %}

{% macro newest_jira_landing(issues_relation, changes_relation, watermark_column='source_loaded_at') -%}
    {#- One row, `source_loaded_at`: the newest `loaded_at` of the issues and their changes,
        the watermark the next build's `changed_jira_issues` compares with. An incremental
        build looks only past its own watermark: the changes are a view over every
        changelog item, and its max over all of them cost 3.4 s at scale m, where the
        filtered one is read from the newest rows alone. -#}
    {%- set since = watermark_of(this, watermark_column) if is_incremental() else none %}
    select max(loaded_at) as source_loaded_at
    from (
        select max(loaded_at) as loaded_at from {{ issues_relation }}
        {%- if since is not none %} where loaded_at > {{ since }}{% endif %}
        union all
        select max(loaded_at) from {{ changes_relation }}
        {%- if since is not none %} where loaded_at > {{ since }}{% endif %}
    ) as newest
{%- endmacro %}

{% macro months_outside_spine_deleted(month_column='month') -%}
    {#- Post-hook of month-keyed incremental models: a month that left the spine leaves. -#}
    delete from {{ this }}
    where {{ month_column }} < (select min(month) from {{ ref('int_month_spine') }})
        or {{ month_column }} > (select max(month) from {{ ref('int_month_spine') }})
{%- endmacro %}

{% macro issues_gone_from_jira_deleted() -%}
    {#- Post-hook of issue-keyed incremental models: an issue deleted in Jira leaves. -#}
    delete from {{ this }} as built
    where not exists (
        select 1 from {{ ref('stg_jira__issues') }} as issues
        where issues.issue_id = built.issue_id
    )
{%- endmacro %}

{% macro has_column(relation, column) -%}
    {#- Whether an already built relation has `column` (true while parsing). -#}
    {%- if not execute -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set names = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {{ return(column | lower in names) }}
{%- endmacro %}

{% macro first_month_to_rebuild(rebuild_from_query) -%}
    {#- Runs a model's `rebuild_from` query (one row, one date column `month`) while the
        model builds and returns that month as ISO text, or none when nothing needs
        rebuilding. Models filter on the returned literal instead of a subquery: the
        database then prunes before its range joins (DuckDB pulls a subquery filter above
        the join and expands every interval first, 3-4 s at scale m on a build that
        writes nothing), and an empty build skips the joins altogether. -#}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set month = run_query(rebuild_from_query).columns[0].values()[0] -%}
    {%- if month is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(month.strftime('%Y-%m-%d')) }}
{%- endmacro %}

{% macro month_literal(iso_month) -%}
    {#- A month returned by first_month_to_rebuild as a date literal. -#}
    cast('{{ iso_month }}' as date)
{%- endmacro %}

{% macro busy_intervals_changed_issues() -%}
    {#- The issues whose status or assignee intervals were rebuilt after the newest
        source_loaded_at int_issue_busy_intervals holds: the issues it recomputes. -#}
    select issue_id from {{ ref('int_issue_status_intervals') }}
    where source_loaded_at > {{ watermark_of(this, 'source_loaded_at') }}
    union
    select issue_id from {{ ref('int_issue_assignee_intervals') }}
    where source_loaded_at > {{ watermark_of(this, 'source_loaded_at') }}
{%- endmacro %}

{% macro busy_intervals_of_changed_issues_deleted() -%}
    {#- Pre-hook of int_issue_busy_intervals: the old rows of the issues it recomputes
        leave first, so an issue with no busy time left keeps none. Inside the model's
        transaction, so a failed build deletes nothing. -#}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where issue_id in ({{ busy_intervals_changed_issues() }})
    {%- endif -%}
{%- endmacro %}
