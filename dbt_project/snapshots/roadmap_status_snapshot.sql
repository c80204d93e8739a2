{#-
    The status of every roadmap item at each refresh, as SCD type 2 rows: one row per
    state an item was in, valid from the refresh that first saw it (the landing time,
    `loaded_at`) until the refresh that saw the next one. Tools that log changes
    (Aha! audits) are measured from their history; this makes time to decision and
    "committed at quarter start" measurable for the ones that only say where an item
    stands now (Productboard, ProdPad, spreadsheets) from the first scheduled refresh on.

    The check strategy compares only `status`; `updated_at = observed_at` stamps the
    validity with the data's landing time rather than the wall clock of the dbt run,
    so a re-run of dbt on the same landing records nothing new.
-#}
{% snapshot roadmap_status_snapshot %}

{{
    config(
        schema='snapshots',
        unique_key='item_key',
        strategy='check',
        check_cols=['status'],
        updated_at='observed_at',
    )
}}

with

items as (

    select item_key, tool, item_type, item_id, status, loaded_at
    from {{ ref('stg_roadmap__items') }}

),

aha_ideas as (

    select
        {{ dbt.concat(["'aha:idea:'", "idea_id"]) }} as item_key,
        'aha' as tool,
        'idea' as item_type,
        idea_id as item_id,
        status,
        loaded_at
    from {{ ref('stg_roadmap__ideas') }}

),

aha_features as (

    select
        {{ dbt.concat(["'aha:feature:'", "feature_id"]) }} as item_key,
        'aha' as tool,
        'feature' as item_type,
        feature_id as item_id,
        status,
        loaded_at
    from {{ ref('stg_roadmap__features') }}

),

unioned as (

    select * from items
    union all
    select * from aha_ideas
    union all
    select * from aha_features

)

select
    item_key,
    tool,
    item_type,
    item_id,
    status,
    loaded_at as observed_at
from unioned
where item_key is not null and loaded_at is not null

{% endsnapshot %}
