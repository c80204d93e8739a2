-- A numeric setting the catalog gives must be a number: a typo would otherwise fall back
-- to the default without anyone noticing. Returns each setting whose value does not parse.

select setting, value
from {{ ref('stg_catalog__settings') }}
where value is not null
    and (
        (
            setting in ('loading_factor', 'customer_commitment_cap')
            and {{ dbt.safe_cast('value', type_double()) }} is null
        )
        or (
            setting = 'min_group_size'
            and {{ dbt.safe_cast('value', dbt.type_int()) }} is null
        )
    )
