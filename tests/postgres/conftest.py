"""PostgreSQL fixtures: one throwaway server per session and the demo company built on it.

Without PostgreSQL's server binaries these tests are skipped, saying why; with
`PRODUCTOPS_REQUIRE_POSTGRES` set (CI, `PRODUCTOPS_TARGET=postgres make test`) they fail.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from demo_build import SEEDS_DIR, TEST_PSEUDONYM_KEY, BuiltWarehouse, run_refresh_cli
from pg_server import (
    PostgresServer,
    PostgresUnavailable,
    create_database,
    start_server,
    stop_server,
)

from orchestration.settings import Settings, get_settings

_database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server on 127.0.0.1 for this session, removed afterwards."""
    try:
        server = start_server()
    except PostgresUnavailable as missing:
        if os.environ.get("PRODUCTOPS_REQUIRE_POSTGRES"):
            pytest.fail(f"PRODUCTOPS_REQUIRE_POSTGRES is set but {missing}")
        pytest.skip(f"PostgreSQL tests skipped: {missing}")
    try:
        yield server
    finally:
        stop_server(server)


@pytest.fixture
def pg_settings(pg_server: PostgresServer, monkeypatch: pytest.MonkeyPatch, tmp_path) -> Settings:
    """Settings pointing at a fresh, empty database of the session's server."""
    database = f"unit_{next(_database_numbers)}"
    create_database(pg_server, database)
    for name, value in pg_server.env(database).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PRODUCTOPS_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    return get_settings()


@dataclass(frozen=True)
class PostgresWarehouse:
    """The demo company refreshed with `PRODUCTOPS_TARGET=postgres`."""

    built: BuiltWarehouse
    server: PostgresServer
    database: str

    @property
    def serving_path(self) -> Path:
        return self.built.serving_path

    def connect(self):
        """A psycopg connection to the warehouse database (autocommit)."""
        import psycopg

        return psycopg.connect(
            host=self.server.host,
            port=self.server.port,
            user=self.server.user,
            password=self.server.password,
            dbname=self.database,
            autocommit=True,
        )


@pytest.fixture(scope="session")
def pg_warehouse(pg_server: PostgresServer, tmp_path_factory) -> PostgresWarehouse:
    """The demo company built on PostgreSQL once per session, with `productops refresh`."""
    database = "demo"
    create_database(pg_server, database)
    data_dir = tmp_path_factory.mktemp("pg-demo-data")
    env = {
        **os.environ,
        **pg_server.env(database),
        "PRODUCTOPS_DATA_DIR": str(data_dir),
        "PRODUCTOPS_SOURCES_DIR": str(SEEDS_DIR),
        "PRODUCTOPS_PSEUDONYM_KEY": TEST_PSEUDONYM_KEY,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    env.pop("PRODUCTOPS_CATALOG", None)
    result = run_refresh_cli(env)
    if result.returncode != 0:
        pytest.fail(
            "productops refresh with PRODUCTOPS_TARGET=postgres failed on the demo company:\n"
            + result.stdout[-5000:]
            + result.stderr[-5000:]
        )
    built = BuiltWarehouse(data_dir=data_dir, env=env, refresh_output=result.stdout)
    return PostgresWarehouse(built=built, server=pg_server, database=database)
