"""What a built warehouse holds: rows per raw table (by source) and per mart, and the
DuckDB memory limit the refresh ran under."""

from __future__ import annotations

from pathlib import Path

import duckdb


def _table_rows(path: Path, schema: str) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as con:
        names = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = ? order by table_name",
                [schema],
            ).fetchall()
        ]
        return {
            name: int(con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0])
            for name in names
        }


def rows_per_source(warehouse: Path) -> dict[str, dict[str, int]]:
    """Rows of every `raw.<source>__<entity>` table, grouped by source.

    Rejected rows (`__rejects` tables) are left out: they are not what landed.
    """
    grouped: dict[str, dict[str, int]] = {}
    for table, rows in _table_rows(warehouse, "raw").items():
        if table.endswith("__rejects"):
            continue
        source = table.split("__", 1)[0]
        grouped.setdefault(source, {})[table] = rows
    return grouped


def rows_per_mart(serving: Path) -> dict[str, int]:
    """Rows of every table in schema `marts` of the serving copy."""
    return _table_rows(serving, "marts")


def duckdb_memory_limit(configured: str) -> str:
    """The `memory_limit` the refresh's DuckDB connections ran with, in DuckDB's words.

    `configured` is the setting (`PRODUCTOPS_DUCKDB_MEMORY_LIMIT`, default 4GB); a share
    of RAM is also shown as the size DuckDB made of it on this machine.
    """
    with duckdb.connect() as con:
        con.execute(f"set memory_limit = '{configured}'")
        (limit,) = con.execute("select current_setting('memory_limit')").fetchone()
    return f"{configured} of RAM = {limit}" if configured.strip().endswith("%") else limit
