"""`PRODUCTOPS_DUCKDB_MEMORY_LIMIT`: read once, refused when DuckDB could not take it, and
the limit dbt's DuckDB really runs with."""

from __future__ import annotations

import os
import subprocess

import pytest

from orchestration.defs.dbt.resources import dbt_env, dbt_executable
from orchestration.settings import DBT_PROJECT_DIR, default_duckdb_memory_limit, get_settings
from orchestration.warehouse import connect


def test_the_default_caps_duckdb_at_4gb(folders, monkeypatch):
    monkeypatch.delenv("PRODUCTOPS_DUCKDB_MEMORY_LIMIT", raising=False)
    get_settings.cache_clear()
    # This machine (and CI's) has far more than 5 GB of RAM.
    assert get_settings().duckdb_memory_limit == "4GB"


@pytest.mark.parametrize(
    ("total_gib", "default"), [(24, "4GB"), (8, "4GB"), (5, "4GB"), (4, "80%"), (2, "80%")]
)
def test_a_machine_with_less_than_5gb_keeps_duckdbs_own_share(total_gib, default):
    assert default_duckdb_memory_limit(total_gib * 1024**3) == default


@pytest.mark.parametrize("value", ["6GB", "512MiB", "50%", " 2.5 GB "])
def test_sizes_and_shares_are_accepted(folders, monkeypatch, value):
    monkeypatch.setenv("PRODUCTOPS_DUCKDB_MEMORY_LIMIT", value)
    get_settings.cache_clear()
    assert get_settings().duckdb_memory_limit == value.strip()


@pytest.mark.parametrize("value", ["lots", "6", "6 GBs", "-1GB", "50 percent"])
def test_a_value_duckdb_would_refuse_names_the_setting(folders, monkeypatch, value):
    monkeypatch.setenv("PRODUCTOPS_DUCKDB_MEMORY_LIMIT", value)
    get_settings.cache_clear()
    with pytest.raises(ValueError, match="PRODUCTOPS_DUCKDB_MEMORY_LIMIT="):
        get_settings()


def test_dbt_runs_duckdb_with_the_configured_limit(folders, monkeypatch, tmp_path):
    monkeypatch.setenv("PRODUCTOPS_DUCKDB_MEMORY_LIMIT", "768MiB")
    get_settings.cache_clear()
    warehouse = tmp_path / "limit.duckdb"
    shown = subprocess.run(
        [
            dbt_executable(),
            "show",
            "--inline",
            "select current_setting('memory_limit') as memory_limit",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
            "--output",
            "json",
            "--no-use-colors",
        ],
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, **dbt_env(warehouse)},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert shown.returncode == 0, shown.stdout[-2000:] + shown.stderr[-2000:]
    assert '"memory_limit": "768.0 MiB"' in shown.stdout


def test_the_landing_connection_runs_with_the_configured_limit(folders, monkeypatch):
    monkeypatch.setenv("PRODUCTOPS_DUCKDB_MEMORY_LIMIT", "640MiB")
    get_settings.cache_clear()
    con = connect()
    try:
        (limit,) = con.execute("select current_setting('memory_limit')").fetchone()
    finally:
        con.close()
    assert limit == "640.0 MiB"
