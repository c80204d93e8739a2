"""dim_products, the schema layout and what must never reach a mart."""

from __future__ import annotations

import datetime as dt

from dbt_runner import DbtWarehouse


def test_dim_products_has_catalog_products_and_unmapped(dbt_warehouse: DbtWarehouse) -> None:
    rows = dbt_warehouse.query(
        "select product_id, product_name, portfolio_id, portfolio_name, product_areas, "
        "director, pm, launched_on from marts.dim_products order by product_id"
    )
    assert rows == [
        (
            "insights",
            "Insights",
            "growth",
            "Growth",
            "dashboards",
            "VP Growth",
            "PM Insights",
            dt.date(2023, 9, 1),
        ),
        (
            "payments_api",
            "Payments API",
            "platform",
            "Platform",
            "checkout, payouts",
            "VP Platform",
            "PM Payments API",
            dt.date(2019, 4, 1),
        ),
        ("unmapped", "Unmapped", "unmapped", "Unmapped", None, None, None, None),
    ]


def test_layers_build_into_their_exact_schemas(dbt_warehouse: DbtWarehouse) -> None:
    schemas = dbt_warehouse.query(
        "select table_schema, table_name, table_type from information_schema.tables "
        "where table_name in ('stg_finance__revenue', 'int_fx_rates_by_month', "
        "'fct_product_cost_revenue', 'dim_products') order by table_name"
    )
    assert schemas == [
        ("marts", "dim_products", "BASE TABLE"),
        ("marts", "fct_product_cost_revenue", "BASE TABLE"),
        ("intermediate", "int_fx_rates_by_month", "VIEW"),
        ("staging", "stg_finance__revenue", "VIEW"),
    ]


def test_no_person_level_column_reaches_a_mart(dbt_warehouse: DbtWarehouse) -> None:
    columns = {
        name
        for (name,) in dbt_warehouse.query(
            "select column_name from information_schema.columns where table_schema = 'marts'"
        )
    }
    assert columns, "no mart columns found"
    assert not columns & {
        "employee_key",
        "person_key",
        "annual_salary",
        "salary_currency",
        "loaded_cost",
    }


def test_status_meanings_are_lowercased_in_staging(dbt_warehouse: DbtWarehouse) -> None:
    rows = dbt_warehouse.query(
        "select status, meaning from staging.stg_catalog__status_map order by status"
    )
    assert rows == [("Done", "done"), ("In Progress", "in_progress")]


def test_person_months_stop_at_the_as_of_month(dbt_warehouse: DbtWarehouse) -> None:
    # The part-timer's leaving date is 31 August, but the data ends in March.
    rows = dbt_warehouse.query(
        "select month, days_employed, fte_month from intermediate.int_person_months "
        "where employee_key = 'emp_part_timer' order by month"
    )
    assert rows == [
        (dt.date(2025, 1, 1), 31, 0.5),
        (dt.date(2025, 2, 1), 28, 0.5),
        (dt.date(2025, 3, 1), 31, 0.5),
    ]


def test_build_runs_the_unit_tests(dbt_warehouse: DbtWarehouse) -> None:
    # The tricky logic is covered by dbt unit tests; they must have run, not been skipped.
    unit_tests = {
        unique_id.rsplit(".", 1)[-1]: status
        for unique_id, status in dbt_warehouse.node_statuses.items()
        if unique_id.startswith("unit_test.")
    }
    for name in (
        "fte_month_counts_hire_and_leaving_days_and_part_time",
        "salary_in_force_at_month_end_is_used",
        "revenue_converted_at_the_month_rate_unmapped_skus_kept",
        "other_rnd_cost_keeps_only_rnd_accounts",
        "rnd_pct_of_revenue_is_null_without_revenue",
    ):
        assert unit_tests.get(name) == "pass", (name, unit_tests)
