"""Landing in PostgreSQL by COPY: the same merge-by-key contract as DuckDB's landing."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import psycopg
import pyarrow as pa
import pytest

from connectors.registry import RawTable
from connectors.spilled import TableSpool
from orchestration.defs.sources.load_history import LoadRecord
from orchestration.landing_target import PostgresLanding, open_landing
from orchestration.warehouse import LandingSchemaError
from orchestration.warehouse_postgres import (
    connection_kwargs,
    delete_gone_rows,
    land,
    open_postgres,
)

T0 = datetime(2025, 3, 4, 10, 0, 0)

DEALS = RawTable(
    name="test__deals",
    schema=pa.schema(
        [
            ("deal_id", pa.string()),
            ("line", pa.int64()),
            ("note", pa.string()),
            ("amount", pa.float64()),
            ("closed_on", pa.date32()),
            ("updated_at", pa.timestamp("us")),
            ("_source", pa.string()),
        ]
    ),
    key=("deal_id", "line"),
)


def _deals(rows: list[tuple]) -> pa.Table:
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in DEALS.schema]
    return pa.Table.from_arrays(
        [pa.array(list(c), type=f.type) for c, f in zip(columns, DEALS.schema, strict=True)],
        schema=DEALS.schema,
    )


def _landed(con: psycopg.Connection) -> list[tuple]:
    return con.execute(
        "select deal_id, line, note, amount, closed_on, updated_at, _batch_id "
        "from raw.test__deals order by 1, 2"
    ).fetchall()


@pytest.fixture
def pg(pg_settings):
    with open_postgres(pg_settings) as con:
        yield con


def test_a_reload_replaces_rows_by_natural_key_and_keeps_the_others(pg):
    first = _deals(
        [
            ("D1", 1, "first", 10.0, date(2025, 1, 2), T0, "deals.csv"),
            ("D1", 2, "second", 20.0, date(2025, 1, 2), T0, "deals.csv"),
            ("D2", 1, "other", 30.0, None, T0, "deals.csv"),
        ]
    )
    assert land(pg, DEALS, first, "batch-1", T0) == 3
    again = _deals([("D1", 2, "second, revised", 25.0, date(2025, 1, 3), T0, "deals.csv")])
    assert land(pg, DEALS, again, "batch-2", T0 + timedelta(hours=1)) == 1

    assert _landed(pg) == [
        ("D1", 1, "first", 10.0, date(2025, 1, 2), T0, "batch-1"),
        ("D1", 2, "second, revised", 25.0, date(2025, 1, 3), T0, "batch-2"),
        ("D2", 1, "other", 30.0, None, T0, "batch-1"),
    ]


def test_copy_keeps_empty_text_apart_from_null_and_every_character_and_digit(pg):
    awkward = 'quote " comma , newline \n tab \t backslash \\ unicode é€'
    rows = _deals(
        [
            ("E", 1, "", 0.1 + 0.2, None, None, None),
            ("N", 1, None, 1e-300, None, None, None),
            (
                "Q",
                1,
                awkward,
                -123456789.123456789,
                date(1999, 12, 31),
                datetime(2024, 2, 29, 23, 59, 59, 999999),
                "x",
            ),
        ]
    )
    land(pg, DEALS, rows, "b", T0)
    assert _landed(pg) == [
        ("E", 1, "", 0.1 + 0.2, None, None, "b"),
        ("N", 1, None, 1e-300, None, None, "b"),
        (
            "Q",
            1,
            awkward,
            -123456789.123456789,
            date(1999, 12, 31),
            datetime(2024, 2, 29, 23, 59, 59, 999999),
            "b",
        ),
    ]
    ((loaded_at,),) = pg.execute("select distinct _loaded_at from raw.test__deals").fetchall()
    assert loaded_at == T0


def test_a_failed_reload_leaves_the_table_as_it_was(pg):
    land(pg, DEALS, _deals([("D1", 1, "kept", 10.0, None, T0, "a")]), "batch-1", T0)
    # A constraint the second load breaks only at its INSERT, after its DELETE ran.
    pg.execute("alter table raw.test__deals add constraint small check (amount < 100)")
    too_big = _deals([("D1", 1, "replacement", 500.0, None, T0, "a")])
    with pytest.raises(psycopg.errors.CheckViolation):
        land(pg, DEALS, too_big, "batch-2", T0)
    assert _landed(pg) == [("D1", 1, "kept", 10.0, None, T0, "batch-1")]


def test_a_new_contract_column_is_added_and_a_changed_type_is_named(pg):
    land(pg, DEALS, _deals([("D1", 1, "x", 1.0, None, T0, "a")]), "b1", T0)
    grown = RawTable(DEALS.name, DEALS.schema.append(pa.field("stage", pa.string())), DEALS.key)
    rows = _deals([("D2", 1, "y", 2.0, None, T0, "a")]).append_column("stage", pa.array(["won"]))
    land(pg, grown, rows, "b2", T0)
    assert pg.execute("select deal_id, stage from raw.test__deals order by 1").fetchall() == [
        ("D1", None),
        ("D2", "won"),
    ]

    retyped = RawTable(DEALS.name, DEALS.schema.set(3, pa.field("amount", pa.string())), DEALS.key)
    rows = _deals([("D3", 1, "z", 3.0, None, T0, "a")]).set_column(3, "amount", pa.array(["3.0"]))
    with pytest.raises(LandingSchemaError, match="amount"):
        land(pg, retyped, rows, "b3", T0)


def test_rows_gone_at_the_source_are_deleted_by_part_of_their_key(pg):
    land(
        pg,
        DEALS,
        _deals(
            [
                ("D1", 1, "a", 1.0, None, T0, "s"),
                ("D1", 2, "b", 2.0, None, T0, "s"),
                ("D2", 1, "c", 3.0, None, T0, "s"),
            ]
        ),
        "b1",
        T0,
    )
    assert delete_gone_rows(pg, DEALS, pa.table({"deal_id": pa.array(["D1", "D9"])})) == 2
    assert [row[0] for row in _landed(pg)] == ["D2"]
    with pytest.raises(ValueError, match="no columns"):
        delete_gone_rows(pg, DEALS, pa.table({"nope": pa.array(["x"])}))


def test_the_gate_reads_the_previous_load_counts_from_postgres(pg_settings):
    with open_landing(settings=pg_settings) as target:
        assert isinstance(target, PostgresLanding)
        assert target.previous_counts() == {}
        target.record_loads(
            [
                LoadRecord("deals", "test__deals", "b1", T0, T0, 120),
                LoadRecord("deals", "test__deals", "b2", T0 + timedelta(days=1), None, 80),
                LoadRecord("deals", "test__notes", "b1", T0, T0, 5),
            ]
        )
        assert target.previous_counts() == {"test__deals": 80, "test__notes": 5}


def test_the_password_reaches_the_server_and_a_wrong_one_is_refused(pg_settings):
    kwargs = connection_kwargs(pg_settings)
    assert kwargs["password"] == pg_settings.pg_password
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(**{**kwargs, "password": "wrong"}).close()


def test_a_spilled_table_is_copied_a_batch_at_a_time_and_replaces_by_key(pg, tmp_path):
    land(pg, DEALS, _deals([("D1", 1, "first", 10.0, None, T0, "deals.csv")]), "batch-1", T0)
    spool = TableSpool(tmp_path / "spill", DEALS.name, DEALS.schema)
    spool.write(_deals([("D1", 1, "", 11.0, date(2025, 1, 3), T0, "deals-2.csv")]))
    spool.new_file()
    spool.write(_deals([("D3", 1, None, 5.0, None, T0, "deals-2.csv")]))

    assert land(pg, DEALS, spool.finish(), "batch-2", T0) == 2

    assert _landed(pg) == [
        ("D1", 1, "", 11.0, date(2025, 1, 3), T0, "batch-2"),
        ("D3", 1, None, 5.0, None, T0, "batch-2"),
    ]
