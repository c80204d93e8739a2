"""The dbt project, the dbt CLI that runs it, and the manifest its assets are built from.

dbt runs as a subprocess (the venv's own `dbt`), pointed at the working warehouse through
`PRODUCTOPS_WAREHOUSE`, which dbt_project/profiles.yml reads.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dagster_dbt import DbtCliResource, DbtProject

from orchestration.dbt_target import dbt_target_env
from orchestration.defs.dbt.cli_resource import ProductopsDbtCli
from orchestration.settings import DBT_PROJECT_DIR, get_settings

WAREHOUSE_ENV_VAR = "PRODUCTOPS_WAREHOUSE"
# What `dbt parse` reads: a change to any of these makes the stored manifest stale.
_PARSED_DIRS = ("models", "macros", "snapshots", "tests", "seeds", "analyses")
_PARSED_FILES = ("dbt_project.yml", "packages.yml", "dependencies.yml")
_FAILED_STATUSES = {"error", "fail", "runtime error"}

DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


class DbtParseFailed(RuntimeError):
    """`dbt parse` failed, so there is no manifest to build the dbt assets from."""


def dbt_executable() -> str:
    """The `dbt` installed beside this Python, so the refresh never runs another version."""
    beside = Path(sys.executable).parent / "dbt"
    if beside.exists():
        return str(beside)
    return shutil.which("dbt") or "dbt"


def dbt_env(warehouse_path: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment a dbt subprocess needs on top of ours: which engine, and where.

    dbt_project/profiles.yml reads these; the engine and server come from the settings
    (`dbt_target_env`), so dbt never builds on another engine than the landing did.
    `extra`: more variables for this build, such as the tested cutoffs the project's test
    macros read (tested_cutoff.py).
    """
    return {
        WAREHOUSE_ENV_VAR: str(warehouse_path),
        **dbt_target_env(get_settings()),
        **(extra or {}),
    }


def dbt_build_args(
    *, full_refresh: bool = False, settings_full_refresh: bool = False, unit_tests: bool = True
) -> list[str]:
    """The `dbt build` arguments; dagster-dbt adds the selection of the run's assets.

    `full_refresh` (the run's config) or `settings_full_refresh` (`PRODUCTOPS_FULL_REFRESH`,
    `productops refresh --full-refresh`) rebuilds incremental models and snapshots from
    scratch; otherwise the incremental allocation models recompute only what changed.
    `unit_tests=False` leaves out the dbt unit tests: they check SQL logic on mocked
    rows, not the data, so a refresh skips them (about a tenth of its dbt time) and
    `make test` runs them (tests/dbt/test_dbt_unit_tests_pass.py).
    """
    args = ["build"]
    if full_refresh or settings_full_refresh:
        args.append("--full-refresh")
    if not unit_tests:
        args.extend(["--exclude-resource-type", "unit_test"])
    return args


def dbt_parse_args(project_dir: Path) -> list[str]:
    """The `dbt parse` arguments that write `<project_dir>/target/manifest.json`."""
    return [
        "parse",
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--no-use-colors",
    ]


def dbt_deps_args(project_dir: Path) -> list[str]:
    """The `dbt deps` arguments installing the packages the project declares."""
    return ["deps", "--project-dir", str(project_dir), "--profiles-dir", str(project_dir)]


def failed_nodes(run_results: Mapping[str, Any]) -> list[str]:
    """One line per model, snapshot or test that failed in a dbt `run_results.json`."""
    lines = []
    for result in run_results.get("results", []):
        if result.get("status") in _FAILED_STATUSES:
            message = " ".join(str(result.get("message") or "").split())
            lines.append(f"{result.get('unique_id')}: {result.get('status')}: {message}")
    return lines


def dbt_resource(project: DbtProject = DBT_PROJECT) -> DbtCliResource:
    """The `dbt` resource the dbt assets of `project` run with (cli_resource.py: lean start-up)."""
    return ProductopsDbtCli(project_dir=project, dbt_executable=dbt_executable())


@contextmanager
def dbt_subprocess_environment(
    warehouse_path: Path, extra: Mapping[str, str] | None = None
) -> Iterator[None]:
    """Expose `dbt_env(warehouse_path, extra)` to subprocesses started in this block, then restore ours.

    dagster-dbt starts dbt with a copy of this process's environment and offers no other
    way to add to it; steps run one at a time in the `warehouse` pool.
    """
    extra = dbt_env(warehouse_path, extra)
    saved = {name: os.environ.get(name) for name in extra}
    os.environ.update(extra)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def dbt_project_files(project_dir: Path = DBT_PROJECT_DIR) -> list[Path]:
    """The files `dbt parse` reads in `project_dir`: models, macros, tests, ... and settings."""
    paths = [project_dir / name for name in _PARSED_FILES]
    for folder in _PARSED_DIRS:
        paths.extend(p for p in (project_dir / folder).rglob("*") if p.is_file())
    return [p for p in paths if p.is_file()]


def _newest_input_mtime(project_dir: Path) -> float:
    return max((p.stat().st_mtime for p in dbt_project_files(project_dir)), default=0.0)


def manifest_is_stale(project_dir: Path = DBT_PROJECT_DIR) -> bool:
    """Whether `target/manifest.json` is missing or older than a file dbt parses."""
    manifest = project_dir / "target" / "manifest.json"
    if not manifest.exists():
        return True
    return manifest.stat().st_mtime < _newest_input_mtime(project_dir)


def _run_dbt(args: list[str], project_dir: Path) -> None:
    completed = subprocess.run(
        [dbt_executable(), *args],
        cwd=project_dir,
        env={**os.environ, **dbt_env(get_settings().warehouse_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        tail = "\n".join((completed.stdout + completed.stderr).strip().splitlines()[-20:])
        raise DbtParseFailed(f"`dbt {args[0]}` failed in {project_dir}:\n{tail}")


def ensure_manifest(project_dir: Path = DBT_PROJECT_DIR) -> Path:
    """Run `dbt parse` (and `dbt deps` if packages are missing) when the manifest is stale.

    The dbt assets are built from the manifest when the definitions load, so this runs
    first; a lock keeps two processes loading the definitions from parsing at once.
    """
    manifest = project_dir / "target" / "manifest.json"
    manifest.parent.mkdir(parents=True, exist_ok=True)
    with open(manifest.parent / ".parse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if manifest_is_stale(project_dir):
            declares_packages = any((project_dir / f).exists() for f in _PARSED_FILES[1:])
            if declares_packages and not (project_dir / "dbt_packages").exists():
                _run_dbt(dbt_deps_args(project_dir), project_dir)
            _run_dbt(dbt_parse_args(project_dir), project_dir)
            # A parse that changes nothing may leave the old file's time: mark it current.
            manifest.touch()
    return manifest
