"""The one-per-model not-null test fails on nulls and says which column holds how many.

A copy of the built fixture warehouse gets nulls planted by hand, then only the three
not-null tests that cover them run, storing their failing rows:

- dim_products (3 rows: two products and 'unmapped'): product_name null on 1 row,
  portfolio_id null on all 3; product_id stays filled, so it must not be reported.
- fct_product_cost_revenue (`where: not people_cost_folded`): one row marked folded with
  its people_cost and rnd_fte nulled (allowed), another row with capitalizable_cost null.
- stg_hr__employees (severity warn): one employee's hired_on null in the raw table.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from dbt_runner import DbtWarehouse, run_dbt, stored_failures

PRODUCTS_TEST = "not_null_dim_products"
FOLDED_TEST = "not_null_fct_product_cost_revenue_where_not_people_cost_folded"
WARN_TEST = "not_null_stg_hr__employees_warn"

_FIRST_TWO_COST_ROWS = """
    select product_id, month, row_number() over (order by product_id, month) as row_number
    from marts.fct_product_cost_revenue
"""


def _plant_nulls(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            "update marts.dim_products set product_name = null"
            " where product_id = (select min(product_id) from marts.dim_products)"
        )
        connection.execute("update marts.dim_products set portfolio_id = null")
        connection.execute(
            f"""
            update marts.fct_product_cost_revenue as f
            set people_cost_folded = true, people_cost = null, rnd_fte = null
            from ({_FIRST_TWO_COST_ROWS}) as r
            where r.row_number = 1 and f.product_id = r.product_id and f.month = r.month
            """
        )
        connection.execute(
            f"""
            update marts.fct_product_cost_revenue as f
            set capitalizable_cost = null
            from ({_FIRST_TWO_COST_ROWS}) as r
            where r.row_number = 2 and f.product_id = r.product_id and f.month = r.month
            """
        )
        connection.execute(
            "update raw.hr__employees set hired_on = null"
            " where employee_key = (select min(employee_key) from raw.hr__employees)"
        )


def _stored_failures(warehouse: Path, test_name: str) -> set[tuple[str, int]]:
    return {
        (column, int(count))
        for column, count in stored_failures(warehouse, test_name, "column_name, null_rows")
    }


@pytest.fixture(scope="module")
def planted(dbt_warehouse: DbtWarehouse, tmp_path_factory: pytest.TempPathFactory):
    """The fixture warehouse with nulls planted, after the three tests ran on it."""
    work_dir = tmp_path_factory.mktemp("columns_not_null")
    warehouse = work_dir / "warehouse.duckdb"
    shutil.copyfile(dbt_warehouse.path, warehouse)
    _plant_nulls(warehouse)
    result = run_dbt(
        ["test", "--store-failures", "--select", PRODUCTS_TEST, FOLDED_TEST, WARN_TEST],
        warehouse,
        work_dir,
    )
    run_results = json.loads((work_dir / "target" / "run_results.json").read_text())
    statuses = {
        node["unique_id"].split(".")[2]: (node["status"], node["failures"])
        for node in run_results["results"]
    }
    return warehouse, result, statuses


def test_the_same_tests_pass_before_the_nulls_are_planted(dbt_warehouse: DbtWarehouse):
    statuses = {node.split(".")[2]: status for node, status in dbt_warehouse.node_statuses.items()}
    assert [statuses[name] for name in (PRODUCTS_TEST, FOLDED_TEST, WARN_TEST)] == ["pass"] * 3


def test_a_null_fails_the_build_and_each_column_is_reported_with_its_count(planted):
    warehouse, result, statuses = planted
    assert result.returncode == 1
    assert statuses[PRODUCTS_TEST] == ("fail", 2)
    assert _stored_failures(warehouse, PRODUCTS_TEST) == {
        ("product_name", 1),
        ("portfolio_id", 3),
    }


def test_rows_excluded_by_where_are_not_checked(planted):
    warehouse, _, statuses = planted
    assert statuses[FOLDED_TEST] == ("fail", 1)
    assert _stored_failures(warehouse, FOLDED_TEST) == {("capitalizable_cost", 1)}


def test_a_warn_severity_column_only_warns(planted):
    warehouse, _, statuses = planted
    assert statuses[WARN_TEST] == ("warn", 1)
    assert _stored_failures(warehouse, WARN_TEST) == {("hired_on", 1)}
