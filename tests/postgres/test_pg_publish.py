"""Publishing from PostgreSQL: the marts land in the same DuckDB serving copy, atomically."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from pg_reads import query

from orchestration.serving import PublishError
from orchestration.serving_postgres import publish_serving_copy_from_postgres
from orchestration.warehouse_postgres import open_postgres

T0 = datetime(2025, 6, 1, 8, 30, 0)


def _make_marts(settings) -> None:
    with open_postgres(settings) as pg, pg.transaction():
        pg.execute("create schema marts")
        pg.execute(
            "create table marts.fct_money (product_id text, month date, revenue double precision, "
            "budget numeric(12, 2), people integer, rows_seen bigint, loss boolean, "
            "refreshed_at timestamp, note text)"
        )
        pg.execute(
            "insert into marts.fct_money values "
            "('payments', '2025-01-01', 1234.5678, 1000.25, 7, 9000000000, false, "
            "'2025-06-01 08:30:00', ''), "
            "('unmapped', '2025-01-01', 0.1, null, null, 0, true, null, null), "
            "('cards', '2025-02-01', -3.25, 0, 0, 1, false, null, 'a \"quoted\", multi\nline')"
        )
        pg.execute(
            "create view marts.v_products as select distinct product_id from marts.fct_money"
        )


def test_every_mart_and_view_is_copied_with_its_values_and_types(pg_settings, tmp_path):
    _make_marts(pg_settings)
    serving = tmp_path / "serving.duckdb"
    publication = publish_serving_copy_from_postgres(pg_settings, serving, "run-1", "exports", T0)

    assert publication.row_counts == {"fct_money": 3, "v_products": 3}
    assert query(serving, "select * from marts.fct_money order by product_id") == [
        (
            "cards",
            date(2025, 2, 1),
            -3.25,
            Decimal("0.00"),
            0,
            1,
            False,
            None,
            'a "quoted", multi\nline',
        ),
        (
            "payments",
            date(2025, 1, 1),
            1234.5678,
            Decimal("1000.25"),
            7,
            9000000000,
            False,
            datetime(2025, 6, 1, 8, 30),
            "",
        ),
        ("unmapped", date(2025, 1, 1), 0.1, None, None, 0, True, None, None),
    ]
    types = dict(
        query(
            serving,
            "select column_name, data_type from information_schema.columns "
            "where table_name = 'fct_money'",
        )
    )
    assert types == {
        "product_id": "VARCHAR",
        "month": "DATE",
        "revenue": "DOUBLE",
        "budget": "DECIMAL(12,2)",
        "people": "INTEGER",
        "rows_seen": "BIGINT",
        "loss": "BOOLEAN",
        "refreshed_at": "TIMESTAMP",
        "note": "VARCHAR",
    }
    assert query(
        serving,
        "select batch_id, published_at, sources_dir, mart, row_count "
        "from meta.refresh order by mart",
    ) == [
        ("run-1", T0, "exports", "fct_money", 3),
        ("run-1", T0, "exports", "v_products", 3),
    ]
    # No load was recorded in this database: the freshness table exists, empty.
    assert query(serving, "select count(*) from meta.raw_loads") == [(0,)]


def test_a_warehouse_without_marts_publishes_nothing_and_the_old_copy_stays(pg_settings, tmp_path):
    _make_marts(pg_settings)
    serving = tmp_path / "serving.duckdb"
    publish_serving_copy_from_postgres(pg_settings, serving, "run-1", "exports", T0)
    with open_postgres(pg_settings) as pg:
        pg.execute("drop schema marts cascade")

    with pytest.raises(PublishError, match="no tables in schema 'marts'"):
        publish_serving_copy_from_postgres(pg_settings, serving, "run-2", "exports", T0)

    assert query(serving, "select distinct batch_id from meta.refresh") == [("run-1",)]
    assert [p.name for p in tmp_path.glob("serving*")] == ["serving.duckdb"]
