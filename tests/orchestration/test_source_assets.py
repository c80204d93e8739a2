"""A source's landing asset: one asset per raw table, counts only in its metadata."""

from __future__ import annotations

import dataclasses

import duckdb
import pyarrow as pa
import pytest
from dagster import AssetKey, materialize
from fake_source import FAKE_SOURCE, write_items_csv, write_lines_csv

from orchestration.defs.sources.assets import build_source_assets

T = "2025-03-04T10:00:00"


def test_each_table_reports_its_rows_and_files_and_nothing_about_people(folders):
    write_items_csv(
        folders.sources_dir,
        [("A", "apple", 1.5, "ann@example.com", T), ("P", "pear", 2.0, "bob@example.com", T)],
    )
    write_lines_csv(folders.sources_dir, "jan", [1, 2, 3])
    write_lines_csv(folders.sources_dir, "feb", [4, 5])

    result = materialize([build_source_assets(FAKE_SOURCE)])

    metadata = {
        event.asset_key.to_user_string(): {
            k: v.value for k, v in event.materialization.metadata.items()
        }
        for event in result.get_asset_materialization_events()
    }
    assert metadata == {
        "raw/fake__items": {"dagster/row_count": 2, "source_files": 1},
        "raw/fake__lines": {"dagster/row_count": 5, "source_files": 2},
    }


def test_a_missing_export_still_creates_its_empty_table(folders):
    write_items_csv(folders.sources_dir, [("A", "apple", 1.5, "ann@example.com", T)])

    materialize([build_source_assets(FAKE_SOURCE)])

    con = duckdb.connect(str(folders.settings.warehouse_path), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM raw.fake__lines").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM raw.fake__items").fetchone() == (1,)
    finally:
        con.close()


def test_a_reader_returning_an_undeclared_table_is_refused_by_name(folders):
    def read_too_much(context):
        return {**FAKE_SOURCE.read(context), "fake__extra": pa.table({"x": [1]})}

    source = dataclasses.replace(FAKE_SOURCE, read=read_too_much)

    with pytest.raises(
        ValueError, match=r"'fake' returned tables it does not declare: \['fake__extra'\]"
    ):
        materialize([build_source_assets(source)])


def test_the_assets_are_keyed_and_grouped_by_source():
    assets_def = build_source_assets(FAKE_SOURCE)

    assert assets_def.node_def.name == "raw_fake"
    assert assets_def.keys == {AssetKey(["raw", "fake__items"]), AssetKey(["raw", "fake__lines"])}
    assert set(assets_def.group_names_by_key.values()) == {"raw_fake"}
