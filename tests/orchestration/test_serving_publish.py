"""Publishing the serving copy: complete, atomic, and never half-replaced."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from orchestration.serving import PublishError, publish_serving_copy

PUBLISHED_AT = datetime(2025, 3, 4, 2, 0, 0)


def _warehouse(path: Path, products: int) -> Path:
    """A working warehouse with `products` rows in marts.dim_products and a marts view."""
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA marts; CREATE SCHEMA staging")
    con.execute(
        "CREATE OR REPLACE TABLE marts.dim_products AS "
        f"SELECT 'p' || i AS product_id FROM range({products}) t(i)"
    )
    con.execute("CREATE TABLE staging.stg_private AS SELECT 'never published' AS note")
    con.execute(
        "CREATE VIEW marts.fct_product_cost_revenue AS "
        "SELECT product_id, 100.0 AS revenue FROM marts.dim_products"
    )
    con.close()
    return path


def _publish(warehouse: Path, serving: Path, batch: str):
    return publish_serving_copy(warehouse, serving, batch, "exports", published_at=PUBLISHED_AT)


def _read(serving: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(serving), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_serving_copy_holds_every_mart_and_what_refresh_made_it(tmp_path):
    warehouse = _warehouse(tmp_path / "warehouse.duckdb", products=3)
    serving = tmp_path / "serving.duckdb"

    publication = _publish(warehouse, serving, "run-1")

    assert publication.row_counts == {"dim_products": 3, "fct_product_cost_revenue": 3}
    tables = _read(
        serving,
        "SELECT table_schema, table_name, table_type FROM information_schema.tables ORDER BY 1, 2",
    )
    # Views are materialised, staging stays behind: the copy stands on its own.
    assert tables == [
        ("marts", "dim_products", "BASE TABLE"),
        ("marts", "fct_product_cost_revenue", "BASE TABLE"),
        ("meta", "raw_loads", "BASE TABLE"),
        ("meta", "refresh", "BASE TABLE"),
    ]
    # A warehouse that never recorded a load publishes an empty load table.
    assert _read(serving, "SELECT count(*) FROM meta.raw_loads") == [(0,)]
    assert _read(serving, "SELECT sum(revenue) FROM marts.fct_product_cost_revenue") == [(300.0,)]
    assert _read(serving, "SELECT * FROM meta.refresh ORDER BY mart") == [
        ("run-1", PUBLISHED_AT, "exports", "dim_products", 3),
        ("run-1", PUBLISHED_AT, "exports", "fct_product_cost_revenue", 3),
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["serving.duckdb", "warehouse.duckdb"]


def test_a_reader_with_the_old_copy_open_keeps_reading_it_whole(tmp_path):
    serving = tmp_path / "serving.duckdb"
    _publish(_warehouse(tmp_path / "old.duckdb", products=2), serving, "run-1")
    reader = duckdb.connect(str(serving), read_only=True)
    try:
        assert reader.execute("SELECT count(*) FROM marts.dim_products").fetchone() == (2,)

        _publish(_warehouse(tmp_path / "new.duckdb", products=5), serving, "run-2")

        assert reader.execute("SELECT count(*) FROM marts.dim_products").fetchone() == (2,)
        assert reader.execute("SELECT DISTINCT batch_id FROM meta.refresh").fetchall() == [
            ("run-1",)
        ]
    finally:
        reader.close()
    assert _read(serving, "SELECT count(*) FROM marts.dim_products") == [(5,)]
    assert _read(serving, "SELECT DISTINCT batch_id FROM meta.refresh") == [("run-2",)]


def test_a_publish_failing_mid_copy_leaves_the_last_good_copy(tmp_path):
    serving = tmp_path / "serving.duckdb"
    _publish(_warehouse(tmp_path / "good.duckdb", products=2), serving, "run-1")
    before = serving.read_bytes()
    broken = _warehouse(tmp_path / "broken.duckdb", products=4)
    con = duckdb.connect(str(broken))
    # Copied after dim_products (names are copied in order), failing only when read.
    con.execute(
        "CREATE VIEW marts.zz_broken AS SELECT CAST(note AS INTEGER) AS n FROM staging.stg_private"
    )
    con.close()

    with pytest.raises(duckdb.ConversionException):
        _publish(broken, serving, "run-2")

    assert serving.read_bytes() == before
    assert _read(serving, "SELECT count(*) FROM marts.dim_products") == [(2,)]
    assert not list(tmp_path.glob("serving.duckdb.tmp-*"))


def test_a_warehouse_without_marts_publishes_nothing(tmp_path):
    serving = tmp_path / "serving.duckdb"
    _publish(_warehouse(tmp_path / "good.duckdb", products=2), serving, "run-1")
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()

    with pytest.raises(PublishError, match="no tables in schema 'marts'"):
        _publish(empty, serving, "run-2")

    assert _read(serving, "SELECT DISTINCT batch_id FROM meta.refresh") == [("run-1",)]


def test_copies_left_by_a_crashed_publish_are_cleaned_up(tmp_path):
    serving = tmp_path / "serving.duckdb"
    (tmp_path / "serving.duckdb.tmp-crashed").write_bytes(b"half a file")
    (tmp_path / "serving.duckdb.tmp-crashed.wal").write_bytes(b"")

    _publish(_warehouse(tmp_path / "warehouse.duckdb", products=1), serving, "run-2")

    assert sorted(p.name for p in tmp_path.iterdir()) == ["serving.duckdb", "warehouse.duckdb"]
