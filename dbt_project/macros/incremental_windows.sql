{#
  Helpers of the incremental allocation models (README "Incremental models"). Every
  incremental model records, on each row it writes, the newest raw `_loaded_at` (or
  upstream build time) it had seen; the next build recomputes only what arrived after.
#}

{% macro watermark_of(relation, column) -%}
    {#- The newest value of `column` in an already built relation, as a timestamp literal;
        1900 when it is empty or was built before the column existed, so the first build
        after an upgrade recomputes everything instead of failing.

        A literal, not a subquery: read once while the model compiles, it lets the
        database skip every block of an append-ordered table whose load times are all
        older (a `loaded_at > (select max(...))` filter scans all of them). At scale m
        that took the changed-issue lookups of the Jira interval models from 0.5 s per
        scan of the changelog to 10 ms. It is also the value before the model's
        pre-hooks run, so a pre-hook's delete and the model's insert see the same
        watermark. -#}
    {%- set since_ever = "cast('1900-01-01 00:00:00' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- if not execute or not has_column(relation, column) -%}
        {{ return(since_ever) }}
    {%- endif -%}
    {#- As text, so no driver rounds the microseconds away. -#}
    {%- set newest = run_query(
        "select cast(max(" ~ column ~ ") as " ~ dbt.type_string() ~ ") from " ~ relation
    ).columns[0].values()[0] -%}
    {%- if newest is none -%}
        {{ return(since_ever) }}
    {%- endif -%}
    {{ return("cast('" ~ newest ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
{%- endmacro %}

{% macro changed_jira_issues(issues_relation, changes_relation, watermark_column='source_loaded_at') -%}
    {#- Issues whose issue row or one of whose changes landed after this model's watermark. -#}
    select issue_id from {{ issues_relation }}
    where loaded_at > {{ watermark_of(this, watermark_column) }}
    union
    select issue_id from {{ changes_relation }}
    where loaded_at > {{ watermark_of(this, watermark_column) }}
{%- endmacro %}

{% macro changed_issues_in(changed_issues_query) -%}
    {#- What an incremental Jira model filters on, as `issue_id in {{ ... }}`: the issues
        `changed_issues_query` finds, read while the model compiles and written out as a
        list of literals; none when there are more than `most` of them, and the model
        then recomputes every issue (`issue_filter`).

        The database pushes a literal list down through the staging views' cleaning and
        joins into the scan of the raw table; a subquery is joined only after every
        status change was cleaned and joined. At scale m that was 2.3 s of a nightly
        build that changes a few hundred issues, against 0.5 s. A subquery therefore
        costs at least a full recompute, and it ran out of DuckDB's 4 GB when a whole
        re-landing made every issue changed (a new reader or a replaced Jira export): the
        busy intervals' join, filtered on the 1.4M changed ids at scale m, failed where
        the unfiltered join takes 1.9 s.
        The list's cost grows with its length: at m the status intervals' query took
        0.7 s for 5,000 ids, 2.4 s for 50,000 and 8.3 s for 200,000, against 9.0 s for
        every issue (which then also rewrites all 16M rows). With 50,000 issues changed
        the three interval models took 9.6 s on literals and 24.0 s recomputing every
        issue. Past `most` (50,000), recomputing every issue is the plan whose time and
        memory the full refresh already proves.
        No changed issue at all is an empty set: `(null)` matches no row. The var
        `changed_issue_literals_max` sets `most` (tests set 0 to take the every-issue
        path). -#}
    {%- set most = var('changed_issue_literals_max', 50000) | int -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set ids = run_query(
        "select distinct issue_id from (" ~ changed_issues_query ~ ") as changed_issues"
        ~ " where issue_id is not null limit " ~ (most + 1)
    ).columns[0].values() -%}
    {%- if ids | length > most -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if ids | length == 0 -%}
        {{ return("(null)") }}
    {%- endif -%}
    {%- set literals = [] -%}
    {%- for id in ids -%}
        {%- do literals.append("'" ~ (id | string | replace("'", "''")) ~ "'") -%}
    {%- endfor -%}
    {{ return("(" ~ literals | join(", ") ~ ")") }}
{%- endmacro %}

{% macro issue_filter(column, changed_issues, keyword='and') -%}
    {#- `<keyword> <column> in <changed_issues>` in an incremental build whose
        `changed_issues_in` returned a set; nothing in a full build or when every issue
        is recomputed. -#}
    {%- if is_incremental() and changed_issues is not none -%}
        {{ keyword }} {{ column }} in {{ changed_issues }}
    {%- endif -%}
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

{% macro person_days_compared_until() -%}
    {#- The watermark of int_issue_person_days' changed issues: the newer of its own
        newest source_loaded_at and the interval landing its last build compared with
        (int_issue_person_days_checked, looked up by name: it is built downstream). -#}
    {%- set own = watermark_of(this, 'source_loaded_at') -%}
    {%- if not execute -%}
        {{ return(own) }}
    {%- endif -%}
    {%- set checked = adapter.get_relation(
        database=this.database, schema=this.schema, identifier='int_issue_person_days_checked'
    ) -%}
    {%- if checked is none -%}
        {{ return(own) }}
    {%- endif -%}
    {{ return("greatest(" ~ own ~ ", " ~ watermark_of(checked, 'source_loaded_at') ~ ")") }}
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
