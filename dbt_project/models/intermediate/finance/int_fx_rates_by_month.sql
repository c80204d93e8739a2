-- The rate to the reporting currency for every currency of the FX export and every month
-- of the spine. A month the export has no rate for takes the nearest earlier month's
-- rate, or, before the export starts, its first rate (rate_month says which was used).
-- The reporting currency is always 1.

with

months as (

    select month from {{ ref('int_month_spine') }}

),

settings as (

    select reporting_currency from {{ ref('int_catalog_settings_pivoted') }}

),

rates as (

    select
        fx.month as rate_month,
        fx.currency,
        fx.rate

    from {{ ref('stg_finance__fx_rates') }} as fx
    cross join settings
    where fx.currency <> settings.reporting_currency

),

candidates as (

    select
        months.month,
        rates.currency,
        rates.rate,
        rates.rate_month,
        row_number() over (
            partition by months.month, rates.currency
            order by
                case when rates.rate_month <= months.month then 0 else 1 end,
                abs({{ dbt.datediff('rates.rate_month', 'months.month', 'day') }})
        ) as nearness

    from months
    cross join rates

),

foreign_rates as (

    select month, currency, rate, rate_month
    from candidates
    where nearness = 1

),

reporting_rates as (

    select
        months.month,
        settings.reporting_currency as currency,
        cast(1.0 as {{ type_double() }}) as rate,
        months.month as rate_month

    from months
    cross join settings

),

final as (

    select
        month,
        currency,
        rate,
        rate_month,
        rate_month <> month as is_carried_over

    from foreign_rates

    union all

    select
        month,
        currency,
        rate,
        rate_month,
        false as is_carried_over

    from reporting_rates

)

select * from final
