"""Every record the demo company's files hold lands once in its raw table."""

from __future__ import annotations

from warehouse_reads import query, tables

from connectors.sources import SOURCES


def test_row_counts_per_raw_table_match_what_the_generator_wrote(demo_warehouse, truth):
    landed = set(tables(demo_warehouse.warehouse_path, "raw"))
    expected_tables = {table.name for source in SOURCES for table in source.tables}
    assert expected_tables <= landed, f"never landed: {sorted(expected_tables - landed)}"
    differences = {}
    for name, planted in sorted(truth["row_counts"].items()):
        ((count,),) = query(demo_warehouse.warehouse_path, f"select count(*) from raw.{name}")
        if count != planted:
            differences[name] = (planted, count)
    assert not differences, f"(written, landed) per table: {differences}"


def test_every_raw_row_carries_its_lineage(demo_warehouse):
    for name in tables(demo_warehouse.warehouse_path, "raw"):
        ((missing,),) = query(
            demo_warehouse.warehouse_path,
            f"select count(*) from raw.{name} "
            "where _source is null or _batch_id is null or _loaded_at is null",
        )
        assert missing == 0, f"raw.{name} has {missing} rows without lineage"


def test_the_refresh_leaves_no_spilled_rows_behind(demo_warehouse):
    # Jira's pages and the events were spilled to <data>/spill while they landed.
    spill = demo_warehouse.data_dir / "spill"
    assert spill.is_dir()
    assert [path for path in spill.rglob("*")] == []
