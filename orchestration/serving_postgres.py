"""Publishing from a PostgreSQL warehouse: the same DuckDB serving copy the dashboards read.

Each table of schema `marts` is streamed out with `COPY ... TO STDOUT` (CSV), parsed by
Arrow with column types taken from PostgreSQL's catalog, and written into a new serving
file, which replaces the old one atomically (orchestration/serving.py). Dashboards and
the board pack therefore never know which engine built the marts.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import duckdb
import psycopg
import pyarrow as pa
import pyarrow.csv as pa_csv
from psycopg import sql

from orchestration.serving import (
    MARTS_SCHEMA,
    META_SCHEMA,
    Publication,
    PublishError,
    replace_atomically,
    write_raw_loads,
    write_refresh_record,
)
from orchestration.settings import Settings
from orchestration.warehouse import quote, utc_now
from orchestration.warehouse_postgres import latest_loads, open_postgres, table_names

# PostgreSQL's information_schema.columns.data_type → the Arrow type DuckDB stores it as.
_ARROW_TYPES: dict[str, pa.DataType] = {
    "text": pa.string(),
    "character varying": pa.string(),
    "character": pa.string(),
    "bigint": pa.int64(),
    "integer": pa.int32(),
    "smallint": pa.int16(),
    "double precision": pa.float64(),
    "real": pa.float32(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "timestamp without time zone": pa.timestamp("us"),
}


def arrow_type(data_type: str, precision: int | None, scale: int | None) -> pa.DataType:
    """The Arrow type of a PostgreSQL column, given information_schema's description.

    A `numeric(p, s)` keeps its precision; an unconstrained `numeric` (PostgreSQL's result
    of arithmetic on numerics) becomes a double, as DuckDB computes such figures.
    """
    if data_type == "numeric":
        if precision is not None and scale is not None and precision <= 38:
            return pa.decimal128(precision, scale)
        return pa.float64()
    if data_type in _ARROW_TYPES:
        return _ARROW_TYPES[data_type]
    raise PublishError(f"a mart column of PostgreSQL type {data_type!r} has no serving type")


def _schema(con: psycopg.Connection, schema: str, table: str) -> pa.Schema:
    rows = con.execute(
        "SELECT column_name, data_type, numeric_precision, numeric_scale "
        "FROM information_schema.columns WHERE table_schema = %s AND table_name = %s "
        "ORDER BY ordinal_position",
        [schema, table],
    ).fetchall()
    return pa.schema([pa.field(name, arrow_type(t, p, s)) for name, t, p, s in rows])


def read_table(con: psycopg.Connection, schema: str, table: str) -> pa.Table:
    """Every row of `schema.table` as an Arrow table, in PostgreSQL's column order."""
    arrow_schema = _schema(con, schema, table)
    # PostgreSQL 12+ writes floats in their shortest exact form, so they round-trip.
    columns = sql.SQL(", ").join(sql.Identifier(f.name) for f in arrow_schema)
    statement = sql.SQL("COPY (SELECT {} FROM {}) TO STDOUT WITH (FORMAT csv)").format(
        columns, sql.Identifier(schema, table)
    )
    buffer = io.BytesIO()
    with con.cursor() as cursor, cursor.copy(statement) as copy:
        for chunk in copy:
            buffer.write(chunk)
    if buffer.tell() == 0:
        return arrow_schema.empty_table()
    buffer.seek(0)
    return pa_csv.read_csv(
        buffer,
        read_options=pa_csv.ReadOptions(column_names=arrow_schema.names),
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(
            column_types=arrow_schema,
            # PostgreSQL writes NULL as an unquoted empty field and '' as a quoted one.
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
            true_values=["t"],
            false_values=["f"],
        ),
    ).select(arrow_schema.names)


def _build_copy(
    tmp: Path,
    settings: Settings,
    batch_id: str,
    sources_dir_name: str,
    published_at: datetime,
) -> dict[str, int]:
    row_counts: dict[str, int] = {}
    with open_postgres(settings) as pg:
        marts = table_names(pg, MARTS_SCHEMA)
        if not marts:
            raise PublishError(
                f"PostgreSQL database {settings.pg_database!r} on {settings.pg_host}:"
                f"{settings.pg_port} has no tables in schema {MARTS_SCHEMA!r}: nothing to publish"
            )
        con = duckdb.connect(str(tmp))
        try:
            con.execute(f"CREATE SCHEMA {MARTS_SCHEMA}")
            # One transaction: every mart is read from the same snapshot of the warehouse.
            with pg.transaction():
                pg.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                for name in marts:
                    rows = read_table(pg, MARTS_SCHEMA, name)
                    con.register("_mart", rows)
                    con.execute(f"CREATE TABLE {MARTS_SCHEMA}.{quote(name)} AS SELECT * FROM _mart")
                    con.unregister("_mart")
                    row_counts[name] = rows.num_rows
                latest = latest_loads(pg)
            con.execute(f"CREATE SCHEMA {META_SCHEMA}")
            write_raw_loads(con, latest)
            write_refresh_record(con, batch_id, published_at, sources_dir_name, row_counts)
            con.execute("CHECKPOINT")
        finally:
            con.close()
    return row_counts


def publish_serving_copy_from_postgres(
    settings: Settings,
    serving_path: Path,
    batch_id: str,
    sources_dir_name: str,
    published_at: datetime | None = None,
) -> Publication:
    """Copy every table of the PostgreSQL warehouse's `marts` schema to `serving_path`.

    The same file, tables and `meta` records as `publish_serving_copy` builds from DuckDB,
    written to a temporary file and renamed into place; on failure nothing is replaced.
    """
    published_at = published_at or utc_now()
    row_counts = replace_atomically(
        serving_path,
        batch_id,
        lambda tmp: _build_copy(tmp, settings, batch_id, sources_dir_name, published_at),
    )
    return Publication(serving_path, batch_id, published_at, row_counts)
