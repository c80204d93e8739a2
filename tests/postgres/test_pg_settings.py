"""Choosing the engine: `PRODUCTOPS_TARGET` and the PostgreSQL settings reach dbt."""

from __future__ import annotations

import pytest

from orchestration.dbt_target import PG_PASSWORD_ENV_VAR, dbt_target_env
from orchestration.defs.dbt.resources import WAREHOUSE_ENV_VAR, dbt_env
from orchestration.settings import DEFAULT_DUCKDB_MEMORY_LIMIT, get_settings

_PG = {
    "PRODUCTOPS_TARGET": "postgres",
    "PRODUCTOPS_PG_HOST": "warehouse.internal",
    "PRODUCTOPS_PG_PORT": "6543",
    "PRODUCTOPS_PG_USER": "etl",
    "PRODUCTOPS_PG_PASSWORD": "s3cret-value",
    "PRODUCTOPS_PG_DATABASE": "analytics",
}


@pytest.fixture
def clean_env(monkeypatch):
    for name in [*_PG, "PRODUCTOPS_TARGET", "PRODUCTOPS_DUCKDB_MEMORY_LIMIT"]:
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    return monkeypatch


def test_duckdb_is_the_default_and_dbt_is_told_so(clean_env, tmp_path):
    settings = get_settings()
    assert settings.target == "duckdb"
    assert dbt_target_env(settings) == {
        "PRODUCTOPS_TARGET": "duckdb",
        "PRODUCTOPS_DUCKDB_MEMORY_LIMIT": DEFAULT_DUCKDB_MEMORY_LIMIT,
    }
    assert dbt_env(tmp_path / "w.duckdb") == {
        WAREHOUSE_ENV_VAR: str(tmp_path / "w.duckdb"),
        "PRODUCTOPS_TARGET": "duckdb",
        "PRODUCTOPS_DUCKDB_MEMORY_LIMIT": DEFAULT_DUCKDB_MEMORY_LIMIT,
    }


def test_postgres_settings_reach_dbt_with_the_password_as_a_dbt_secret(clean_env, tmp_path):
    for name, value in _PG.items():
        clean_env.setenv(name, value)
    settings = get_settings()
    assert (settings.target, settings.pg_host, settings.pg_port) == (
        "postgres",
        "warehouse.internal",
        6543,
    )
    assert (settings.pg_user, settings.pg_database) == ("etl", "analytics")
    assert "s3cret-value" not in repr(settings)
    env = dbt_env(tmp_path / "w.duckdb")
    assert env["PRODUCTOPS_TARGET"] == "postgres"
    assert env["PRODUCTOPS_PG_HOST"] == "warehouse.internal"
    assert env["PRODUCTOPS_PG_PORT"] == "6543"
    # dbt scrubs DBT_ENV_SECRET_* values from its logs; no other variable carries it.
    assert env[PG_PASSWORD_ENV_VAR] == "s3cret-value"
    assert [k for k, v in env.items() if v == "s3cret-value"] == [PG_PASSWORD_ENV_VAR]


def test_an_unknown_target_is_refused_naming_the_setting(clean_env):
    clean_env.setenv("PRODUCTOPS_TARGET", "oracle")
    with pytest.raises(ValueError, match="PRODUCTOPS_TARGET='oracle'"):
        get_settings()
