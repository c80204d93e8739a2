"""Incremental file landing: which export files a source already landed, and which are new.

Every landing records, per source, the files it covered in `meta.landed_files` (path
relative to the sources folder, size, mtime_ns and a SHA-256 of the content) in the
same transaction as the rows, plus one `meta.landing_reads` row saying how many files
it read and skipped. The next landing of that source reads only files that are new or
whose content changed; landing merges by natural key, so the raw tables end up as a
landing of everything would leave them.

A landing reads everything when the previous one was made under another *read
context*: a different pseudonym key, catalog content or reader code (`connectors/`), or
when `full_refresh` is set. Sources whose exports are whole snapshots (HR, finance,
OKRs, the catalog) are read whole when any of their files changed and skipped when
none did; sources whose exports accumulate (Jira pages, analytics files, Aha! pages)
read just the new or changed files. Sources read from an API keep their own watermarks
and never use the manifest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa

from connectors.source_files import relative_name

META_SCHEMA = "meta"
FILES_TABLE = f"{META_SCHEMA}.landed_files"
READS_TABLE = f"{META_SCHEMA}.landing_reads"

# Sources whose exports accumulate, and the folders where they do: only new or changed
# files there are read. A change anywhere else (Jira's fields.json, a roadmap CSV
# export) may change how every file reads, so the whole source is read again.
ACCUMULATING: dict[str, tuple[str, ...]] = {
    "jira": ("jira/issues/",),
    "analytics": ("analytics/",),
    "roadmap": ("roadmap/aha/",),
}
# Files being written (drop folder, bench) are not exports yet.
_PARTIAL_SUFFIXES = (".part", ".tmp")
_CHUNK = 1 << 20


class RelativeNames:
    """`relative_name` for many files of one sources folder, resolving each folder once.

    Resolving a path stats every component of it, which for 14,000 Jira pages took
    seconds per landing; a file that is not itself a symlink resolves to its resolved
    folder plus its name, so only the folders need resolving.
    """

    def __init__(self, sources_dir: Path) -> None:
        self._sources_dir = sources_dir
        self._root = sources_dir.resolve()
        # Each folder's resolved path relative to the sources folder ("" for the folder
        # itself), or None for a folder outside it.
        self._folders: dict[Path, str | None] = {}

    def _folder(self, folder: Path) -> str | None:
        if folder not in self._folders:
            try:
                relative = folder.resolve().relative_to(self._root).as_posix()
                self._folders[folder] = "" if relative == "." else relative + "/"
            except ValueError:
                self._folders[folder] = None
        return self._folders[folder]

    def __call__(self, path: Path) -> str:
        """The same name as `relative_name(path, sources_dir)`."""
        if path.name in ("", ".", "..") or not path.is_absolute() or path.is_symlink():
            return relative_name(path, self._sources_dir)
        folder = self._folder(path.parent)
        if folder is None:
            # Outside the sources folder (or the folder itself): the rare, general case.
            return relative_name(path, self._sources_dir)
        return folder + path.name


@dataclass(frozen=True)
class LandedFile:
    """One export file as a landing saw it."""

    path: str
    size: int
    mtime_ns: int
    sha256: str


@dataclass
class ReadPlan:
    """What one landing of a source reads, and the manifest it records afterwards."""

    source: str
    context: str
    files: dict[str, LandedFile]
    # Relative paths to read; None reads every file (a full read).
    changed: frozenset[str] | None
    reason: str
    read: set[str] = field(default_factory=set)

    @property
    def full(self) -> bool:
        """Whether every file is read."""
        return self.changed is None

    @property
    def skips_everything(self) -> bool:
        """Whether nothing changed: a snapshot source is then not read at all."""
        return self.changed is not None and not self.changed

    def wants(self, sources_dir: Path) -> Any:
        """The `ReadContext.file_filter`: True for files to read (and notes them read)."""

        name_of = RelativeNames(sources_dir)

        def file_filter(path: Path) -> bool:
            name = name_of(path)
            if self.changed is not None and name in self.files and name not in self.changed:
                return False
            self.read.add(name)
            return True

        return file_filter

    def files_read(self) -> int:
        """How many files this landing read (all of them on a full read)."""
        if self.changed is None:
            return len(self.files)
        if self.source in ACCUMULATING:
            return len(self.read)
        return len(self.files) if self.changed else 0

    def files_skipped(self) -> int:
        """How many files this landing left unread because they had landed unchanged."""
        return len(self.files) - self.files_read()


def source_files(source: str, sources_dir: Path, catalog_path: Path | None) -> list[Path]:
    """Every export file of `source`: its sub-folder's files, or the catalog file."""
    if source == "catalog":
        path = catalog_path or sources_dir / "catalog.yml"
        return [path] if path.is_file() else []
    folder = sources_dir / source
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and not path.name.endswith(_PARTIAL_SUFFIXES)
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint(
    paths: Iterable[Path], sources_dir: Path, previous: Mapping[str, LandedFile]
) -> dict[str, LandedFile]:
    """Each file's size, mtime and hash; a file whose size and mtime did not move keeps
    its previous hash instead of being read again."""
    files = {}
    name_of = RelativeNames(sources_dir)
    for path in paths:
        name = name_of(path)
        stat = path.stat()
        before = previous.get(name)
        if before is not None and (before.size, before.mtime_ns) == (
            stat.st_size,
            stat.st_mtime_ns,
        ):
            digest = before.sha256
        else:
            digest = _sha256(path)
        files[name] = LandedFile(name, stat.st_size, stat.st_mtime_ns, digest)
    return files


@cache
def reader_version() -> str:
    """A hash of the readers' code: a changed reader may read old files differently."""
    root = Path(__file__).resolve().parents[3] / "connectors"
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def read_context(pseudonym_check: str | None, catalog: Path | None) -> str:
    """The fingerprint a manifest is valid under: pseudonym key, catalog, reader code.

    `pseudonym_check` is a pseudonym of a fixed text, so the key itself is never stored.
    """
    catalog_hash = _sha256(catalog) if catalog is not None and catalog.is_file() else "-"
    parts = (pseudonym_check or "-", catalog_hash, reader_version())
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


def plan_read(
    source: str,
    files: dict[str, LandedFile],
    context: str,
    landed: tuple[str | None, Mapping[str, LandedFile]],
    full_refresh: bool,
) -> ReadPlan:
    """Which files of `source` to read, given what its previous landing recorded."""
    landed_context, landed_files = landed
    if full_refresh:
        return ReadPlan(source, context, files, None, "full refresh requested")
    if landed_context is None:
        return ReadPlan(source, context, files, None, "no previous file landing")
    if landed_context != context:
        return ReadPlan(
            source, context, files, None, "pseudonym key, catalog or reader code changed"
        )
    changed = frozenset(
        name
        for name, landed_file in files.items()
        if landed_files.get(name) is None or landed_files[name].sha256 != landed_file.sha256
    )
    folders = ACCUMULATING.get(source, ())
    outside = sorted(name for name in changed if not name.startswith(folders))
    if outside:
        return ReadPlan(source, context, files, None, f"{outside[0]} changed")
    return ReadPlan(source, context, files, changed, f"{len(changed)} new or changed files")


# --- DuckDB bookkeeping (the PostgreSQL twins live in orchestration/warehouse_postgres.py)


def ensure_manifest_tables(con: Any) -> None:
    """Create `meta.landed_files` and `meta.landing_reads` when missing."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {META_SCHEMA}")
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {FILES_TABLE} (source VARCHAR, path VARCHAR, "
        "size BIGINT, mtime_ns BIGINT, sha256 VARCHAR, read_context VARCHAR, batch_id VARCHAR)"
    )
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {READS_TABLE} (source VARCHAR, batch_id VARCHAR, "
        "files_read BIGINT, files_skipped BIGINT, reason VARCHAR)"
    )


def landed_files(con: Any, source: str) -> tuple[str | None, dict[str, LandedFile]]:
    """The read context and files of `source`'s last file landing (None, {} if none)."""
    ensure_manifest_tables(con)
    rows = con.execute(
        f"SELECT path, size, mtime_ns, sha256, read_context FROM {FILES_TABLE} WHERE source = ?",
        [source],
    ).fetchall()
    contexts = {row[4] for row in rows}
    context = contexts.pop() if len(contexts) == 1 else None
    return context, {row[0]: LandedFile(row[0], row[1], row[2], row[3]) for row in rows}


def record_files(con: Any, plan: ReadPlan, batch_id: str) -> None:
    """Replace `plan.source`'s manifest with the files this landing covered."""
    ensure_manifest_tables(con)
    con.execute(f"DELETE FROM {FILES_TABLE} WHERE source = ?", [plan.source])
    # One set-based insert from Arrow: DuckDB's executemany costs about a millisecond a
    # row, 12 of the 14 CPU seconds of Jira's incremental landing at scale m (14,214 pages).
    files = list(plan.files.values())
    count = len(files)
    manifest = pa.table(
        {
            "source": pa.array([plan.source] * count, pa.string()),
            "path": pa.array([f.path for f in files], pa.string()),
            "size": pa.array([f.size for f in files], pa.int64()),
            "mtime_ns": pa.array([f.mtime_ns for f in files], pa.int64()),
            "sha256": pa.array([f.sha256 for f in files], pa.string()),
            "read_context": pa.array([plan.context] * count, pa.string()),
            "batch_id": pa.array([batch_id] * count, pa.string()),
        }
    )
    con.register("_landed_files_rows", manifest)
    try:
        con.execute(
            f"INSERT INTO {FILES_TABLE} (source, path, size, mtime_ns, sha256, read_context, "
            "batch_id) SELECT source, path, size, mtime_ns, sha256, read_context, batch_id "
            "FROM _landed_files_rows"
        )
    finally:
        con.unregister("_landed_files_rows")
    con.execute(
        f"INSERT INTO {READS_TABLE} VALUES (?, ?, ?, ?, ?)",
        [plan.source, batch_id, plan.files_read(), plan.files_skipped(), plan.reason],
    )
