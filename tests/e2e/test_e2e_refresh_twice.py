"""Running the refresh again gives the same warehouse: nothing is duplicated."""

from __future__ import annotations

from demo_build import run_refresh_cli
from warehouse_reads import query, tables


def _snapshot(path) -> dict[str, list]:
    snapshot = {}
    for schema in ("raw", "marts"):
        for table in tables(path, schema):
            columns = [
                name
                for (name,) in query(
                    path,
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, table],
                )
                if name not in ("_loaded_at", "_batch_id")  # lineage of the load itself
            ]
            select = ", ".join(f'"{c}"' for c in columns)
            snapshot[f"{schema}.{table}"] = query(
                path, f"select {select} from {schema}.{table} order by all"
            )
    return snapshot


def test_a_second_refresh_changes_no_row(demo_warehouse):
    before = _snapshot(demo_warehouse.warehouse_path)
    result = run_refresh_cli(demo_warehouse.env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    after = _snapshot(demo_warehouse.warehouse_path)
    assert before.keys() == after.keys()
    changed = [name for name in before if before[name] != after[name]]
    assert not changed, f"tables that changed on a second refresh: {changed}"
    assert sum(len(rows) for rows in after.values()) > 0
