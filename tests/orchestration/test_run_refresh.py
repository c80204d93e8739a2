"""`run_refresh()` end to end on a small stand-in graph: land, model, publish."""

from __future__ import annotations

import duckdb
import pytest
from dagster import Definitions, asset, in_process_executor
from fake_source import FAKE_SOURCE, write_items_csv, write_lines_csv

from orchestration.defs.publish.assets import build_publish_asset, publish_deps
from orchestration.defs.sources.assets import build_source_assets, raw_asset_key
from orchestration.refresh import RefreshFailed, run_refresh
from orchestration.warehouse import WAREHOUSE_POOL, open_warehouse

T = "2025-03-04T10:00:00"


def _stand_in_definitions() -> Definitions:
    """The fake source, one mart computed from it in SQL, and the real publish asset."""
    landing = build_source_assets(FAKE_SOURCE)

    @asset(key=["marts", "item_prices"], deps=[raw_asset_key("fake__items")], pool=WAREHOUSE_POOL)
    def item_prices() -> None:
        with open_warehouse() as con:
            con.execute("CREATE SCHEMA IF NOT EXISTS marts")
            con.execute(
                "CREATE OR REPLACE TABLE marts.item_prices AS "
                "SELECT item_id, price FROM raw.fake__items"
            )

    publish = build_publish_asset(publish_deps([landing, item_prices]))
    return Definitions(assets=[landing, item_prices, publish], executor=in_process_executor)


def _serving(folders, sql: str) -> list[tuple]:
    con = duckdb.connect(str(folders.settings.serving_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _warehouse(folders, sql: str) -> list[tuple]:
    con = duckdb.connect(str(folders.settings.warehouse_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_a_refresh_publishes_what_it_landed_and_reports_each_step(folders):
    write_items_csv(
        folders.sources_dir,
        [("A", "apple", 1.5, "ann@example.com", T), ("P", "pear", 2.0, "bob@example.com", T)],
    )
    write_lines_csv(folders.sources_dir, "jan", [1, 2, 3])
    lines: list[str] = []

    result = run_refresh(progress=lines.append, definitions=_stand_in_definitions())

    assert [line.split(":")[0] for line in lines] == ["raw_fake", "marts__item_prices", "publish"]
    assert lines[0].startswith("raw_fake: done, 2 assets, 5 rows")
    assert result.mart_rows == {"item_prices": 2}
    assert _serving(folders, "SELECT item_id, price FROM marts.item_prices ORDER BY 1") == [
        ("A", 1.5),
        ("P", 2.0),
    ]
    assert _serving(folders, "SELECT batch_id, sources_dir FROM meta.refresh") == [
        (result.batch_id, "exports")
    ]
    assert _warehouse(folders, "SELECT DISTINCT _batch_id FROM raw.fake__lines") == [
        (result.batch_id,)
    ]
    assert "example.com" not in "\n".join(lines)


def test_refreshing_again_updates_rows_instead_of_duplicating_them(folders):
    write_items_csv(folders.sources_dir, [("A", "apple", 1.5, "ann@example.com", T)])
    run_refresh(progress=lambda _: None, definitions=_stand_in_definitions())
    write_items_csv(
        folders.sources_dir,
        [("A", "apple", 1.75, "ann@example.com", T), ("P", "pear", 2.0, "bob@example.com", T)],
    )

    run_refresh(progress=lambda _: None, definitions=_stand_in_definitions())

    assert _warehouse(folders, "SELECT item_id, price FROM raw.fake__items ORDER BY 1") == [
        ("A", 1.75),
        ("P", 2.0),
    ]
    assert _serving(folders, "SELECT count(*) FROM marts.item_prices") == [(2,)]


def test_a_bad_file_fails_the_refresh_by_name_and_keeps_the_last_copy(folders):
    write_items_csv(folders.sources_dir, [("A", "apple", 1.5, "ann@example.com", T)])
    first = run_refresh(progress=lambda _: None, definitions=_stand_in_definitions())
    write_items_csv(
        folders.sources_dir,
        [("A", "apple", 1.5, "ann@example.com", T), ("B", "banana", "cheap", "c@example.com", T)],
    )
    lines: list[str] = []

    with pytest.raises(RefreshFailed) as failure:
        run_refresh(progress=lines.append, definitions=_stand_in_definitions())

    assert failure.value.step == "raw_fake"
    assert "items.csv, line 3, column 'price': expected a number" in str(failure.value)
    assert "publish: not run, a step it depends on failed" in lines
    assert _serving(folders, "SELECT DISTINCT batch_id FROM meta.refresh") == [(first.batch_id,)]
    assert _warehouse(folders, "SELECT item_id FROM raw.fake__items") == [("A",)]
