"""Removing raw rows whose records the source system deleted.

Landing merges by natural key, so a record that disappears upstream would stay in raw
forever. Readers that can tell (the Jira API reader's reconcile) report the keys of
such records through `ReadContext.report_deleted`; landing removes them here.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from connectors.registry import RawTable
from orchestration.warehouse import RAW_SCHEMA, quote


def delete_gone_rows(con: duckdb.DuckDBPyConnection, raw_table: RawTable, keys: pa.Table) -> int:
    """Delete rows of `raw.<table>` matching `keys` (a subset of its columns); return how many.

    `keys` may name fewer columns than the natural key: the Jira reader reports deleted
    issues by `issue_id` for the changelog too, whose key also has history and item.
    """
    unknown = [c for c in keys.column_names if c not in raw_table.schema.names]
    if unknown or keys.num_rows == 0:
        if unknown:
            raise ValueError(f"raw.{raw_table.name} has no columns {unknown} to delete by")
        return 0
    target = f"{RAW_SCHEMA}.{quote(raw_table.name)}"
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [RAW_SCHEMA, raw_table.name],
    ).fetchall()[0][0]
    if not exists:
        return 0
    view = f"_gone_{raw_table.name}"
    match = " AND ".join(
        f"g.{quote(c)} IS NOT DISTINCT FROM t.{quote(c)}" for c in keys.column_names
    )
    con.register(view, keys)
    try:
        before = con.execute(f"SELECT count(*) FROM {target}").fetchall()[0][0]
        con.execute(
            f"DELETE FROM {target} AS t WHERE EXISTS (SELECT 1 FROM {quote(view)} AS g "
            f"WHERE {match})"
        )
        after = con.execute(f"SELECT count(*) FROM {target}").fetchall()[0][0]
    finally:
        con.unregister(view)
    return before - after
