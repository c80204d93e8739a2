"""One dbt parse per test session instead of one per dbt run (a helper module, not tests).

Every test's dbt run has its own target folder, so dbt used to parse the whole project
(~8 CPU-seconds) on every run. dbt's own partial parsing can skip that, but it rejects a
`partial_parse.msgpack` written for another profile, and the warehouse path is part of
the profile. So a run started here goes into the warehouse's folder and names the
warehouse by its file name alone: every `warehouse.duckdb` has the same profile, and the
saved parse of the last run with that profile is copied into the next run's target.

dbt still checks the file itself (project files, profile, variables, environment
variables it read), so a file that does not fit only costs the full parse it replaced;
the key below also keeps runs with different PRODUCTOPS_*/DBT_* values or `--vars`
apart. The project does not change during a test session.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

PARTIAL_PARSE = "partial_parse.msgpack"
_cache_dir: Path | None = None


def warehouse_cwd_and_path(warehouse: Path) -> tuple[Path, str]:
    """(the folder dbt runs in, the warehouse path as the profile sees it)."""
    warehouse = Path(warehouse).resolve()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    return warehouse.parent, warehouse.name


def _cache() -> Path:
    global _cache_dir
    if _cache_dir is None:
        _cache_dir = Path(tempfile.mkdtemp(prefix="productops-dbt-parse-"))
        atexit.register(shutil.rmtree, _cache_dir, True)
    return _cache_dir


def _key(warehouse_name: str, env: dict[str, str], command: list[str]) -> str:
    relevant = sorted(
        (name, value)
        for name, value in env.items()
        if name.startswith(("PRODUCTOPS_", "DBT_")) and name != "PRODUCTOPS_WAREHOUSE"
    )
    variables = [command[i + 1] for i, arg in enumerate(command[:-1]) if arg == "--vars"]
    text = repr((warehouse_name, relevant, variables))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def seed(target_dir: Path, warehouse_name: str, env: dict[str, str], command: list[str]) -> None:
    """Copy the saved parse for this profile into `target_dir`, if there is one."""
    saved = _cache() / f"{_key(warehouse_name, env, command)}.msgpack"
    if saved.is_file() and not (target_dir / PARTIAL_PARSE).exists():
        target_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(saved, target_dir / PARTIAL_PARSE)


def keep(
    target_dir: Path, warehouse_name: str, env: dict[str, str], command: list[str], code: int
) -> None:
    """Save the run's parse for the next run with this profile (dbt ran: exit 0 or 1)."""
    written = target_dir / PARTIAL_PARSE
    if code in (0, 1) and written.is_file():
        saved = _cache() / f"{_key(warehouse_name, env, command)}.msgpack"
        partial = saved.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(written, partial)
        partial.replace(saved)
