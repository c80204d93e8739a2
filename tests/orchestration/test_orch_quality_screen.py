"""The gate's fast path on large exports: the set-based screen finds every kind of bad row
over the whole table, and whatever it finds is reported exactly as Great Expectations
reports it on every row; a clean export passes without pandas seeing every row."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest
from employee_rows import employees as _employees

from connectors.schemas import HR_COMPENSATION, HR_EMPLOYEES, JIRA_CHANGELOG, JIRA_STATUSES
from connectors.sources import SOURCES
from connectors.spilled import TableSpool, spill
from orchestration.defs.sources import quality
from orchestration.defs.sources.quality import GE_SAMPLE_ROWS, spread_sample, validate_table
from orchestration.defs.sources.quality_screen import screen

# Every raw table of every source, as an incremental refresh may land any of them empty.
SOURCE_TABLES = [table for source in SOURCES for table in source.tables]

def _staff(count: int) -> list[dict]:
    return [{"employee_key": f"e{i}", "fte": 1.0} for i in range(count)]


GOOD = _staff(2)
BAD_EXPORTS = {
    "fte out of range": (
        _employees([*GOOD, {"employee_key": "e3", "fte": 0.0}, {"employee_key": "e4", "fte": 2.0}]),
        None,
        {"value_ranges"},
    ),
    "missing key": (_employees([*GOOD, {"employee_key": None}]), None, {"keys_not_null"}),
    "repeated key": (
        _employees([*GOOD, {"employee_key": "e1", "team": "Growth"}]),
        None,
        {"keys_unique"},
    ),
    "shrunk by more than half": (_employees(GOOD), 5, {"row_count_vs_previous"}),
    "missing column": (
        _employees(GOOD).drop_columns(["location"]),
        None,
        {"columns_and_types"},
    ),
    "fte as text": (
        _employees(GOOD).set_column(
            _employees(GOOD).schema.get_field_index("fte"), "fte", pa.array(["1.0", "0.5"])
        ),
        None,
        {"columns_and_types"},
    ),
}


@pytest.mark.parametrize("case", list(BAD_EXPORTS))
def test_the_screen_names_exactly_the_failing_check_of_each_bad_export(case):
    rows, previous, failing = BAD_EXPORTS[case]

    assert screen(HR_EMPLOYEES, rows, previous) == failing


@pytest.mark.parametrize("case", list(BAD_EXPORTS))
def test_the_fast_path_reports_a_bad_export_as_great_expectations_does_on_every_row(case):
    rows, previous, failing = BAD_EXPORTS[case]

    fast = validate_table(HR_EMPLOYEES, rows, previous, ge_every_row=0)
    every_row = validate_table(HR_EMPLOYEES, rows, previous, ge_every_row=10**9)

    assert fast == every_row
    # GE may also fail rules that cannot apply (a range on text): the screen's check fails.
    assert failing <= {o.check for o in fast if not o.passed}


def test_a_clean_export_passes_the_screen():
    assert screen(HR_EMPLOYEES, _employees(_staff(50)), previous_count=60) == set()


def test_a_status_category_outside_the_vocabulary_and_a_repeated_compound_key_are_screened():
    statuses = pa.Table.from_pylist(
        [
            {"status_id": "1", "status_name": "Done", "status_category": "done"},
            {"status_id": "2", "status_name": "Parked", "status_category": "some'day"},
        ],
        schema=JIRA_STATUSES.schema,
    )
    change = {
        "issue_id": "10",
        "history_id": "7",
        "item_index": 0,
        "_source": "jira/issues-0001.json",
    }
    changelog = pa.Table.from_pylist(
        [change, {**change, "item_index": 1}, change], schema=JIRA_CHANGELOG.schema
    )

    assert screen(JIRA_STATUSES, statuses, None) == {"accepted_values"}
    assert screen(JIRA_CHANGELOG, changelog, None) == {"keys_unique"}
    assert screen(JIRA_CHANGELOG, changelog.slice(0, 2), None) == set()


def test_nan_and_non_positive_salaries_are_outside_every_range():
    rows = pa.Table.from_pylist(
        [
            {
                "employee_key": f"e{i}",
                "annual_salary": salary,
                "currency": "EUR",
                "effective_on": date(2024, 1, 1),
                "_source": "hr/headcount.csv",
            }
            for i, salary in enumerate([50000.0, float("nan")])
        ],
        schema=HR_COMPENSATION.schema,
    )

    assert screen(HR_COMPENSATION, rows, None) == {"value_ranges"}
    assert screen(HR_COMPENSATION, rows.slice(0, 1), None) == set()


def test_one_bad_row_the_sample_misses_still_fails_with_the_whole_exports_numbers():
    rows = _staff(60_000)
    rows[54_321] = {"employee_key": "e54321", "fte": 3.0}
    table = _employees(rows)
    sampled = set(spread_sample(table, GE_SAMPLE_ROWS).column("employee_key").to_pylist())
    assert "e54321" not in sampled and len(sampled) == GE_SAMPLE_ROWS

    outcomes = {o.check: o for o in validate_table(HR_EMPLOYEES, table, None)}

    assert outcomes["value_ranges"].failures == ("1 of 60000 rows have 'fte' outside (0, 1.5]",)
    assert [(r["employee_key"], r["fte"]) for r in outcomes["value_ranges"].sample_rows] == [
        ("e54321", 3.0)
    ]
    assert all(o.passed for name, o in outcomes.items() if name != "value_ranges")


def _counting_ge(validated: list[int]):
    """quality._validate_with_ge, appending the row count of each batch to `validated`."""
    original = quality._validate_with_ge

    def counting(table, rows, previous_count, row_count=True, of_rows=None):
        validated.append(rows.num_rows)
        return original(table, rows, previous_count, row_count, of_rows)

    return counting


@pytest.fixture
def ge_batch_sizes(monkeypatch) -> list[int]:
    """The row count of every batch Great Expectations validates in the test."""
    validated: list[int] = []
    monkeypatch.setattr(quality, "_validate_with_ge", _counting_ge(validated))
    return validated


def test_a_large_clean_export_is_validated_by_great_expectations_on_a_sample(ge_batch_sizes):
    validated = ge_batch_sizes
    outcomes = validate_table(HR_EMPLOYEES, _employees(_staff(60_000)), previous_count=100_000)

    assert validated == [GE_SAMPLE_ROWS]
    assert [o.check for o in outcomes] == quality.check_names(HR_EMPLOYEES)
    assert all(o.passed for o in outcomes)


@pytest.mark.parametrize("raw_table", SOURCE_TABLES, ids=lambda t: t.name)
def test_an_empty_batch_gets_great_expectations_verdict_without_running_it(raw_table, request):
    # What Great Expectations says of an empty batch with no earlier load, asked before
    # the calls are counted.
    expected = quality._validate_with_ge(raw_table, raw_table.schema.empty_table(), None)
    validated = request.getfixturevalue("ge_batch_sizes")

    assert validate_table(raw_table, raw_table.schema.empty_table(), None) == expected
    assert all(o.passed for o in expected)
    assert validated == []


def test_an_empty_batch_after_a_real_load_still_fails_the_row_count_in_ge_words():
    outcomes = {o.check: o for o in validate_table(HR_EMPLOYEES, _employees([]), previous_count=40)}
    by_ge = {o.check: o for o in quality._validate_with_ge(HR_EMPLOYEES, _employees([]), 40)}
    assert not outcomes[quality.ROW_COUNT].passed
    assert outcomes[quality.ROW_COUNT].failures == by_ge[quality.ROW_COUNT].failures
    assert "40" in " ".join(outcomes[quality.ROW_COUNT].failures)
    assert all(o.passed for name, o in outcomes.items() if name != quality.ROW_COUNT)


@pytest.mark.parametrize("case", [c for c in BAD_EXPORTS if "column" not in c and "text" not in c])
def test_a_spilled_export_gets_the_same_verdict_as_in_memory(case, tmp_path):
    rows, previous, _ = BAD_EXPORTS[case]
    spilled = spill(tmp_path, HR_EMPLOYEES.name, rows)

    assert screen(HR_EMPLOYEES, spilled, previous) == screen(HR_EMPLOYEES, rows, previous)
    assert validate_table(HR_EMPLOYEES, spilled, previous, ge_every_row=0) == validate_table(
        HR_EMPLOYEES, rows, previous, ge_every_row=0
    )


def test_a_large_clean_spilled_export_is_sampled_like_an_in_memory_one(ge_batch_sizes, tmp_path):
    rows = _employees(_staff(60_000))
    spool = TableSpool(tmp_path, HR_EMPLOYEES.name, HR_EMPLOYEES.schema)
    for batch in rows.to_batches(max_chunksize=7_000):
        spool.write(batch)
        spool.new_file()
    spilled = spool.finish()

    assert spread_sample(spilled, GE_SAMPLE_ROWS).equals(spread_sample(rows, GE_SAMPLE_ROWS))
    outcomes = validate_table(HR_EMPLOYEES, spilled, previous_count=100_000)

    assert ge_batch_sizes == [GE_SAMPLE_ROWS]
    assert all(o.passed for o in outcomes)


@pytest.mark.parametrize("case", [c for c in BAD_EXPORTS if "column" not in c and "text" not in c])
def test_a_spilled_export_too_big_for_pandas_is_judged_from_its_suspect_rows(
    case, tmp_path, monkeypatch
):
    rows, previous, _ = BAD_EXPORTS[case]
    # Good rows before the bad ones, so the suspects are a small part of the export; the
    # shrunk export's previous load is scaled with it.
    padded = pa.concat_tables([_employees(_staff(500)).slice(2), rows])
    previous = None if previous is None else 3 * padded.num_rows
    spilled = spill(tmp_path, HR_EMPLOYEES.name, padded)
    monkeypatch.setattr(quality, "GE_IN_MEMORY_ROWS", 0)
    monkeypatch.setattr(quality, "_validate_with_ge", _counting_ge(validated := []))

    from_suspects = validate_table(HR_EMPLOYEES, spilled, previous, ge_every_row=0)

    # The screen found something, so GE ran once: on the suspect rows, not the export.
    assert len(validated) == 1 and validated[0] < 10
    every_row = validate_table(HR_EMPLOYEES, padded, previous, ge_every_row=10**9)
    assert from_suspects == every_row
    assert not all(outcome.passed for outcome in from_suspects)


def test_more_suspects_than_the_limit_are_counted_as_at_least(tmp_path):
    rows = _employees([{"employee_key": f"e{i}", "fte": 2.0} for i in range(50)])
    spilled = spill(tmp_path, HR_EMPLOYEES.name, rows)

    outcomes = {o.check: o for o in quality._validate_suspects(HR_EMPLOYEES, spilled, None, 20)}

    assert outcomes["value_ranges"].failures == (
        "at least 20 of 50 rows have 'fte' outside (0, 1.5]",
    )
    assert [r["employee_key"] for r in outcomes["value_ranges"].sample_rows] == ["e0", "e1", "e2"]
    assert outcomes["keys_unique"].passed and outcomes["row_count_vs_previous"].passed
