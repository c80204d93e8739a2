"""The dbt test warehouses: hand-written raw rows built by `dbt build` once per session.

`dbt_warehouse` is the base company built through every layer; `alloc_company_warehouse`
is that company plus the allocation rows, built through the allocation marts. Tests that
change a warehouse work on a copy of it.
"""

from __future__ import annotations

import json

import duckdb
import pytest
from alloc_fixture_rows import MARTS, company_rows
from dbt_fixture_company import RAW_ROWS
from dbt_raw_tables import create_raw_schema, insert_rows
from dbt_runner import DbtWarehouse, build_company, run_dbt


@pytest.fixture(scope="session")
def dbt_warehouse(tmp_path_factory: pytest.TempPathFactory) -> DbtWarehouse:
    """The hand-written raw rows, landed and built through every dbt layer."""
    work_dir = tmp_path_factory.mktemp("dbt_build")
    warehouse = work_dir / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        create_raw_schema(connection)
        for table_name, rows in RAW_ROWS.items():
            insert_rows(connection, table_name, rows)
    result = run_dbt(["build"], warehouse, work_dir)
    output = result.stdout + result.stderr
    if result.returncode != 0:
        pytest.fail(f"dbt build failed (exit {result.returncode}):\n{output[-6000:]}")
    run_results = json.loads((work_dir / "target" / "run_results.json").read_text())
    return DbtWarehouse(
        path=warehouse,
        node_statuses={node["unique_id"]: node["status"] for node in run_results["results"]},
    )


@pytest.fixture(scope="session")
def alloc_company_warehouse(tmp_path_factory: pytest.TempPathFactory) -> DbtWarehouse:
    """The small company with Jira history (alloc_fixture_rows.py), built through the
    allocation marts with their unit tests: read by test_alloc_engine_small_company.py,
    and copied as day one by test_alloc_incremental_equals_full.py. Do not change it."""
    return build_company(
        tmp_path_factory.mktemp("alloc_build"), company_rows(), ["--select", *MARTS.split()]
    )
