"""Session-wide fixtures: the demo warehouse is built once and shared by every test."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from demo_build import SEEDS_DIR, TEST_PSEUDONYM_KEY, BuiltWarehouse, run_refresh_cli

from orchestration.settings import get_settings


def pytest_configure(config: pytest.Config) -> None:
    """`PRODUCTOPS_TARGET=postgres make test` makes the PostgreSQL tests (tests/postgres,
    on a throwaway local server) fail instead of skip; the rest of the suite stays on
    DuckDB, the reference those tests compare PostgreSQL's marts with."""
    if os.environ.pop("PRODUCTOPS_TARGET", None) == "postgres":
        os.environ["PRODUCTOPS_REQUIRE_POSTGRES"] = "1"


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    """Settings are cached per process; tests that move the data dir must not leak it."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def truth() -> dict:
    """The facts the demo generator planted, computed from its own simulation."""
    return json.loads((SEEDS_DIR / "truth.json").read_text())


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> BuiltWarehouse:
    """The demo company refreshed once per test session into a temporary data folder."""
    data_dir = tmp_path_factory.mktemp("demo-data")
    env = {
        **os.environ,
        "PRODUCTOPS_DATA_DIR": str(data_dir),
        "PRODUCTOPS_SOURCES_DIR": str(SEEDS_DIR),
        "PRODUCTOPS_PSEUDONYM_KEY": TEST_PSEUDONYM_KEY,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    env.pop("PRODUCTOPS_CATALOG", None)
    result = run_refresh_cli(env)
    if result.returncode != 0:
        pytest.fail(
            "productops refresh failed on the demo company:\n"
            + result.stdout[-5000:]
            + result.stderr[-5000:]
        )
    return BuiltWarehouse(data_dir=data_dir, env=env, refresh_output=result.stdout)
