-- The portable (default__) calendar macros give the same months and day counts as the
-- adapter's own implementation, so switching warehouses cannot shift a month.
-- Returns every month present in one spine but not the other.

with

bounds as (

    select
        min(month) as first_month,
        max(month) as last_month

    from {{ ref('int_month_spine') }}

),

native_spine as (

    select
        spine.month,
        {{ days_in_month('spine.month') }} as days_in_month

    from ({{ month_spine('bounds', 'first_month', 'last_month') }}) as spine

),

portable_spine as (

    select
        spine.month,
        {{ default__days_in_month('spine.month') }} as days_in_month

    from ({{ default__month_spine('bounds', 'first_month', 'last_month') }}) as spine

),

only_native as (

    select month, days_in_month from native_spine
    {{ dbt.except() }}
    select month, days_in_month from portable_spine

),

only_portable as (

    select month, days_in_month from portable_spine
    {{ dbt.except() }}
    select month, days_in_month from native_spine

)

select 'only in the native spine' as problem, month, days_in_month from only_native
union all
select 'only in the portable spine' as problem, month, days_in_month from only_portable
