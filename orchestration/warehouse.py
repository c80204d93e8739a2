"""The working warehouse: opening it and landing a source's Arrow rows as `raw.<table>`.

DuckDB allows one read-write process, so callers open it, land, and close it again
before the next writer (the dbt subprocess, the publish step) needs the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from connectors.registry import RawTable
from connectors.spilled import RawRows, SpilledTable, scannable
from orchestration.settings import get_settings

RAW_SCHEMA = "raw"
# The Dagster concurrency pool of every asset that writes the warehouse: DuckDB has one
# writer, so the pool's limit is 1 (orchestration/dagster_home.py configures it).
WAREHOUSE_POOL = "warehouse"
LOADED_AT = "_loaded_at"
BATCH_ID = "_batch_id"


class LandingSchemaError(ValueError):
    """Rows whose columns do not match their raw table's contract (connectors/README.md)."""

    def __init__(self, table: str, column: str, message: str) -> None:
        self.table = table
        self.column = column
        super().__init__(f"raw.{table}, column {column!r}: {message}")


def quote(identifier: str) -> str:
    """An SQL identifier, double-quoted so any name is safe."""
    return '"' + identifier.replace('"', '""') + '"'


def connect(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """Open the working warehouse read-write (default: the settings' path) with schema `raw`."""
    path = path or get_settings().warehouse_path
    path.parent.mkdir(parents=True, exist_ok=True)
    # The same cap as dbt's connection (PRODUCTOPS_DUCKDB_MEMORY_LIMIT): the landing's
    # merges may spill to disk instead of growing past it.
    con = duckdb.connect(str(path), config={"memory_limit": get_settings().duckdb_memory_limit})
    # A long merge (a spilled table's) would print a progress bar into the logs.
    con.execute("SET enable_progress_bar = false")
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
    return con


@contextmanager
def open_warehouse(path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """`connect()` for a `with` block: the file's write lock is released on exit."""
    con = connect(path)
    try:
        yield con
    finally:
        con.close()


def conform(raw_table: RawTable, rows: RawRows) -> RawRows:
    """The rows in the contract's column order, or a `LandingSchemaError` naming the column.

    Column order may differ and an all-null column may arrive untyped; any other
    difference (a missing or unexpected column, another type) is a connector bug that
    must not reach SQL, where it would surface far from its cause. A spilled table
    (connectors/spilled.py) is written in its contract's schema and must have it exactly.
    """
    expected = raw_table.schema
    if isinstance(rows, SpilledTable):
        _check_spilled_schema(raw_table, rows)
        return rows
    for name in rows.schema.names:
        if expected.get_field_index(name) == -1:
            raise LandingSchemaError(
                raw_table.name, name, f"unexpected column; the contract has {expected.names}"
            )
    columns = []
    for field in expected:
        if rows.schema.get_field_index(field.name) == -1:
            raise LandingSchemaError(
                raw_table.name, field.name, f"missing column of type {field.type}"
            )
        column = rows.column(field.name)
        if not column.type.equals(field.type):
            if not pa.types.is_null(column.type):
                raise LandingSchemaError(
                    raw_table.name, field.name, f"expected type {field.type}, got {column.type}"
                )
            column = column.cast(field.type)
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=expected)


def _check_spilled_schema(raw_table: RawTable, rows: SpilledTable) -> None:
    expected = raw_table.schema
    if rows.schema.equals(expected):
        return
    for index, field in enumerate(expected):
        have = rows.schema.field(index) if index < len(rows.schema) else None
        if have is None or have.name != field.name or not have.type.equals(field.type):
            found = "nothing" if have is None else f"{have.name} {have.type}"
            raise LandingSchemaError(
                raw_table.name, field.name, f"spilled as {found}, expected {field.type}"
            )
    raise LandingSchemaError(
        raw_table.name, rows.schema.names[len(expected)], "unexpected spilled column"
    )


def _duckdb_types(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    return {row[0]: row[1] for row in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()}


def _ensure_table(con: duckdb.DuckDBPyConnection, raw_table: RawTable, incoming: str) -> None:
    """Create `raw.<name>` from the contract, or add columns the contract gained since."""
    target = f"{RAW_SCHEMA}.{quote(raw_table.name)}"
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [RAW_SCHEMA, raw_table.name],
    ).fetchone()[0]
    if not exists:
        con.execute(
            f"CREATE TABLE {target} AS SELECT *, NULL::TIMESTAMP AS {LOADED_AT}, "
            f"NULL::VARCHAR AS {BATCH_ID} FROM {incoming} LIMIT 0"
        )
        return
    landed = _duckdb_types(con, target)
    for column, wanted in _duckdb_types(con, incoming).items():
        if column not in landed:
            con.execute(f"ALTER TABLE {target} ADD COLUMN {quote(column)} {wanted}")
        elif landed[column] != wanted:
            raise LandingSchemaError(
                raw_table.name,
                column,
                f"already landed as {landed[column]} but the contract now says {wanted}; "
                f"drop raw.{raw_table.name} so the next refresh reloads it",
            )


def land(
    con: duckdb.DuckDBPyConnection,
    raw_table: RawTable,
    rows: RawRows,
    batch_id: str,
    loaded_at: datetime,
    in_transaction: bool = False,
) -> int:
    """Merge `rows` into `raw.<table>` by natural key and return how many rows landed.

    In one transaction, rows whose key appears among the new rows are deleted and the
    new rows inserted with `_loaded_at` (UTC) and `_batch_id`, so re-running a refresh
    replaces instead of duplicating, and a failure leaves the table as it was.
    `in_transaction`: the caller holds a transaction open (a whole source lands as one).
    """
    rows = conform(raw_table, rows)
    if loaded_at.tzinfo is not None:
        loaded_at = loaded_at.astimezone(UTC).replace(tzinfo=None)
    view = f"_landing_{raw_table.name}"
    incoming = quote(view)
    target = f"{RAW_SCHEMA}.{quote(raw_table.name)}"
    columns = ", ".join(quote(name) for name in raw_table.schema.names)
    same_key = " AND ".join(
        f"i.{quote(k)} IS NOT DISTINCT FROM t.{quote(k)}" for k in raw_table.key
    )
    # A spilled table is scanned from its files, a batch at a time, by both statements.
    con.register(view, scannable(rows))
    try:
        if not in_transaction:
            con.begin()
        try:
            _ensure_table(con, raw_table, incoming)
            if rows.num_rows:
                _merge(con, target, incoming, columns, same_key, loaded_at, batch_id)
            if not in_transaction:
                con.commit()
        except BaseException:
            if not in_transaction:
                con.rollback()
            raise
    finally:
        con.unregister(view)
    return rows.num_rows


def _merge(
    con: duckdb.DuckDBPyConnection,
    target: str,
    incoming: str,
    columns: str,
    same_key: str,
    loaded_at: datetime,
    batch_id: str,
) -> None:
    con.execute(
        f"DELETE FROM {target} AS t WHERE EXISTS (SELECT 1 FROM {incoming} AS i WHERE {same_key})"
    )
    con.execute(
        f"INSERT INTO {target} ({columns}, {LOADED_AT}, {BATCH_ID}) "
        f"SELECT {columns}, ?::TIMESTAMP, ? FROM {incoming}",
        [loaded_at, batch_id],
    )


def rows_from_files(con: duckdb.DuckDBPyConnection, raw_table: RawTable, sources: list[str]) -> int:
    """How many rows of `raw.<table>` came from the files `sources` (0 if no table)."""
    if not sources:
        return 0
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [RAW_SCHEMA, raw_table.name],
    ).fetchall()[0][0]
    if not exists:
        return 0
    names = pa.table({"_source": pa.array(sources, pa.string())})
    con.register("_landing_sources", names)
    try:
        return con.execute(
            f"SELECT count(*) FROM {RAW_SCHEMA}.{quote(raw_table.name)} "
            "WHERE _source IN (SELECT _source FROM _landing_sources)"
        ).fetchall()[0][0]
    finally:
        con.unregister("_landing_sources")


def utc_now() -> datetime:
    """Now, as the naive UTC timestamp the raw layer stores."""
    return datetime.now(UTC).replace(tzinfo=None)
