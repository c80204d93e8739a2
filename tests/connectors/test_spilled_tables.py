"""Spilled tables: rows written to Arrow files as a big reader makes them, and read back
exactly, in order, with what the gate and the landing ask of a table known without
reading the rows (row count, files of origin, nulls per column)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from connectors.spilled import (
    SpilledTable,
    TableSpool,
    concat_rows,
    distinct_sources,
    null_count,
    spill,
)

SCHEMA = pa.schema([("id", pa.string()), ("points", pa.float64()), ("_source", pa.string())])


def _rows(ids: list[str], source: str | None, points: float | None = 1.0) -> pa.Table:
    return pa.table(
        {
            "id": ids,
            "points": [points] * len(ids),
            "_source": [source] * len(ids),
        },
        schema=SCHEMA,
    )


def test_a_spool_gives_back_every_row_in_order_across_files(tmp_path: Path) -> None:
    spool = TableSpool(tmp_path, "issues", SCHEMA)
    spool.write(_rows(["a", "b"], "jira/page-1.json"))
    spool.new_file()
    spool.write(_rows(["c"], "jira/page-2.json", points=None).to_batches()[0])
    spool.write(_rows([], "jira/page-3.json"))
    spool.new_file()
    spool.write(_rows(["d"], None))

    spilled = spool.finish()

    assert len(spilled.files) == 3 and all(path.parent == tmp_path for path in spilled.files)
    assert spilled.num_rows == 4
    assert spilled.to_table().column("id").to_pylist() == ["a", "b", "c", "d"]
    assert [batch.num_rows for batch in spilled.to_batches()] == [2, 1, 1]
    assert distinct_sources(spilled) == ["jira/page-1.json", "jira/page-2.json"]
    assert (null_count(spilled, "points"), null_count(spilled, "_source")) == (1, 1)
    assert spilled.take([3, 0, 2]).column("id").to_pylist() == ["d", "a", "c"]
    assert spilled.column("id").to_pylist() == ["a", "b", "c", "d"]


def test_an_untyped_all_null_column_takes_the_declared_type(tmp_path: Path) -> None:
    untyped = pa.table({"id": ["a"], "points": pa.nulls(1), "_source": ["x.json"]})
    assert untyped.schema.field("points").type == pa.null()

    spool = TableSpool(tmp_path, "u", SCHEMA)
    spool.write(untyped)
    spilled = spool.finish()

    assert spilled.schema == SCHEMA
    assert spilled.to_table().to_pylist() == [{"id": "a", "points": None, "_source": "x.json"}]
    assert null_count(spilled, "points") == 1


def test_nothing_written_is_an_empty_table_of_the_schema(tmp_path: Path) -> None:
    spilled = TableSpool(tmp_path, "empty", SCHEMA).finish()

    assert (spilled.files, spilled.num_rows) == ((), 0)
    assert spilled.to_table().schema == SCHEMA and spilled.to_table().num_rows == 0
    assert spilled.dataset().count_rows() == 0
    assert distinct_sources(spilled) == []


def test_in_memory_and_spilled_parts_join_in_order(tmp_path: Path) -> None:
    first = spill(tmp_path, "first", _rows(["a", "b"], "amplitude/2025-01.json.gz"))
    joined = concat_rows(
        [first, _rows(["c"], "mixpanel/2025-01.json", points=None), _rows([], None)], tmp_path
    )

    assert isinstance(joined, SpilledTable)
    assert joined.to_table().column("id").to_pylist() == ["a", "b", "c"]
    assert distinct_sources(joined) == ["amplitude/2025-01.json.gz", "mixpanel/2025-01.json"]
    assert null_count(joined, "points") == 1
    # In memory only: an ordinary Arrow table, nothing written.
    plain = concat_rows([_rows(["a"], "x"), _rows(["b"], "y")])
    assert isinstance(plain, pa.Table) and plain.column("id").to_pylist() == ["a", "b"]


def test_joining_in_memory_rows_to_spilled_ones_needs_a_folder(tmp_path: Path) -> None:
    first = spill(tmp_path, "first", _rows(["a"], "x"))
    with pytest.raises(ValueError, match="needs a spill folder"):
        concat_rows([first, _rows(["b"], "y")])


def test_spilled_parts_of_another_schema_are_refused(tmp_path: Path) -> None:
    first = spill(tmp_path, "first", _rows(["a"], "x"))
    other = spill(tmp_path, "other", pa.table({"id": ["b"]}))
    with pytest.raises(ValueError, match="differ in schema"):
        concat_rows([first, other])
