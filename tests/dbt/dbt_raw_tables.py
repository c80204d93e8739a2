"""The raw schema for the dbt test warehouse, derived from the connectors' table contract.

Columns, types and keys come from `connectors.sources.SOURCES` (the code form of
connectors/README.md), and the tables are created the way orchestration lands them:
DuckDB's types for the Arrow schema, plus `_loaded_at` and `_batch_id`. So the dbt tests
exercise the same raw tables a real refresh produces.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from connectors.registry import RawTable
from connectors.sources import SOURCES

RAW_TABLES: tuple[RawTable, ...] = tuple(table for source in SOURCES for table in source.tables)
RAW_TABLES_BY_NAME: dict[str, RawTable] = {table.name: table for table in RAW_TABLES}


def create_raw_schema(connection: duckdb.DuckDBPyConnection) -> None:
    """Create schema `raw` with every contract table, empty, including landing columns."""
    connection.execute("create schema if not exists raw")
    for table in RAW_TABLES:
        empty = pa.Table.from_batches([], schema=table.schema)
        connection.register("contract_rows", empty)
        try:
            connection.execute(
                f'create or replace table raw."{table.name}" as select *, '
                "null::timestamp as _loaded_at, null::varchar as _batch_id "
                "from contract_rows limit 0"
            )
        finally:
            connection.unregister("contract_rows")


def insert_rows(
    connection: duckdb.DuckDBPyConnection, table_name: str, rows: list[dict[str, object]]
) -> None:
    """Insert rows (dicts of contract columns; missing ones stay null) into raw.<table_name>.

    `_source` defaults to the source's folder, and `_loaded_at` / `_batch_id` are fixed
    values as orchestration would write them. A column outside the contract is an error,
    so the fixture cannot drift from what connectors land.
    """
    contract_names = RAW_TABLES_BY_NAME[table_name].schema.names
    for row in rows:
        unknown = set(row) - set(contract_names)
        if unknown:
            raise KeyError(f"raw.{table_name} has no column(s) {sorted(unknown)}")
    all_names = [*contract_names, "_loaded_at", "_batch_id"]
    placeholders = ", ".join("?" for _ in all_names)
    column_list = ", ".join(f'"{name}"' for name in all_names)
    default_source = f"{table_name.split('__')[0]}/test-fixture"
    for row in rows:
        values = [
            row.get(name, default_source if name == "_source" else None) for name in contract_names
        ] + ["2025-04-01 00:00:00", "test-batch"]
        connection.execute(
            f'insert into raw."{table_name}" ({column_list}) values ({placeholders})', values
        )
