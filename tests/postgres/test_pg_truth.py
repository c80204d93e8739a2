"""The marts PostgreSQL itself holds recover what the demo generator planted.

Read straight from the PostgreSQL warehouse (not the serving copy), so these facts hold
for a company that points its own tools at productops' PostgreSQL schemas.
"""

from __future__ import annotations

from pg_reads import query, tables

CENT = 0.01


def _by_product_month(pg_warehouse, column: str) -> dict[str, dict[str, float]]:
    with pg_warehouse.connect() as con:
        rows = con.execute(
            f"select product_id, to_char(month, 'YYYY-MM'), {column} "
            "from marts.fct_product_cost_revenue"
        ).fetchall()
    found: dict[str, dict[str, float]] = {}
    for product_id, month, value in rows:
        found.setdefault(product_id, {})[month] = value
    return found


def _mismatches(found: dict, expected: dict, tolerance: float) -> list[str]:
    out = []
    for product_id, months in expected.items():
        for month, value in months.items():
            got = found.get(product_id, {}).get(month)
            if got is None or abs(got - value) > tolerance:
                out.append(f"{product_id} {month}: planted {value}, mart {got}")
    return out


def test_revenue_per_product_month_on_postgres_is_the_planted_revenue(pg_warehouse, truth):
    expected = truth["revenue_by_product_month"]
    assert sum(len(months) for months in expected.values()) > 100
    wrong = _mismatches(_by_product_month(pg_warehouse, "revenue"), expected, CENT)
    assert not wrong, "\n".join(wrong[:20])


def test_unmapped_revenue_on_postgres_is_kept_on_the_unmapped_product(pg_warehouse, truth):
    planted = truth["unmapped_revenue_by_month"]
    found = _by_product_month(pg_warehouse, "revenue")
    assert not _mismatches(found, {"unmapped": planted}, CENT)


def test_people_cost_on_postgres_follows_the_person_days(pg_warehouse, truth):
    wrong = _mismatches(
        _by_product_month(pg_warehouse, "people_cost"),
        truth["people_cost_allocated_by_product_month"],
        CENT,
    )
    assert not wrong, "\n".join(wrong[:20])


def test_the_raw_layer_on_postgres_holds_every_landed_row_once(pg_warehouse, demo_warehouse):
    with pg_warehouse.connect() as con:
        on_pg = {
            name: con.execute(f'select count(*) from raw."{name}"').fetchone()[0]
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'raw'"
            ).fetchall()
        }
    on_duck = {
        name: query(demo_warehouse.warehouse_path, f'select count(*) from raw."{name}"')[0][0]
        for name in tables(demo_warehouse.warehouse_path, "raw")
    }
    assert on_pg == on_duck
    assert on_pg["jira__issues"] > 1000
