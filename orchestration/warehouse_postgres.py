"""The working warehouse on PostgreSQL: connecting, and landing Arrow rows as `raw.<table>`.

The same contract as orchestration/warehouse.py (DuckDB): `land()` merges by natural key
in one transaction, adds `_loaded_at` and `_batch_id`, and refuses rows that break the
raw table's contract. Rows travel by COPY (Arrow written as CSV in memory), never as
row-by-row INSERTs, so landing a million-row changelog is one round trip of bulk data.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import psycopg
import pyarrow as pa
import pyarrow.csv as pa_csv
from psycopg import sql

from connectors.registry import RawTable
from connectors.spilled import RawRows, SpilledTable, null_count
from orchestration.defs.sources.file_manifest import LandedFile, ReadPlan
from orchestration.settings import Settings, get_settings
from orchestration.warehouse import BATCH_ID, LOADED_AT, RAW_SCHEMA, LandingSchemaError, conform

META_SCHEMA = "meta"
LOADS_TABLE = "raw_loads"
# COPY streams the CSV in chunks of this many bytes, so memory stays flat on big tables.
_COPY_CHUNK = 8 * 1024 * 1024
_INCOMING = "_landing_incoming"


def connection_kwargs(settings: Settings) -> dict[str, Any]:
    """psycopg's connection arguments for the settings' PostgreSQL warehouse."""
    kwargs: dict[str, Any] = {
        "host": settings.pg_host,
        "port": settings.pg_port,
        "user": settings.pg_user,
        "dbname": settings.pg_database,
        "application_name": "productops",
    }
    if settings.pg_password is not None:
        kwargs["password"] = settings.pg_password
    return kwargs


@contextmanager
def open_postgres(settings: Settings | None = None) -> Iterator[psycopg.Connection]:
    """A connection to the PostgreSQL warehouse with schema `raw` present; closed on exit."""
    settings = settings or get_settings()
    # Autocommit: every unit of work is an explicit `con.transaction()` block, so none
    # nests by accident inside an implicit transaction left open by a read.
    con = psycopg.connect(**connection_kwargs(settings), autocommit=True)
    try:
        with con.transaction():
            con.execute(
                sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(RAW_SCHEMA))
            )
        yield con
    finally:
        con.close()


def postgres_type(arrow_type: pa.DataType) -> str:
    """The PostgreSQL column type of an Arrow type of the raw contract (connectors/schemas.py),
    spelt as PostgreSQL's `format_type` spells it."""
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "text"
    if pa.types.is_int64(arrow_type):
        return "bigint"
    if pa.types.is_integer(arrow_type):
        return "integer"
    if pa.types.is_floating(arrow_type):
        return "double precision"
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    if pa.types.is_date(arrow_type):
        return "date"
    if pa.types.is_timestamp(arrow_type):
        # The raw layer stores naive UTC; a zone-aware column is kept zone-aware.
        return "timestamp with time zone" if arrow_type.tz else "timestamp without time zone"
    if pa.types.is_decimal(arrow_type):
        return f"numeric({arrow_type.precision},{arrow_type.scale})"
    raise TypeError(f"no PostgreSQL type for Arrow type {arrow_type}")


def _table_types(con: psycopg.Connection, schema: str, table: str) -> dict[str, str]:
    """Each column's type as `format_type` spells it; empty when the table does not exist."""
    rows = con.execute(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute AS a "
        "WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped "
        "ORDER BY a.attnum",
        [sql.Identifier(schema, table).as_string(con)],
    ).fetchall()
    return {name: data_type for name, data_type in rows}


def _ensure_table(con: psycopg.Connection, raw_table: RawTable) -> None:
    """Create `raw.<name>` from the contract, or add columns the contract gained since."""
    target = sql.Identifier(RAW_SCHEMA, raw_table.name)
    landed = _table_types(con, RAW_SCHEMA, raw_table.name)
    wanted = {f.name: postgres_type(f.type) for f in raw_table.schema}
    if not landed:
        columns = [
            sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(pg_type))
            for name, pg_type in [*wanted.items(), (LOADED_AT, "timestamp"), (BATCH_ID, "text")]
        ]
        con.execute(sql.SQL("CREATE TABLE {} ({})").format(target, sql.SQL(", ").join(columns)))
        return
    for column, pg_type in wanted.items():
        if column not in landed:
            con.execute(
                sql.SQL("ALTER TABLE {} ADD COLUMN {} {}").format(
                    target, sql.Identifier(column), sql.SQL(pg_type)
                )
            )
        elif landed[column] != pg_type:
            raise LandingSchemaError(
                raw_table.name,
                column,
                f"already landed as {landed[column]} but the contract now says {pg_type}; "
                f"drop raw.{raw_table.name} so the next refresh reloads it",
            )


def copy_rows(con: psycopg.Connection, table: sql.Composable, rows: RawRows) -> None:
    """Bulk-load `rows` into `table` (same column names) with `COPY ... FROM STDIN`.

    Arrow's CSV writer quotes every string, so an empty string stays an empty string and
    only a missing value (an unquoted empty field) becomes NULL. A spilled table is
    copied a batch at a time, so its rows are never all in memory.
    """
    if rows.num_rows == 0:
        return
    if isinstance(rows, SpilledTable):
        for batch in rows.to_batches():
            copy_rows(con, table, pa.Table.from_batches([batch]))
        return
    buffer = io.BytesIO()
    pa_csv.write_csv(rows, buffer, pa_csv.WriteOptions(include_header=False))
    columns = sql.SQL(", ").join(sql.Identifier(name) for name in rows.column_names)
    statement = sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT csv)").format(table, columns)
    view = buffer.getbuffer()
    with con.cursor() as cursor, cursor.copy(statement) as copy:
        for start in range(0, len(view), _COPY_CHUNK):
            copy.write(view[start : start + _COPY_CHUNK])


def _same_key(raw_table: RawTable, rows: RawRows, incoming: str, landed: str) -> sql.Composable:
    # `=` on a column the new rows never leave null is exactly IS NOT DISTINCT FROM there,
    # and PostgreSQL can hash-join it; IS NOT DISTINCT FROM would force a nested loop.
    parts = []
    for key in raw_table.key:
        operator = "=" if null_count(rows, key) == 0 else "IS NOT DISTINCT FROM"
        parts.append(
            sql.SQL("{} {} {}").format(
                sql.Identifier(incoming, key), sql.SQL(operator), sql.Identifier(landed, key)
            )
        )
    return sql.SQL(" AND ").join(parts)


def land(
    con: psycopg.Connection,
    raw_table: RawTable,
    rows: RawRows,
    batch_id: str,
    loaded_at: datetime,
) -> int:
    """Merge `rows` into `raw.<table>` by natural key and return how many rows landed.

    In one transaction the rows are COPYed into a temporary table, rows of `raw.<table>`
    sharing a key with them are deleted, and the new rows inserted with `_loaded_at`
    (naive UTC) and `_batch_id`: a re-run replaces instead of duplicating, and a failure
    leaves the table as it was.
    """
    rows = conform(raw_table, rows)
    if loaded_at.tzinfo is not None:
        loaded_at = loaded_at.astimezone(UTC).replace(tzinfo=None)
    target = sql.Identifier(RAW_SCHEMA, raw_table.name)
    incoming = sql.Identifier(_INCOMING)
    columns = sql.SQL(", ").join(sql.Identifier(name) for name in raw_table.schema.names)
    with con.transaction():
        _ensure_table(con, raw_table)
        con.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(incoming))
        con.execute(
            sql.SQL(
                "CREATE TEMPORARY TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA"
            ).format(incoming, columns, target)
        )
        copy_rows(con, incoming, rows)
        # Temporary tables are never auto-analysed: without statistics the planner may
        # pick a nested loop for the delete below.
        con.execute(sql.SQL("ANALYZE {}").format(incoming))
        con.execute(
            sql.SQL("DELETE FROM {} AS t USING {} AS i WHERE {}").format(
                target, incoming, _same_key(raw_table, rows, "i", "t")
            )
        )
        con.execute(
            sql.SQL("INSERT INTO {} ({}, {}, {}) SELECT {}, %s, %s FROM {}").format(
                target,
                columns,
                sql.Identifier(LOADED_AT),
                sql.Identifier(BATCH_ID),
                columns,
                incoming,
            ),
            [loaded_at, batch_id],
        )
    return rows.num_rows


def delete_gone_rows(con: psycopg.Connection, raw_table: RawTable, keys: pa.Table) -> int:
    """Delete rows of `raw.<table>` matching `keys` (a subset of its columns); return how many.

    The PostgreSQL twin of orchestration/defs/sources/upstream_deletes.py.
    """
    unknown = [c for c in keys.column_names if c not in raw_table.schema.names]
    if unknown:
        raise ValueError(f"raw.{raw_table.name} has no columns {unknown} to delete by")
    if keys.num_rows == 0 or not _table_types(con, RAW_SCHEMA, raw_table.name):
        return 0
    keys = keys.select(keys.column_names)
    gone = sql.Identifier("_gone_keys")
    key_table = RawTable(name=raw_table.name, schema=keys.schema, key=tuple(keys.column_names))
    with con.transaction():
        con.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(gone))
        con.execute(
            sql.SQL(
                "CREATE TEMPORARY TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA"
            ).format(
                gone,
                sql.SQL(", ").join(sql.Identifier(c) for c in keys.column_names),
                sql.Identifier(RAW_SCHEMA, raw_table.name),
            )
        )
        copy_rows(con, gone, keys)
        cursor = con.execute(
            sql.SQL("DELETE FROM {} AS t USING {} AS g WHERE {}").format(
                sql.Identifier(RAW_SCHEMA, raw_table.name),
                gone,
                _same_key(key_table, keys, "g", "t"),
            )
        )
        return cursor.rowcount


def ensure_loads_table(con: psycopg.Connection) -> None:
    """Create `meta.raw_loads` (as orchestration/defs/sources/load_history.py) when missing."""
    con.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(META_SCHEMA)))
    con.execute(
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (source text, table_name text, batch_id text, "
            "loaded_at timestamp, exported_at timestamp, row_count bigint)"
        ).format(sql.Identifier(META_SCHEMA, LOADS_TABLE))
    )


def latest_loads(con: psycopg.Connection) -> list[tuple]:
    """Each raw table's latest load: (source, table_name, batch_id, loaded_at, exported_at,
    row_count), sorted by source and table; none before the first load."""
    if LOADS_TABLE not in table_names(con, META_SCHEMA):
        return []
    return con.execute(
        sql.SQL(
            "SELECT DISTINCT ON (source, table_name) source, table_name, batch_id, "
            "loaded_at, exported_at, row_count FROM {} "
            "ORDER BY source, table_name, loaded_at DESC"
        ).format(sql.Identifier(META_SCHEMA, LOADS_TABLE))
    ).fetchall()


def previous_counts(con: psycopg.Connection) -> dict[str, int]:
    """Each raw table's row count in its latest recorded load that read every file.

    Loads that read only new or changed files (file_manifest.py) are no yardstick.
    """
    if LOADS_TABLE not in table_names(con, META_SCHEMA):
        return {}
    ensure_manifest_tables(con)
    rows = con.execute(
        sql.SQL(
            "SELECT DISTINCT ON (table_name) table_name, row_count FROM {} AS l "
            "WHERE batch_id NOT IN (SELECT r.batch_id FROM {} AS r "
            "WHERE r.files_skipped > 0 AND r.source = l.source) "
            "ORDER BY table_name, loaded_at DESC"
        ).format(sql.Identifier(META_SCHEMA, LOADS_TABLE), sql.Identifier(META_SCHEMA, _READS))
    ).fetchall()
    return {name: int(count) for name, count in rows}


def previous_exported(con: psycopg.Connection) -> dict[str, datetime | None]:
    """Each raw table's `exported_at` in its latest recorded load."""
    return {row[1]: row[4] for row in latest_loads(con)}


def rows_from_files(con: psycopg.Connection, raw_table: RawTable, sources: list[str]) -> int:
    """How many rows of `raw.<table>` came from the files `sources` (0 if no table)."""
    if not sources or not _table_types(con, RAW_SCHEMA, raw_table.name):
        return 0
    return con.execute(
        sql.SQL("SELECT count(*) FROM {} WHERE _source = ANY(%s)").format(
            sql.Identifier(RAW_SCHEMA, raw_table.name)
        ),
        [sources],
    ).fetchone()[0]


_FILES = "landed_files"
_READS = "landing_reads"


def ensure_manifest_tables(con: psycopg.Connection) -> None:
    """Create `meta.landed_files` and `meta.landing_reads` (file_manifest.py) when missing."""
    con.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(META_SCHEMA)))
    con.execute(
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (source text, path text, size bigint, "
            "mtime_ns bigint, sha256 text, read_context text, batch_id text)"
        ).format(sql.Identifier(META_SCHEMA, _FILES))
    )
    con.execute(
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (source text, batch_id text, files_read bigint, "
            "files_skipped bigint, reason text)"
        ).format(sql.Identifier(META_SCHEMA, _READS))
    )


def landed_files(con: psycopg.Connection, source: str) -> tuple[str | None, dict[str, LandedFile]]:
    """The read context and files of `source`'s last file landing (None, {} if none)."""
    with con.transaction():
        ensure_manifest_tables(con)
    rows = con.execute(
        sql.SQL(
            "SELECT path, size, mtime_ns, sha256, read_context FROM {} WHERE source = %s"
        ).format(sql.Identifier(META_SCHEMA, _FILES)),
        [source],
    ).fetchall()
    contexts = {row[4] for row in rows}
    context = contexts.pop() if len(contexts) == 1 else None
    return context, {row[0]: LandedFile(row[0], row[1], row[2], row[3]) for row in rows}


def record_files(con: psycopg.Connection, plan: ReadPlan, batch_id: str) -> None:
    """Replace `plan.source`'s manifest with the files this landing covered."""
    files = sql.Identifier(META_SCHEMA, _FILES)
    with con.transaction():
        ensure_manifest_tables(con)
        con.execute(sql.SQL("DELETE FROM {} WHERE source = %s").format(files), [plan.source])
        with con.cursor() as cursor:
            cursor.executemany(
                sql.SQL("INSERT INTO {} VALUES (%s, %s, %s, %s, %s, %s, %s)").format(files),
                [
                    [plan.source, f.path, f.size, f.mtime_ns, f.sha256, plan.context, batch_id]
                    for f in plan.files.values()
                ],
            )
        con.execute(
            sql.SQL("INSERT INTO {} VALUES (%s, %s, %s, %s, %s)").format(
                sql.Identifier(META_SCHEMA, _READS)
            ),
            [plan.source, batch_id, plan.files_read(), plan.files_skipped(), plan.reason],
        )


def record_loads(con: psycopg.Connection, records: Iterable[Any]) -> None:
    """Append `LoadRecord`s (load_history.py) to `meta.raw_loads`."""
    with con.transaction():
        ensure_loads_table(con)
        with con.cursor() as cursor:
            cursor.executemany(
                sql.SQL("INSERT INTO {} VALUES (%s, %s, %s, %s, %s, %s)").format(
                    sql.Identifier(META_SCHEMA, LOADS_TABLE)
                ),
                [
                    [r.source, r.table_name, r.batch_id, r.loaded_at, r.exported_at, r.row_count]
                    for r in records
                ],
            )


def table_names(con: psycopg.Connection, schema: str) -> list[str]:
    """The tables and views of `schema`, sorted."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
        "ORDER BY table_name",
        [schema],
    ).fetchall()
    return [name for (name,) in rows]
