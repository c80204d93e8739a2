"""The one place that reads the environment.

Everything else asks `get_settings()`. With no environment at all the defaults run the
demo company: sources from `seeds/`, state under `data/`.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
# Named, not read, by the Dagster instance config: the URL (a secret) never lands on disk.
DAGSTER_POSTGRES_URL_VAR = "PRODUCTOPS_DAGSTER_POSTGRES_URL"
FULL_REFRESH_VAR = "PRODUCTOPS_FULL_REFRESH"
DUCKDB_MEMORY_LIMIT_VAR = "PRODUCTOPS_DUCKDB_MEMORY_LIMIT"
# Measured with the benchmark at scale m: capping every DuckDB connection at 4GB took
# the refresh's peak from 7.2 to 5.1 GB for 2% more CPU, and let xl (150M raw rows)
# finish in 6.7 GB. Below 5 GB of RAM, DuckDB's own default (80%) is the smaller.
_DEFAULT_CAP = "4GB"
_DEFAULT_CAP_BYTES = 4 * 1000**3


def _physical_memory() -> int | None:
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, OSError, ValueError):
        return None


def default_duckdb_memory_limit(total_bytes: int | None = None) -> str:
    """`4GB`, or DuckDB's own `80%` of RAM on a machine where that is less.

    `total_bytes`: the machine's memory (default: this machine's, when it can be read).
    """
    total = _physical_memory() if total_bytes is None else total_bytes
    if total is not None and total * 0.8 < _DEFAULT_CAP_BYTES:
        return "80%"
    return _DEFAULT_CAP


DEFAULT_DUCKDB_MEMORY_LIMIT = default_duckdb_memory_limit()


@dataclass(frozen=True)
class Settings:
    """Typed settings; paths are absolute."""

    data_dir: Path
    sources_dir: Path
    catalog_path: Path
    dashboard_port: int
    # IANA zone the schedules run in (`PRODUCTOPS_TIMEZONE`).
    timezone: str
    # Where new exports are dropped for the drop-folder sensor (`PRODUCTOPS_DROP_DIR`).
    drop_dir: Path
    # dagster-postgres URL for the Dagster instance; None keeps sqlite under dagster_home.
    dagster_postgres_url: str | None
    # Jira's API (`JIRA_BASE_URL`); None reads Jira from the sources folder's files.
    jira_base_url: str | None = None
    # Cloud: `JIRA_EMAIL` + `JIRA_API_TOKEN`; Data Center: `JIRA_PAT`. Kept out of repr.
    jira_email: str | None = None
    jira_api_token: str | None = field(default=None, repr=False)
    jira_pat: str | None = field(default=None, repr=False)
    # `JIRA_JQL`: which issues to read; None means the catalog's Jira projects.
    jira_jql: str | None = None
    # `JIRA_RECONCILE_DAYS`: how often a run lists every issue to find deleted ones.
    jira_reconcile_days: float = 7.0
    # Aha!'s API (`AHA_DOMAIN`: `acme` for acme.aha.io, or a URL); None reads roadmap/aha/.
    aha_domain: str | None = None
    aha_api_token: str | None = field(default=None, repr=False)
    # `AHA_PRODUCTS`: comma-separated product prefixes to read; empty reads the account.
    aha_products: tuple[str, ...] = ()
    # `PRODUCTBOARD_TOKEN`: also read Productboard's API. Kept out of repr.
    productboard_token: str | None = field(default=None, repr=False)
    # `PRODUCTOPS_TARGET`: the warehouse engine, `duckdb` (embedded, the default) or
    # `postgres` (the server below). The serving copy is DuckDB either way.
    target: str = "duckdb"
    # `PRODUCTOPS_PG_HOST`, `_PORT`, `_USER`, `_PASSWORD`, `_DATABASE`: the PostgreSQL
    # warehouse when `target` is `postgres`. The password is kept out of repr.
    pg_host: str = "127.0.0.1"
    pg_port: int = 5432
    pg_user: str = "productops"
    pg_password: str | None = field(default=None, repr=False)
    pg_database: str = "productops"
    # Amplitude's Export API (`AMPLITUDE_API_KEY` + `AMPLITUDE_SECRET_KEY`, the secret
    # kept out of repr); None reads analytics/amplitude/ files. `AMPLITUDE_START`: the
    # first hour (YYYYMMDDTHH) to export on an empty state; `AMPLITUDE_BASE_URL`: the
    # server (EU residency: https://analytics.eu.amplitude.com).
    amplitude_api_key: str | None = None
    amplitude_secret_key: str | None = field(default=None, repr=False)
    amplitude_start: str | None = None
    amplitude_base_url: str = "https://amplitude.com"
    # BambooHR's API (`BAMBOOHR_SUBDOMAIN` + `BAMBOOHR_API_KEY`, kept out of repr); None
    # reads hr/ files. `BAMBOOHR_REPORT_ID`: a saved report instead of a custom one.
    bamboohr_subdomain: str | None = None
    bamboohr_api_key: str | None = field(default=None, repr=False)
    bamboohr_report_id: str | None = None
    # `PRODUCTOPS_FULL_REFRESH=1` (or `productops refresh --full-refresh`): re-read every
    # source file and rebuild incremental dbt models from scratch, e.g. after a new
    # pseudonym key, a catalog change or a reader upgrade.
    full_refresh: bool = False
    # `PRODUCTOPS_DASHBOARD_PASSWORD`: one shared password that signs anyone in with full
    # access (the simplest sign-in). Kept out of repr.
    dashboard_password: str | None = field(default=None, repr=False)
    # `PRODUCTOPS_DASHBOARD_ACCESS_FILE`: a TOML file outside the repository mapping each
    # login (OIDC e-mail or user name) to a role, portfolios and a password hash.
    dashboard_access_file: Path | None = None
    # `PRODUCTOPS_DUCKDB_MEMORY_LIMIT`: how much memory each DuckDB connection of the
    # refresh (landing, dbt) may use before it spills to disk, as DuckDB spells it
    # (`6GB`, `50%`). The default is `4GB` (80% of RAM on a smaller machine).
    duckdb_memory_limit: str = DEFAULT_DUCKDB_MEMORY_LIMIT

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


def _timezone(name: str) -> str:
    """`name` if it is an IANA time zone, else a ValueError naming the setting."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"PRODUCTOPS_TIMEZONE={name!r} is not an IANA time zone (e.g. 'Europe/Berlin')"
        ) from None
    return name


TARGETS = ("duckdb", "postgres")


def _target(name: str) -> str:
    """`name` if it is a warehouse engine productops builds on, else a ValueError."""
    if name not in TARGETS:
        raise ValueError(f"PRODUCTOPS_TARGET={name!r} is not one of {', '.join(TARGETS)}")
    return name


def _memory_limit(value: str) -> str:
    """A DuckDB `memory_limit`: a number with a unit (KB..TB, KiB..TiB) or a % of RAM."""
    cleaned = value.strip()
    if not re.fullmatch(r"\d+(\.\d+)?\s*(%|[KMGT]i?B)", cleaned, re.IGNORECASE):
        raise ValueError(
            f"{DUCKDB_MEMORY_LIMIT_VAR}={value!r} is not a DuckDB memory limit "
            "(a size such as 6GB or 512MiB, or a share of RAM such as 50%)"
        )
    return cleaned


def _flag(value: str | None) -> bool:
    """An on/off environment variable: `1`, `true`, `yes` or `on` (any case) is on."""
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read the environment once."""
    data_dir = Path(os.environ.get("PRODUCTOPS_DATA_DIR", PROJECT_ROOT / "data")).resolve()
    sources_dir = Path(os.environ.get("PRODUCTOPS_SOURCES_DIR", PROJECT_ROOT / "seeds")).resolve()
    catalog_path = Path(os.environ.get("PRODUCTOPS_CATALOG", sources_dir / "catalog.yml")).resolve()
    return Settings(
        data_dir=data_dir,
        sources_dir=sources_dir,
        catalog_path=catalog_path,
        dashboard_port=int(os.environ.get("PRODUCTOPS_DASHBOARD_PORT", "8501")),
        timezone=_timezone(os.environ.get("PRODUCTOPS_TIMEZONE", "UTC")),
        drop_dir=Path(os.environ.get("PRODUCTOPS_DROP_DIR", data_dir / "drop")).resolve(),
        dagster_postgres_url=os.environ.get(DAGSTER_POSTGRES_URL_VAR) or None,
        jira_base_url=os.environ.get("JIRA_BASE_URL") or None,
        jira_email=os.environ.get("JIRA_EMAIL") or None,
        jira_api_token=os.environ.get("JIRA_API_TOKEN") or None,
        jira_pat=os.environ.get("JIRA_PAT") or None,
        jira_jql=os.environ.get("JIRA_JQL") or None,
        jira_reconcile_days=float(os.environ.get("JIRA_RECONCILE_DAYS", "7")),
        aha_domain=os.environ.get("AHA_DOMAIN") or None,
        aha_api_token=os.environ.get("AHA_API_TOKEN") or None,
        aha_products=tuple(
            p.strip() for p in os.environ.get("AHA_PRODUCTS", "").split(",") if p.strip()
        ),
        productboard_token=os.environ.get("PRODUCTBOARD_TOKEN") or None,
        target=_target(os.environ.get("PRODUCTOPS_TARGET") or "duckdb"),
        duckdb_memory_limit=_memory_limit(
            os.environ.get(DUCKDB_MEMORY_LIMIT_VAR) or DEFAULT_DUCKDB_MEMORY_LIMIT
        ),
        pg_host=os.environ.get("PRODUCTOPS_PG_HOST") or "127.0.0.1",
        pg_port=int(os.environ.get("PRODUCTOPS_PG_PORT") or "5432"),
        pg_user=os.environ.get("PRODUCTOPS_PG_USER") or "productops",
        pg_password=os.environ.get("PRODUCTOPS_PG_PASSWORD") or None,
        pg_database=os.environ.get("PRODUCTOPS_PG_DATABASE") or "productops",
        amplitude_api_key=os.environ.get("AMPLITUDE_API_KEY") or None,
        amplitude_secret_key=os.environ.get("AMPLITUDE_SECRET_KEY") or None,
        amplitude_start=os.environ.get("AMPLITUDE_START") or None,
        amplitude_base_url=os.environ.get("AMPLITUDE_BASE_URL") or "https://amplitude.com",
        bamboohr_subdomain=os.environ.get("BAMBOOHR_SUBDOMAIN") or None,
        bamboohr_api_key=os.environ.get("BAMBOOHR_API_KEY") or None,
        bamboohr_report_id=os.environ.get("BAMBOOHR_REPORT_ID") or None,
        full_refresh=_flag(os.environ.get(FULL_REFRESH_VAR)),
        dashboard_password=os.environ.get("PRODUCTOPS_DASHBOARD_PASSWORD") or None,
        dashboard_access_file=(
            Path(os.environ["PRODUCTOPS_DASHBOARD_ACCESS_FILE"]).resolve()
            if os.environ.get("PRODUCTOPS_DASHBOARD_ACCESS_FILE")
            else None
        ),
    )
