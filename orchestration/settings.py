"""The one place that reads the environment.

Everything else asks `get_settings()`. With no environment at all the defaults run the
demo company: sources from `seeds/`, state under `data/`.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"


@dataclass(frozen=True)
class Settings:
    """Typed settings; paths are absolute."""

    data_dir: Path
    sources_dir: Path
    catalog_path: Path
    dashboard_port: int

    @property
    def warehouse_path(self) -> Path:
        """The working DuckDB file: one writer (the refresh) at a time."""
        return self.data_dir / "warehouse.duckdb"

    @property
    def serving_path(self) -> Path:
        """The published, read-only copy the dashboards open."""
        return self.data_dir / "serving.duckdb"

    @property
    def dagster_home(self) -> Path:
        return self.data_dir / "dagster"

    @cached_property
    def pseudonym_key(self) -> bytes:
        """Read on first use, so processes that only read (the dashboards) create nothing."""
        return _pseudonym_key(self.data_dir)


def _pseudonym_key(data_dir: Path) -> bytes:
    """The key of the keyed hash that replaces names, e-mails and ids.

    From `PRODUCTOPS_PSEUDONYM_KEY` when set; otherwise a random key created once and
    kept in the data folder, so pseudonyms stay stable between refreshes without a
    secret ever living in the repository.
    """
    from_env = os.environ.get("PRODUCTOPS_PSEUDONYM_KEY")
    if from_env:
        return from_env.encode()
    key_file = data_dir / ".pseudonym_key"
    if not key_file.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip().encode()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read the environment once."""
    data_dir = Path(os.environ.get("PRODUCTOPS_DATA_DIR", PROJECT_ROOT / "data")).resolve()
    sources_dir = Path(os.environ.get("PRODUCTOPS_SOURCES_DIR", PROJECT_ROOT / "seeds")).resolve()
    catalog_path = Path(
        os.environ.get("PRODUCTOPS_CATALOG", sources_dir / "catalog.yml")
    ).resolve()
    return Settings(
        data_dir=data_dir,
        sources_dir=sources_dir,
        catalog_path=catalog_path,
        dashboard_port=int(os.environ.get("PRODUCTOPS_DASHBOARD_PORT", "8501")),
    )
