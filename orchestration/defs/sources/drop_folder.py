"""The drop folder: exports put there refresh only their source and what depends on it.

The drop folder (`PRODUCTOPS_DROP_DIR`, default `<data>/drop`) is laid out like the
sources folder: `hr/headcount.csv`, `finance/gl.csv`, `roadmap/aha/features_page_0001.json.gz`.
The first folder names the source (`jira`, `hr`, `finance`, `analytics`, `roadmap`,
`okrs`); anything else, hidden files and unfinished `*.part` / `*.tmp` files are ignored.

The `drop_folder` sensor only looks: when a source's dropped files are new or changed
it requests a run of that source's landing assets and everything downstream of them.
The landing step then *moves* the files into the sources folder (replacing the file at
the same path, whose previous version is kept under `<data>/drop_archive/<time>/`) and
reads them from there, so the sources folder always holds the exports the warehouse was
last built from, and a nightly run picks up whatever the sensor has not. A dropped
export that fails the quality gate is not landed; the previous one is in the archive.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from dagster import (
    AssetSelection,
    DefaultSensorStatus,
    RunRequest,
    SensorDefinition,
    SensorEvaluationContext,
    SensorResult,
    sensor,
)

from orchestration.settings import PROJECT_ROOT, get_settings

DROP_SOURCES = ("jira", "hr", "finance", "analytics", "roadmap", "okrs")
SENSOR_NAME = "drop_folder"
SOURCE_TAG = "productops/dropped_source"
_UNFINISHED_SUFFIXES = (".part", ".tmp", ".crdownload")
ARCHIVE_DIR = "drop_archive"


class DropIntakeRefused(RuntimeError):
    """Dropped files cannot be moved into the sources folder (it is the committed demo)."""


def _is_ready(path: Path, drop_dir: Path) -> bool:
    relative = path.relative_to(drop_dir)
    if any(part.startswith(".") for part in relative.parts):
        return False
    return path.is_file() and not path.name.endswith(_UNFINISHED_SUFFIXES)


def dropped_files(drop_dir: Path) -> dict[str, list[Path]]:
    """The ready files in the drop folder, by source (only sources with files)."""
    found: dict[str, list[Path]] = {}
    for source in DROP_SOURCES:
        folder = drop_dir / source
        if folder.is_dir():
            files = sorted(p for p in folder.rglob("*") if _is_ready(p, drop_dir))
            if files:
                found[source] = files
    return found


def fingerprint(files: list[Path], drop_dir: Path) -> str:
    """A digest of the files' paths, sizes and modification times: it changes with them."""
    digest = hashlib.sha256()
    for path in files:
        stat = path.stat()
        digest.update(
            f"{path.relative_to(drop_dir)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode()
        )
    return digest.hexdigest()[:16]


def _move_into(src: Path, dst: Path) -> None:
    # Copy beside the target then rename: a reader never sees half a file, and the drop
    # folder may be on another file system. copy2 keeps the export's own time.
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f".{dst.name}.intake")
    shutil.copy2(src, tmp)
    os.replace(tmp, dst)
    src.unlink()


def intake(source: str, drop_dir: Path, sources_dir: Path, data_dir: Path) -> list[Path]:
    """Move `source`'s dropped files into the sources folder; return their new paths.

    A file replaced in the sources folder is first copied to
    `<data_dir>/drop_archive/<UTC time>/<same relative path>`.
    """
    files = dropped_files(drop_dir).get(source, [])
    if not files:
        return []
    if sources_dir.resolve() == (PROJECT_ROOT / "seeds").resolve():
        raise DropIntakeRefused(
            f"exports dropped in {drop_dir / source} would overwrite the committed demo "
            f"company in {sources_dir}; set PRODUCTOPS_SOURCES_DIR to your own exports folder"
        )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    moved = []
    for path in files:
        relative = path.relative_to(drop_dir)
        target = sources_dir / relative
        if target.exists():
            archived = data_dir / ARCHIVE_DIR / stamp / relative
            archived.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(target, archived)
        _move_into(path, target)
        moved.append(target)
    return moved


def _requests(context: SensorEvaluationContext, drop_dir: Path) -> Iterator[tuple[str, str]]:
    seen = json.loads(context.cursor) if context.cursor else {}
    for source, files in dropped_files(drop_dir).items():
        current = fingerprint(files, drop_dir)
        if seen.get(source) != current:
            yield source, current


def build_drop_sensor() -> SensorDefinition:
    """The `drop_folder` sensor over the settings' drop folder."""

    @sensor(
        name=SENSOR_NAME,
        target=AssetSelection.all(),
        minimum_interval_seconds=30,
        default_status=DefaultSensorStatus.RUNNING,
        description=(
            "Refreshes a source and everything downstream of it when its exports are "
            "dropped in the drop folder (PRODUCTOPS_DROP_DIR)."
        ),
    )
    def drop_folder(context: SensorEvaluationContext) -> SensorResult:
        drop_dir = get_settings().drop_dir
        graph = context.repository_def.asset_graph
        run_requests = []
        for source, current in _requests(context, drop_dir):
            selection = AssetSelection.groups(f"raw_{source}").downstream()
            keys = sorted(selection.resolve(graph), key=lambda key: key.to_user_string())
            run_requests.append(
                RunRequest(
                    run_key=f"{source}:{current}",
                    asset_selection=keys,
                    tags={SOURCE_TAG: source},
                )
            )
        # Sources whose files were taken in drop out of the cursor, so dropping the same
        # file again later is seen as new.
        cursor = {
            source: fingerprint(files, drop_dir)
            for source, files in dropped_files(drop_dir).items()
        }
        return SensorResult(run_requests=run_requests, cursor=json.dumps(cursor, sort_keys=True))

    return drop_folder
