"""What every successful landing recorded: `meta.raw_loads` in the working warehouse.

One row per raw table per load: its source, batch, when it landed, how old its export
was (`exported_at`) and how many rows it brought. The quality gate compares a new
export's rows with the previous load's; publish copies each table's latest load into
the serving copy for the freshness table on the data-health page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from connectors.spilled import RawRows, distinct_sources
from orchestration.defs.sources.file_manifest import ensure_manifest_tables

META_SCHEMA = "meta"
LOADS_TABLE = f"{META_SCHEMA}.raw_loads"


@dataclass(frozen=True)
class LoadRecord:
    """One raw table's load in one batch."""

    source: str
    table_name: str
    batch_id: str
    loaded_at: datetime
    exported_at: datetime | None
    row_count: int


def ensure_loads_table(con: duckdb.DuckDBPyConnection) -> None:
    """Create `meta.raw_loads` when it is missing."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {META_SCHEMA}")
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {LOADS_TABLE} (source VARCHAR, table_name VARCHAR, "
        "batch_id VARCHAR, loaded_at TIMESTAMP, exported_at TIMESTAMP, row_count BIGINT)"
    )


# Loads that read only some files (orchestration/defs/sources/file_manifest.py) landed
# only those files' rows: no yardstick for a whole export's size.
PARTIAL_BATCHES = (
    "SELECT batch_id FROM meta.landing_reads WHERE files_skipped > 0 AND source = l.source"
)


def previous_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Each raw table's row count in its latest recorded load that read every file."""
    ensure_loads_table(con)
    ensure_manifest_tables(con)
    rows = con.execute(
        f"SELECT table_name, arg_max(row_count, loaded_at) FROM {LOADS_TABLE} AS l "
        f"WHERE batch_id NOT IN ({PARTIAL_BATCHES}) GROUP BY 1"
    ).fetchall()
    return {name: int(count) for name, count in rows}


def previous_exported(con: duckdb.DuckDBPyConnection) -> dict[str, datetime | None]:
    """Each raw table's `exported_at` in its latest recorded load."""
    ensure_loads_table(con)
    rows = con.execute(
        f"SELECT table_name, arg_max(exported_at, loaded_at) FROM {LOADS_TABLE} GROUP BY 1"
    ).fetchall()
    return dict(rows)


def record_loads(con: duckdb.DuckDBPyConnection, records: Iterable[LoadRecord]) -> None:
    """Append `records` to `meta.raw_loads`."""
    ensure_loads_table(con)
    con.executemany(
        f"INSERT INTO {LOADS_TABLE} VALUES (?, ?, ?, ?, ?, ?)",
        [
            [r.source, r.table_name, r.batch_id, r.loaded_at, r.exported_at, r.row_count]
            for r in records
        ],
    )


def exported_at(
    rows: RawRows, sources_dir: Path, catalog_path: Path | None, loaded_at: datetime
) -> datetime | None:
    """When the rows' export was made: the newest modification time of their files.

    `_source` names each row's file relative to the sources folder (the catalog may be
    elsewhere). Rows fetched from an API (a URL in `_source`) are as new as the load
    itself. None when there are no rows. Naive UTC, like every raw timestamp.
    """
    if rows.num_rows == 0 or "_source" not in rows.schema.names:
        return None
    newest: float | None = None
    for value in distinct_sources(rows):
        candidates = [sources_dir / value]
        if catalog_path is not None and value == catalog_path.name:
            candidates.append(catalog_path)
        for path in candidates:
            if path.is_file():
                mtime = path.stat().st_mtime
                newest = mtime if newest is None else max(newest, mtime)
                break
    if newest is None:
        return loaded_at
    return datetime.fromtimestamp(newest, UTC).replace(tzinfo=None)
