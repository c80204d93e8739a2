{#
  Helpers of the incremental adoption models (dbt_project/README.md "Incremental
  models"). Each of them aggregates one kind of analytics events by month, and every row
  records `source_events` (how many events it was computed from) and `source_loaded_at`
  (the newest `loaded_at` among them). A build recomputes every month from the first one
  that events landed after the model's watermark fall in, or that lost events: landing
  merges by event id, so an event re-landed with another event_time leaves its old
  month, which then holds fewer events than it recorded. Distinct counts need all of a
  month's events, so a month is always rebuilt whole.

  Feature and enable events are the event types the catalog's features name (counting
  users of every event type per day costs about four times as much at scale m, for rows
  nobody reads), so those two models also record `catalog_loaded_at` and rebuild every
  month when stg_catalog__features landed after it. Which feature an event type marks is
  joined downstream, in the views.
#}

{% macro adoption_events(kind) -%}
    {#- The timed events (one without a timestamp counts in no month) one adoption model
        aggregates: 'app_events' (any event of an app), 'feature_events' (event types
        the catalog's features name) or 'enable_events' (a partner's events of a type the
        catalog names as enable_event_type). -#}
    select * from {{ ref('stg_analytics__events') }}
    where event_time is not null
    {%- if kind == 'app_events' %}
        and app is not null
    {%- elif kind == 'feature_events' %}
        and event_type in (select event_type from {{ ref('stg_catalog__features') }})
    {%- elif kind == 'enable_events' %}
        and account_id is not null
        and event_type in (
            select enable_event_type from {{ ref('stg_catalog__features') }}
            where enable_event_type is not null
        )
    {%- else %}
        {{ exceptions.raise_compiler_error("adoption_events: unknown kind " ~ kind) }}
    {%- endif %}
{%- endmacro %}

{% macro adoption_reads_catalog(kind) -%}
    {#- Whether the kind's events depend on the catalog (see the top of this file). -#}
    {{ return(kind in ('feature_events', 'enable_events')) }}
{%- endmacro %}

{% macro adoption_catalog_loaded_at() -%}
    {#- The newest loaded_at of the catalog's features, recorded on every row of the
        models whose events the catalog selects. -#}
    (select max(loaded_at) from {{ ref('stg_catalog__features') }})
{%- endmacro %}

{% macro adoption_rebuild_from(kind) -%}
    {#- The first month (ISO text) an incremental build of the current adoption model must
        rebuild, or none when nothing changed; '1900-01-01' (everything) when the catalog
        landed after the build for a model that reads it, or the built table predates the
        bookkeeping columns. Two run_query calls at most: new events, the total count of
        the others and the catalog's landing first (cheap scans of loaded_at); only when
        that total differs from what was recorded, which months lost events. -#}
    {%- if not execute or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set reads_catalog = adoption_reads_catalog(kind) -%}
    {%- set bookkeeping = ['source_events', 'source_loaded_at'] + (['catalog_loaded_at'] if reads_catalog else []) -%}
    {%- for column in bookkeeping -%}
        {%- if not has_column(this, column) -%}
            {{ return('1900-01-01') }}
        {%- endif -%}
    {%- endfor -%}
    {%- set watermark = watermark_of(this, 'source_loaded_at') -%}
    {%- set changes_query -%}
        with events as ({{ adoption_events(kind) }})
        select
            (select {{ month_of('min(event_time)') }} from events
             where loaded_at > {{ watermark }}) as first_new_month,
            (select count(*) from events where loaded_at <= {{ watermark }}) as kept_events,
            (select coalesce(sum(source_events), 0) from {{ this }}) as built_events,
            {%- if reads_catalog %}
            {{ adoption_catalog_loaded_at() }}
                > (select max(catalog_loaded_at) from {{ this }}) as catalog_landed
            {%- else %}
            false as catalog_landed
            {%- endif %}
    {%- endset -%}
    {%- set changes = run_query(changes_query).rows[0] -%}
    {%- if changes[3] -%}
        {{ return('1900-01-01') }}
    {%- endif -%}
    {%- set candidates = [] -%}
    {%- if changes[0] is not none -%}
        {%- do candidates.append(changes[0]) -%}
    {%- endif -%}
    {%- if changes[1] | int != changes[2] | int -%}
        {%- set lost_query -%}
            with

            kept as (
                select {{ month_of('event_time') }} as month, count(*) as events
                from ({{ adoption_events(kind) }}) as events
                where loaded_at <= {{ watermark }}
                group by {{ month_of('event_time') }}
            ),

            built as (
                select month, sum(source_events) as events
                from {{ this }}
                group by month
            )

            select min(coalesce(kept.month, built.month)) as month
            from kept
            full outer join built
                on kept.month = built.month
            where kept.events is null
                or built.events is null
                or kept.events <> built.events
        {%- endset -%}
        {%- set lost_month = run_query(lost_query).columns[0].values()[0] -%}
        {%- if lost_month is not none -%}
            {%- do candidates.append(lost_month) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if candidates | length == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return((candidates | min).strftime('%Y-%m-%d')) }}
{%- endmacro %}

{% macro adoption_events_to_rebuild(rebuild_from) -%}
    {#- The filter (starting with `and`) of a model's events: on an incremental build only
        the months from rebuild_from, as a literal so the database prunes the event scan;
        none at all when nothing changed. Ends with the marker comment the pre-hook reads
        rebuild_from back from, so the changes are looked for once per build. -#}
    {%- if is_incremental() -%}
        {%- if rebuild_from is none %}
    and 1 = 0
        {%- else %}
    and event_time >= cast('{{ rebuild_from }} 00:00:00' as {{ dbt.type_timestamp() }})
        {%- endif %}
    /* adoption_rebuild_from: {{ rebuild_from or 'nothing' }} */
    {%- endif -%}
{%- endmacro %}

{% macro adoption_rebuilt_months_deleted(kind) -%}
    {#- Pre-hook of the incremental adoption models: the months about to be rebuilt leave
        first, so a month whose events all moved away or were removed keeps no rows
        (delete+insert alone only replaces months that still have some). The first month
        is the one the model's compiled SQL filters on (its marker comment); looked for
        again only if the marker is missing. Runs inside the model's transaction. -#}
    {%- if execute and is_incremental() -%}
        {%- set marker = '/* adoption_rebuild_from: ' -%}
        {%- set code = model.compiled_code or '' -%}
        {%- if marker in code -%}
            {%- set rebuild_from = code.split(marker)[1].split(' */')[0] -%}
            {%- if rebuild_from == 'nothing' -%}
                {%- set rebuild_from = none -%}
            {%- endif -%}
        {%- else -%}
            {%- set rebuild_from = adoption_rebuild_from(kind) -%}
        {%- endif -%}
        {%- if rebuild_from is not none -%}
    delete from {{ this }} where month >= {{ month_literal(rebuild_from) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
