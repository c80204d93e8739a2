"""The demo company built on PostgreSQL publishes the same marts as on DuckDB.

Both builds run the same exports through `productops refresh`; only `PRODUCTOPS_TARGET`
differs. Every mart must have the same columns, the same rows and the same figures:
text, dates and integers exactly, floats to 1e-9 relative (the engines may add a
column's terms in another order). Integer widths may differ (DuckDB sums integers into
HUGEINT, PostgreSQL into BIGINT; a date difference is BIGINT on DuckDB and INTEGER on
PostgreSQL); the kind of every column (integer, float, text, date, ...) may not.
"""

from __future__ import annotations

import math

import pytest
from pg_reads import query, tables

_INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"}


def _kind(duckdb_type: str) -> str:
    return "integer" if duckdb_type in _INTEGER_TYPES else duckdb_type


def _columns(path, mart: str) -> list[tuple[str, str]]:
    return [
        (name, data_type)
        for name, data_type in query(
            path,
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' and table_name = ? order by ordinal_position",
            [mart],
        )
    ]


def _rows(path, mart: str, columns: list[str]) -> list[tuple]:
    listed = ", ".join(f'"{c}"' for c in columns)
    return query(path, f"select {listed} from marts.{mart} order by {listed}")


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


@pytest.fixture(scope="module")
def engines(demo_warehouse, pg_warehouse):
    return demo_warehouse.serving_path, pg_warehouse.serving_path


def test_both_engines_publish_the_same_thirteen_marts(engines):
    duck, pg = engines
    assert tables(pg, "marts") == tables(duck, "marts")
    assert len(tables(duck, "marts")) >= 13


def test_every_mart_has_the_same_columns_of_the_same_kind(engines):
    duck, pg = engines
    for mart in tables(duck, "marts"):
        on_duck = [(n, _kind(t)) for n, t in _columns(duck, mart)]
        on_pg = [(n, _kind(t)) for n, t in _columns(pg, mart)]
        assert on_pg == on_duck, mart


def test_every_mart_has_the_same_row_count_and_none_is_empty(engines):
    duck, pg = engines
    counts = {
        mart: (
            query(duck, f"select count(*) from marts.{mart}")[0][0],
            query(pg, f"select count(*) from marts.{mart}")[0][0],
        )
        for mart in tables(duck, "marts")
    }
    assert {m: c[1] for m, c in counts.items()} == {m: c[0] for m, c in counts.items()}
    assert all(duck_count > 0 for duck_count, _ in counts.values()), counts
    # Hand-checked sizes of the demo company: 8 products + unmapped, 36 months of them.
    assert counts["dim_products"][1] == 9
    assert counts["fct_product_cost_revenue"][1] == 9 * 36


def test_every_mart_holds_the_same_rows_on_both_engines(engines):
    duck, pg = engines
    differences = []
    for mart in tables(duck, "marts"):
        columns = [name for name, _ in _columns(duck, mart)]
        for row_duck, row_pg in zip(
            _rows(duck, mart, columns), _rows(pg, mart, columns), strict=True
        ):
            for column, a, b in zip(columns, row_duck, row_pg, strict=True):
                if not _same(a, b):
                    differences.append(f"{mart}.{column}: duckdb {a!r}, postgres {b!r}")
    assert not differences, f"{len(differences)} cells differ:\n" + "\n".join(differences[:20])


def test_key_figures_per_product_agree_to_the_cent(engines):
    duck, pg = engines
    sql = (
        "select product_id, round(sum(revenue), 2), round(sum(people_cost), 2), "
        "round(sum(other_rnd_cost), 2), round(sum(rnd_fte), 4) "
        "from marts.fct_product_cost_revenue group by 1 order by 1"
    )
    on_duck, on_pg = query(duck, sql), query(pg, sql)
    assert len(on_duck) == 9
    assert on_pg == on_duck
    assert sum(row[1] for row in on_pg) > 0


def test_the_serving_copy_records_where_each_load_came_from(engines):
    duck, pg = engines
    sql = "select source, table_name, row_count from meta.raw_loads order by 1, 2"
    on_pg = query(pg, sql)
    on_duck = query(duck, sql)
    assert [row[:2] for row in on_pg] == [row[:2] for row in on_duck]
    # The shared DuckDB build may have been refreshed again by other tests, and a
    # refresh with no new export files lands 0 rows; a load that read files lands
    # exactly what the PostgreSQL build's one load did.
    pg_rows = {row[:2]: row[2] for row in on_pg}
    for source, table, rows in on_duck:
        assert rows in (0, pg_rows[(source, table)]), (source, table)
    assert pg_rows[("jira", "jira__issues")] > 0
    assert {source for source, _, _ in on_pg} == {
        "analytics",
        "catalog",
        "finance",
        "hr",
        "jira",
        "okrs",
        "roadmap",
    }
