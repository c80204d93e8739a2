"""The serving copy: every mart of the working warehouse, published atomically.

Dashboards open only `serving.duckdb`, read-only. Publishing builds a complete new file
beside it and renames it over the old one, so a reader sees either the last refresh or
this one, never half of it, and a refresh that fails leaves the last good copy serving.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from orchestration.defs.sources.freshness import MAX_AGE_HOURS
from orchestration.warehouse import quote, utc_now

MARTS_SCHEMA = "marts"
META_SCHEMA = "meta"
_TMP_INFIX = ".tmp-"


class PublishError(RuntimeError):
    """The serving copy could not be built; the previous one is still being served."""


@dataclass(frozen=True)
class Publication:
    """What a publish wrote: the file, its batch and the rows of each mart."""

    serving_path: Path
    batch_id: str
    published_at: datetime
    row_counts: dict[str, int]


def _tmp_path(serving_path: Path, batch_id: str) -> Path:
    # The batch id becomes part of a file name: keep it to characters every OS accepts.
    safe_batch = re.sub(r"[^A-Za-z0-9_-]", "_", batch_id)
    return serving_path.with_name(f"{serving_path.name}{_TMP_INFIX}{safe_batch}")


def _remove(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)


def remove_stale_tmp_files(serving_path: Path) -> list[Path]:
    """Delete half-built copies that crashed publishes left beside the serving file."""
    stale = sorted(serving_path.parent.glob(f"{serving_path.name}{_TMP_INFIX}*"))
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def _fsync(path: Path) -> None:
    # Flush before and after the rename so a power cut cannot leave a renamed but empty file.
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _mart_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_catalog = 'working' AND table_schema = ? ORDER BY table_name",
        [MARTS_SCHEMA],
    ).fetchall()
    return [name for (name,) in rows]


def _copy_latest_loads(con: duckdb.DuckDBPyConnection) -> None:
    """`meta.raw_loads`: each raw table's latest load and its source's freshness limit.

    The data-health page ages each export against its limit when it is viewed.
    """
    present = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_catalog = 'working' "
        "AND table_schema = ? AND table_name = 'raw_loads'",
        [META_SCHEMA],
    ).fetchone()[0]
    latest = []
    if present:
        latest = con.execute(
            f"SELECT source, table_name, arg_max(batch_id, loaded_at), max(loaded_at), "
            f"arg_max(exported_at, loaded_at), arg_max(row_count, loaded_at) "
            f"FROM working.{META_SCHEMA}.raw_loads GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()
    write_raw_loads(con, latest)


def write_raw_loads(con: duckdb.DuckDBPyConnection, latest: Sequence[Sequence]) -> None:
    """Create the serving copy's `meta.raw_loads` from each raw table's latest load.

    `latest` holds (source, table_name, batch_id, loaded_at, exported_at, row_count) rows;
    each gets its source's freshness limit.
    """
    con.execute(
        f"CREATE TABLE {META_SCHEMA}.raw_loads (source VARCHAR, table_name VARCHAR, "
        "batch_id VARCHAR, loaded_at TIMESTAMP, exported_at TIMESTAMP, row_count BIGINT, "
        "max_age_hours DOUBLE)"
    )
    if latest:
        con.executemany(
            f"INSERT INTO {META_SCHEMA}.raw_loads VALUES (?, ?, ?, ?, ?, ?, ?)",
            [[*row, MAX_AGE_HOURS.get(row[0])] for row in latest],
        )


def write_refresh_record(
    con: duckdb.DuckDBPyConnection,
    batch_id: str,
    published_at: datetime,
    sources_dir_name: str,
    row_counts: dict[str, int],
) -> None:
    """Create the serving copy's `meta.refresh`: the batch, when, from where, rows per mart."""
    con.execute(
        f"CREATE TABLE {META_SCHEMA}.refresh (batch_id VARCHAR, published_at TIMESTAMP, "
        "sources_dir VARCHAR, mart VARCHAR, row_count BIGINT)"
    )
    con.executemany(
        f"INSERT INTO {META_SCHEMA}.refresh VALUES (?, ?, ?, ?, ?)",
        [[batch_id, published_at, sources_dir_name, m, n] for m, n in row_counts.items()],
    )


def _build_copy(
    tmp: Path,
    warehouse_path: Path,
    batch_id: str,
    sources_dir_name: str,
    published_at: datetime,
) -> dict[str, int]:
    con = duckdb.connect(str(tmp))
    try:
        warehouse_literal = "'" + str(warehouse_path).replace("'", "''") + "'"
        con.execute(f"ATTACH {warehouse_literal} AS working (READ_ONLY)")
        marts = _mart_names(con)
        if not marts:
            raise PublishError(
                f"{warehouse_path} has no tables in schema {MARTS_SCHEMA!r}: nothing to publish"
            )
        con.execute(f"CREATE SCHEMA {MARTS_SCHEMA}")
        row_counts: dict[str, int] = {}
        for name in marts:
            table = f"{MARTS_SCHEMA}.{quote(name)}"
            # Views are materialised too: the serving file must not depend on the working one.
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM working.{table}")
            row_counts[name] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        con.execute(f"CREATE SCHEMA {META_SCHEMA}")
        _copy_latest_loads(con)
        con.execute("DETACH working")
        write_refresh_record(con, batch_id, published_at, sources_dir_name, row_counts)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return row_counts


def publish_serving_copy(
    warehouse_path: Path,
    serving_path: Path,
    batch_id: str,
    sources_dir_name: str,
    published_at: datetime | None = None,
) -> Publication:
    """Copy every table of the warehouse's `marts` schema to `serving_path`, atomically.

    The copy is built as `<serving>.tmp-<batch>`, checkpointed, closed and flushed, then
    `os.replace`d onto `serving_path`. `meta.refresh` records the batch, the UTC publish
    time, the sources folder's name (never its full path) and each mart's row count.
    On any failure the temporary file is removed and `serving_path` is untouched.
    """
    published_at = published_at or utc_now()
    row_counts = replace_atomically(
        serving_path,
        batch_id,
        lambda tmp: _build_copy(tmp, warehouse_path, batch_id, sources_dir_name, published_at),
    )
    return Publication(serving_path, batch_id, published_at, row_counts)


def replace_atomically(
    serving_path: Path, batch_id: str, build: Callable[[Path], dict[str, int]]
) -> dict[str, int]:
    """Have `build` write a complete copy to a temporary file, then rename it onto
    `serving_path`; return what `build` returned (rows per mart).

    On any failure the temporary file is removed and `serving_path` is untouched.
    """
    serving_path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_tmp_files(serving_path)
    tmp = _tmp_path(serving_path, batch_id)
    try:
        row_counts = build(tmp)
        _fsync(tmp)
        os.replace(tmp, serving_path)
        _fsync(serving_path.parent)
    except BaseException:
        _remove(tmp)
        raise
    return row_counts
