-- Every currency that feeds a mart has a rate to the reporting currency; otherwise the
-- converted amount would be null and silently drop out of a sum. Returns each source and
-- currency without a rate.

with

fx_currencies as (

    select distinct currency from {{ ref('int_fx_rates_by_month') }}

),

currencies_used as (

    select distinct 'finance/revenue' as used_in, currency
    from {{ ref('stg_finance__revenue') }}

    union all

    select distinct 'finance/gl (R&D accounts)' as used_in, gl_lines.currency
    from {{ ref('stg_finance__gl_lines') }} as gl_lines
    inner join {{ ref('stg_catalog__rnd_accounts') }} as rnd_accounts
        on gl_lines.account = rnd_accounts.account

    union all

    select distinct 'hr/compensation' as used_in, currency
    from {{ ref('stg_hr__compensation') }}

)

select currencies_used.used_in, currencies_used.currency
from currencies_used
left join fx_currencies
    on currencies_used.currency = fx_currencies.currency
where fx_currencies.currency is null
