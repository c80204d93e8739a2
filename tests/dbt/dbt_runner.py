"""Running dbt on the project against a given warehouse file, and reading the result."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import dbt_parse_cache
import duckdb

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_EXECUTABLE = Path(sys.executable).parent / "dbt"


@dataclass(frozen=True)
class DbtWarehouse:
    """A warehouse file after `dbt build`, and the status dbt recorded for each node."""

    path: Path
    node_statuses: dict[str, str]

    def query(self, sql: str, params: list[object] | None = None) -> list[tuple]:
        """Run a read-only query and return all rows."""
        with duckdb.connect(str(self.path), read_only=True) as connection:
            return connection.execute(sql, params or []).fetchall()


def run_dbt(
    command: list[str], warehouse: Path, work_dir: Path, reuse_parse: bool = True
) -> subprocess.CompletedProcess:
    """Run a dbt command on the project against `warehouse`, with target and logs in `work_dir`.

    Target and log paths are private to the caller so parallel runs do not clash. With
    `reuse_parse` (dbt_parse_cache.py) dbt runs in the warehouse's folder and reuses the
    session's saved parse; without it, it runs from the repository on the absolute path.
    """
    target_dir = work_dir / "target"
    if reuse_parse:
        cwd, warehouse_in_profile = dbt_parse_cache.warehouse_cwd_and_path(warehouse)
    else:
        cwd, warehouse_in_profile = REPO_ROOT, str(warehouse)
    env = {
        **os.environ,
        "PRODUCTOPS_WAREHOUSE": warehouse_in_profile,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "PATH": f"{DBT_EXECUTABLE.parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    if reuse_parse:
        dbt_parse_cache.seed(target_dir, warehouse_in_profile, env, command)
    result = subprocess.run(
        [
            str(DBT_EXECUTABLE),
            *command,
            "--project-dir",
            str(REPO_ROOT / "dbt_project"),
            "--profiles-dir",
            str(REPO_ROOT / "dbt_project"),
            "--target-path",
            str(target_dir.resolve()),
            "--log-path",
            str((work_dir / "logs").resolve()),
        ],
        check=False,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=540,
    )
    if reuse_parse:
        dbt_parse_cache.keep(target_dir, warehouse_in_profile, env, command, result.returncode)
    return result


def stored_failures(warehouse: Path, test_name: str, columns: str) -> set[tuple]:
    """The rows `dbt test --store-failures` kept for `test_name`: `columns` of each.

    dbt writes the table into a schema of its own naming; exactly one must exist.
    """
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        schemas = connection.execute(
            "select table_schema from information_schema.tables where table_name = ?",
            [test_name],
        ).fetchall()
        assert len(schemas) == 1, f"no single stored-failures table for {test_name}: {schemas}"
        rows = connection.execute(
            f'select {columns} from "{schemas[0][0]}"."{test_name}"'
        ).fetchall()
    return {tuple(row) for row in rows}


def build_company(
    work_dir: Path, rows: dict[str, list[dict]], selection: list[str]
) -> DbtWarehouse:
    """`rows` landed in a new `work_dir/warehouse.duckdb` and built by `dbt build` of
    `selection` (with `--indirect-selection cautious`); a failed build fails the test."""
    import pytest
    from dbt_raw_tables import create_raw_schema, insert_rows

    warehouse = work_dir / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        create_raw_schema(connection)
        for table_name, table_rows in rows.items():
            insert_rows(connection, table_name, table_rows)
    result = run_dbt(["build", "--indirect-selection", "cautious", *selection], warehouse, work_dir)
    if result.returncode != 0:
        pytest.fail(f"dbt build failed:\n{(result.stdout + result.stderr)[-6000:]}")
    return DbtWarehouse(path=warehouse, node_statuses={})
