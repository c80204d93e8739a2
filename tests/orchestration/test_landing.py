"""Landing raw rows: a re-run replaces by natural key, a bad shape is named."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from fake_source import ITEMS, LINES, items

from connectors.spilled import SpilledTable, TableSpool
from orchestration.defs.sources.assets import fresh_spill_dir
from orchestration.warehouse import LandingSchemaError, connect, land

T0 = datetime(2025, 3, 4, 10, 0, 0)


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


@pytest.fixture
def con(tmp_path: Path):
    connection = connect(tmp_path / "warehouse.duckdb")
    yield connection
    connection.close()


def _apple(price: float = 1.5) -> dict:
    return {"item_id": "A", "name": "apple", "price": price, "owner_key": "k1", "updated_at": T0}


def _pear() -> dict:
    return {"item_id": "P", "name": "pear", "price": 2.0, "owner_key": None, "updated_at": T0}


def test_landing_the_same_rows_twice_keeps_one_copy_of_each(con):
    batch = items([_apple(), _pear()])
    assert land(con, ITEMS, batch, "batch-1", T0) == 2
    assert land(con, ITEMS, batch, "batch-2", T0 + timedelta(days=1)) == 2

    rows = _rows(
        con, "SELECT item_id, price, _batch_id, _loaded_at FROM raw.fake__items ORDER BY 1"
    )
    assert rows == [
        ("A", 1.5, "batch-2", T0 + timedelta(days=1)),
        ("P", 2.0, "batch-2", T0 + timedelta(days=1)),
    ]


def test_a_changed_row_replaces_its_key_and_other_rows_stay(con):
    land(con, ITEMS, items([_apple(), _pear()]), "batch-1", T0)
    land(con, ITEMS, items([_apple(price=9.99)]), "batch-2", T0)

    rows = _rows(con, "SELECT item_id, price, _batch_id FROM raw.fake__items ORDER BY 1")
    assert rows == [("A", 9.99, "batch-2"), ("P", 2.0, "batch-1")]


def test_a_composite_key_replaces_only_the_reloaded_file(con):
    def lines(source: str, quantities: list[int]) -> pa.Table:
        return pa.Table.from_pylist(
            [{"line_number": n, "qty": q, "_source": source} for n, q in enumerate(quantities, 1)],
            schema=LINES.schema,
        )

    land(con, LINES, pa.concat_tables([lines("jan.csv", [1, 2]), lines("feb.csv", [3])]), "b1", T0)
    land(con, LINES, lines("feb.csv", [30, 40]), "b2", T0)

    rows = _rows(con, "SELECT _source, line_number, qty FROM raw.fake__lines ORDER BY 1, 2")
    assert rows == [("feb.csv", 1, 30), ("feb.csv", 2, 40), ("jan.csv", 1, 1), ("jan.csv", 2, 2)]


def test_an_empty_batch_creates_the_table_with_landing_columns(con):
    assert land(con, LINES, LINES.schema.empty_table(), "b1", T0) == 0

    columns = _rows(
        con,
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'raw' AND table_name = 'fake__lines' ORDER BY ordinal_position",
    )
    assert columns == [
        ("line_number", "BIGINT"),
        ("qty", "BIGINT"),
        ("_source", "VARCHAR"),
        ("_loaded_at", "TIMESTAMP"),
        ("_batch_id", "VARCHAR"),
    ]


def test_loaded_at_is_stored_as_utc(con):
    berlin = timezone(timedelta(hours=1))
    land(con, ITEMS, items([_apple()]), "b1", datetime(2025, 3, 4, 11, 0, tzinfo=berlin))

    assert _rows(con, "SELECT _loaded_at FROM raw.fake__items") == [(datetime(2025, 3, 4, 10, 0),)]


def test_columns_in_another_order_land_in_the_contract_order(con):
    batch = items([_apple()])
    shuffled = batch.select(list(reversed(batch.schema.names)))

    land(con, ITEMS, shuffled, "b1", T0)

    assert _rows(con, "SELECT item_id, name, price FROM raw.fake__items") == [("A", "apple", 1.5)]


def test_a_wrong_type_names_the_table_and_the_column(con):
    batch = items([_apple()])
    as_text = batch.set_column(2, "price", pa.array(["1.5"], pa.string()))

    with pytest.raises(
        LandingSchemaError, match=r"raw\.fake__items, column 'price'.*double.*string"
    ):
        land(con, ITEMS, as_text, "b1", T0)


def test_a_missing_or_unexpected_column_is_named(con):
    batch = items([_apple()])

    with pytest.raises(LandingSchemaError, match=r"raw\.fake__items, column 'owner_key': missing"):
        land(con, ITEMS, batch.drop_columns(["owner_key"]), "b1", T0)
    with pytest.raises(LandingSchemaError, match=r"raw\.fake__items, column 'email': unexpected"):
        land(con, ITEMS, batch.append_column("email", pa.array(["x@example.com"])), "b1", T0)


def test_a_rejected_batch_leaves_the_landed_rows_untouched(con):
    land(con, ITEMS, items([_apple(), _pear()]), "b1", T0)
    bad = items([_apple(price=5.0)]).set_column(
        4, "updated_at", pa.array(["yesterday"], pa.string())
    )

    with pytest.raises(LandingSchemaError):
        land(con, ITEMS, bad, "b2", T0)

    assert _rows(con, "SELECT item_id, price FROM raw.fake__items ORDER BY 1") == [
        ("A", 1.5),
        ("P", 2.0),
    ]


def test_a_type_changed_since_the_last_load_is_named(con):
    land(con, ITEMS, items([_apple()]), "b1", T0)
    con.execute("ALTER TABLE raw.fake__items ALTER COLUMN price TYPE VARCHAR")

    with pytest.raises(LandingSchemaError, match=r"raw\.fake__items, column 'price'.*VARCHAR"):
        land(con, ITEMS, items([_apple()]), "b2", T0)
    # The failed merge was rolled back: the row of the first batch is still there.
    assert _rows(con, "SELECT item_id, _batch_id FROM raw.fake__items") == [("A", "b1")]


def _spilled_items(folder: Path, batches: list[list[dict]]) -> SpilledTable:
    """The rows of `batches`, each in its own file, as a reader's spill writes them."""
    spool = TableSpool(folder, ITEMS.name, ITEMS.schema)
    for batch in batches:
        spool.write(items(batch))
        spool.new_file()
    return spool.finish()


def test_a_spilled_table_lands_as_its_rows_would_and_replaces_by_key(con, tmp_path):
    pear, apple = _pear(), _apple()
    land(con, ITEMS, items([apple, pear]), "batch-1", T0)
    spilled = _spilled_items(tmp_path / "spill", [[_apple(price=9.99)], [{**pear, "item_id": "Q"}]])

    assert land(con, ITEMS, spilled, "batch-2", T0 + timedelta(days=1)) == 2

    rows = _rows(con, "SELECT item_id, price, _batch_id FROM raw.fake__items ORDER BY 1")
    assert rows == [("A", 9.99, "batch-2"), ("P", 2.0, "batch-1"), ("Q", 2.0, "batch-2")]


def test_a_spilled_table_of_another_schema_is_named_and_lands_nothing(con, tmp_path):
    land(con, ITEMS, items([_apple()]), "batch-1", T0)
    renamed = items([_pear()]).rename_columns(["item_id", "title", *ITEMS.schema.names[2:]])
    spool = TableSpool(tmp_path / "spill", ITEMS.name, renamed.schema)
    spool.write(renamed)

    with pytest.raises(LandingSchemaError, match="raw.fake__items, column 'name'"):
        land(con, ITEMS, spool.finish(), "batch-2", T0)

    assert _rows(con, "SELECT item_id FROM raw.fake__items") == [("A",)]


def test_a_landing_spills_into_an_empty_folder_and_clears_leftovers(tmp_path):
    leftover = tmp_path / "spill" / "jira-killed-run"
    leftover.mkdir(parents=True)
    (leftover / "jira__changelog.00000.arrow").write_bytes(b"half a file")

    folder = fresh_spill_dir(tmp_path, "jira-run-2")

    assert folder == tmp_path / "spill" / "jira-run-2"
    assert list((tmp_path / "spill").iterdir()) == [folder]
    assert list(folder.iterdir()) == []
