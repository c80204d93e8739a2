"""Since when each model's rows have passed its heavy dbt tests, so a refresh re-checks only newer rows.

The `keys_and_values`, `columns_not_null` and `parent_exists` tests that name a
`new_rows_column` check, when given a cutoff for their model, only the rows loaded at or
after it (dbt_project/macros/new_rows_filter.sql and
dbt_project/tests/generic/parent_exists.sql say why that is enough). This module keeps
those cutoffs beside the partial-parse file (`<data_dir>/state/dbt/tested_cutoffs.json`):

- before `dbt build`, the refresh takes the time (`started_at`) and passes the stored
  cutoffs to dbt as `PRODUCTOPS_DBT_TESTED_CUTOFFS` (JSON: model name -> timestamp), but
  only when the dbt project's files, the dbt version and the target are those the
  cutoffs were recorded under, and the build is not a full refresh;
- after a successful build, every model whose scoped tests all ran and passed gets
  `started_at` as its cutoff: its rows loaded before then were all checked, either by this
  build or (older than its previous cutoff) by an earlier one. A model whose scoped tests
  did not all pass (or did not run, e.g. under `--select`) keeps its old cutoff;
- a failed build records nothing, so rows that failed a test are checked again.

A changed test rule, macro or model (the fingerprint) or a full refresh starts afresh:
every row is checked and only that build's passing models get a cutoff.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from orchestration.dbt_target import MEMORY_LIMIT_ENV_VAR

CUTOFFS_ENV_VAR = "PRODUCTOPS_DBT_TESTED_CUTOFFS"
STATE_FILE_NAME = "tested_cutoffs.json"
# The test argument naming the load-time column a scoped test filters on.
NEW_ROWS_ARGUMENT = "new_rows_column"
_SECRET_PREFIX = "DBT_ENV_SECRET_"


@dataclass(frozen=True)
class StoredCutoffs:
    """The cutoffs of one data folder and what they were recorded under."""

    fingerprint: str
    target: str
    models: dict[str, str] = field(default_factory=dict)


def cutoff_state_path(data_dir: Path) -> Path:
    """Where the tested cutoffs of the refreshes writing into `data_dir` are kept."""
    return data_dir / "state" / "dbt" / STATE_FILE_NAME


def cutoff_text(moment: datetime) -> str:
    """A naive UTC time as the timestamp literal the test macro casts ('YYYY-MM-DD HH:MM:SS.ffffff')."""
    return moment.isoformat(sep=" ", timespec="microseconds")


def project_fingerprint(files: Iterable[Path], project_dir: Path) -> str:
    """SHA-256 over the dbt version and every file's path and content, independent of order.

    A change to any model, macro, test or setting, or another dbt, yields another value,
    so rules that changed are applied to every row again.
    """
    digest = hashlib.sha256()
    digest.update(f"dbt-core {metadata.version('dbt-core')}\n".encode())
    for path in sorted(Path(p) for p in files):
        digest.update(str(path.relative_to(project_dir)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def target_identity(dbt_environment: Mapping[str, str]) -> str:
    """Which warehouse dbt builds in, from the environment it is given: secrets and settings
    that change how, not where (DuckDB's memory limit), left out."""
    shown = {
        k: v
        for k, v in dbt_environment.items()
        if not k.startswith(_SECRET_PREFIX) and k != MEMORY_LIMIT_ENV_VAR
    }
    return json.dumps(shown, sort_keys=True)


def load_tested_cutoffs(path: Path) -> StoredCutoffs | None:
    """The stored cutoffs, or None when there are none or the file cannot be read as such."""
    try:
        stored = json.loads(path.read_text())
        models = stored["models"]
        if not isinstance(models, dict) or not all(isinstance(v, str) for v in models.values()):
            return None
        return StoredCutoffs(str(stored["fingerprint"]), str(stored["target"]), dict(models))
    except (OSError, ValueError, KeyError, TypeError):
        # a missing or damaged file only costs checking every row once
        return None


def usable_cutoffs(
    stored: StoredCutoffs | None, fingerprint: str, target: str, *, full_refresh: bool
) -> dict[str, str]:
    """The model -> cutoff map a build may use: empty on a full refresh or another project or target."""
    if stored is None or full_refresh:
        return {}
    if stored.fingerprint != fingerprint or stored.target != target:
        return {}
    return dict(stored.models)


def cutoffs_environment(cutoffs: Mapping[str, str]) -> dict[str, str]:
    """`PRODUCTOPS_DBT_TESTED_CUTOFFS` for dbt; always set, so an empty map checks every row."""
    return {CUTOFFS_ENV_VAR: json.dumps(dict(sorted(cutoffs.items())))}


def fully_tested_models(manifest: Mapping[str, Any], run_results: Mapping[str, Any]) -> set[str]:
    """Models (by relation name) all of whose scoped tests ran and passed in this build.

    `manifest` and `run_results` are the build's artifacts. A warning counts as not
    passed: the offending rows stay in scope until they are fixed.
    """
    statuses = {r.get("unique_id"): r.get("status") for r in run_results.get("results", [])}
    nodes = manifest.get("nodes", {})
    passed_by_model: dict[str, bool] = {}
    for unique_id, node in nodes.items():
        if node.get("resource_type") != "test":
            continue
        kwargs = (node.get("test_metadata") or {}).get("kwargs") or {}
        model_id = node.get("attached_node")
        if not kwargs.get(NEW_ROWS_ARGUMENT) or model_id not in nodes:
            continue
        model = nodes[model_id]
        name = model.get("alias") or model.get("name")
        passed_by_model[name] = (
            passed_by_model.get(name, True) and statuses.get(unique_id) == "pass"
        )
    return {name for name, passed in passed_by_model.items() if passed}


def record_successful_build(
    path: Path,
    stored: StoredCutoffs | None,
    *,
    fingerprint: str,
    target: str,
    full_refresh: bool,
    started_at: datetime,
    tested_models: Iterable[str],
) -> StoredCutoffs:
    """Advance the cutoffs of `tested_models` to `started_at` after a successful build; write them.

    Other models keep the cutoffs stored under the same fingerprint and target (none after
    a full refresh or a change). Written to a temporary file and renamed, so a reader
    sees the old file or the new one.
    """
    kept = usable_cutoffs(stored, fingerprint, target, full_refresh=full_refresh)
    cutoff = cutoff_text(started_at)
    models = {**kept, **{name: cutoff for name in tested_models}}
    recorded = StoredCutoffs(fingerprint, target, dict(sorted(models.items())))
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(handle, "w") as out:
            json.dump(
                {"fingerprint": fingerprint, "target": target, "models": recorded.models},
                out,
                indent=2,
            )
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return recorded
