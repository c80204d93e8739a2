"""Names dbt turns into relations fit PostgreSQL's 63-byte identifier limit.

DuckDB accepts longer names, so a model or unit test named on DuckDB alone can break
the PostgreSQL build (dbt names a unit test's temporary relation after the test). This
runs without a server, so the limit is caught even where PostgreSQL is not installed.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from orchestration.settings import DBT_PROJECT_DIR

POSTGRES_MAX_IDENTIFIER = 63


def _yaml_files() -> list[Path]:
    return sorted((DBT_PROJECT_DIR / "models").rglob("*.yml"))


def test_every_unit_test_name_fits_a_postgres_identifier():
    names = [
        test["name"]
        for path in _yaml_files()
        for test in (yaml.safe_load(path.read_text()) or {}).get("unit_tests") or []
    ]
    assert len(names) >= 5, "the project's unit tests were not found"
    too_long = [n for n in names if len(n.encode()) > POSTGRES_MAX_IDENTIFIER]
    assert not too_long, too_long


def test_every_model_and_snapshot_name_fits_a_postgres_identifier():
    files = [
        *(DBT_PROJECT_DIR / "models").rglob("*.sql"),
        *(DBT_PROJECT_DIR / "snapshots").rglob("*.sql"),
    ]
    assert any(p.stem == "fct_product_cost_revenue" for p in files)
    too_long = [p.stem for p in files if len(p.stem.encode()) > POSTGRES_MAX_IDENTIFIER]
    assert not too_long, too_long
