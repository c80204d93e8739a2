{#- One row per state each roadmap item was in, from the daily status snapshot, with the
    catalog's meaning of the status for the item's tool. -#}
with

snapshot as (

    select * from {{ ref('roadmap_status_snapshot') }}

),

status_map as (

    select tool, status, meaning
    from {{ ref('stg_catalog__status_map') }}

),

final as (

    select
        snapshot.item_key,
        snapshot.tool,
        snapshot.item_type,
        snapshot.item_id,
        snapshot.status,
        status_map.meaning as status_meaning,
        cast(snapshot.dbt_valid_from as {{ dbt.type_timestamp() }}) as valid_from,
        cast(snapshot.dbt_valid_to as {{ dbt.type_timestamp() }}) as valid_to,
        snapshot.dbt_valid_to is null as is_current

    from snapshot
    left join status_map
        on snapshot.tool = status_map.tool
        and snapshot.status = status_map.status

)

select * from final
