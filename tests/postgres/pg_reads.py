"""Read helpers for the PostgreSQL tests: read-only queries on DuckDB files."""

from __future__ import annotations

from pathlib import Path

import duckdb


def query(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Run one query on a DuckDB file opened read-only (as the dashboards do)."""
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def tables(path: Path, schema: str) -> list[str]:
    """The tables of one schema of a DuckDB file, sorted."""
    rows = query(
        path,
        "select table_name from information_schema.tables where table_schema = ? order by 1",
        [schema],
    )
    return [name for (name,) in rows]
