"""Landing readers' tables into a scratch warehouse and building staging models on it,
for the people-and-analytics e2e tests (a helper module, not a test file)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import dbt_parse_cache
import pyarrow as pa

from connectors.registry import RawTable
from orchestration.settings import PROJECT_ROOT
from orchestration.warehouse import land, open_warehouse

DBT = Path(sys.executable).parent / "dbt"


def land_tables(warehouse: Path, tables: dict[RawTable, pa.Table]) -> None:
    """Land each table as `raw.<name>` the way a refresh does (one batch)."""
    loaded_at = datetime.now(UTC)
    with open_warehouse(warehouse) as con:
        for raw_table, rows in tables.items():
            land(con, raw_table, rows, batch_id="people-e2e", loaded_at=loaded_at)


def dbt_build(warehouse: Path, work_dir: Path, models: list[str]) -> subprocess.CompletedProcess:
    """`dbt build --select <models>` on `warehouse`, with target and logs in `work_dir`.

    dbt runs in the warehouse's folder and reuses the session's saved parse
    (tests/dbt_parse_cache.py).
    """
    cwd, warehouse_in_profile = dbt_parse_cache.warehouse_cwd_and_path(warehouse)
    target_dir = work_dir / "target"
    command = [
        "build",
        "--select",
        *models,
        # Only tests of the selected models: cross-source tests need other sources.
        "--indirect-selection",
        "cautious",
    ]
    env = {
        **os.environ,
        "PRODUCTOPS_WAREHOUSE": warehouse_in_profile,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "PATH": f"{DBT.parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    dbt_parse_cache.seed(target_dir, warehouse_in_profile, env, command)
    result = subprocess.run(
        [
            str(DBT),
            *command,
            "--project-dir",
            str(PROJECT_ROOT / "dbt_project"),
            "--profiles-dir",
            str(PROJECT_ROOT / "dbt_project"),
            "--target-path",
            str(target_dir.resolve()),
            "--log-path",
            str((work_dir / "logs").resolve()),
        ],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=540,
        check=False,
    )
    dbt_parse_cache.keep(target_dir, warehouse_in_profile, env, command, result.returncode)
    return result
