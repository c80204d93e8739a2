-- One row: the catalog settings as typed columns. A setting the catalog leaves out takes
-- the METRICS.md default from dbt vars, so the warehouse builds with a minimal catalog.

with

settings as (

    select * from {{ ref('stg_catalog__settings') }}

),

pivoted as (

    -- aggregating without group by yields exactly one row, even for an empty catalog
    select
        max(case when setting = 'reporting_currency' then value end) as reporting_currency,
        max(case when setting = 'loading_factor' then value end) as loading_factor,
        max(case when setting = 'min_group_size' then value end) as min_group_size,
        max(case when setting = 'customer_commitment_cap' then value end) as customer_commitment_cap

    from settings

),

final as (

    select
        coalesce(
            upper(reporting_currency),
            '{{ var("default_reporting_currency") }}'
        ) as reporting_currency,
        coalesce(
            {{ dbt.safe_cast('loading_factor', type_double()) }},
            {{ var('default_loading_factor') }}
        ) as loading_factor,
        coalesce(
            {{ dbt.safe_cast('min_group_size', dbt.type_int()) }},
            {{ var('default_min_group_size') }}
        ) as min_group_size,
        coalesce(
            {{ dbt.safe_cast('customer_commitment_cap', type_double()) }},
            {{ var('default_customer_commitment_cap') }}
        ) as customer_commitment_cap

    from pivoted

)

select * from final
