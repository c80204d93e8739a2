"""With a cutoff, the heavy key, not-null and parent tests check only the rows loaded since it.

A copy of the fixture warehouse gets analytics events in raw (landed 1 April, before the
cutoff of 1 May, or 1 June, after it) and status intervals written by builds that had seen
Jira up to 1 April or 1 June:

- old rows: event `e-old` twice; interval (issue `9`, change 0) twice; a Jira status
  change of issue `ghost-old`, which Jira does not have;
- new rows: event `e-new` twice, event `e-null-type` with no event_type, one clean
  event `e-ok`; interval (issue `7`, change 1) twice; a status change of issue
  `ghost-new`, which Jira does not have either.

With PRODUCTOPS_DBT_TESTED_CUTOFFS naming the models, the tests fail on, and name, only
the new duplicates, the new null and the new orphan; without it (dbt by hand, a first
build) they find the old ones too, exactly as before.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from dbt_raw_tables import insert_rows
from dbt_runner import DbtWarehouse, run_dbt, stored_failures

from orchestration.defs.dbt.tested_cutoff import CUTOFFS_ENV_VAR

EVENTS_KEYS = "keys_and_values_stg_analytics__events"
EVENTS_NOT_NULL = "not_null_stg_analytics__events"
INTERVALS_KEYS = "keys_and_values_int_issue_status_intervals"
CHANGELOG_PARENTS = "parent_exists_stg_jira__changelog"
STATUS_PARENTS = "parent_exists_stg_jira__status_changes"
TESTS = (EVENTS_KEYS, EVENTS_NOT_NULL, INTERVALS_KEYS, CHANGELOG_PARENTS, STATUS_PARENTS)
CUTOFF = "2025-05-01 00:00:00"
OLD, NEW = "2025-04-01 00:00:00", "2025-06-01 00:00:00"
CUTOFFS = {
    "stg_analytics__events": CUTOFF,
    "int_issue_status_intervals": CUTOFF,
    "stg_jira__changelog": CUTOFF,
    "stg_jira__status_changes": CUTOFF,
}


def _event(event_id: str, event_type: str | None = "login") -> dict[str, object]:
    return {
        "event_id": event_id,
        "event_type": event_type,
        "event_time": "2025-03-03 10:00:00",
        "user_key": "u1",
        "app": "payments",
    }


def _plant(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse)) as connection:
        insert_rows(
            connection,
            "analytics__events",
            [
                _event("e-old"),
                _event("e-old"),
                _event("e-new"),
                _event("e-new"),
                _event("e-null-type", None),
                _event("e-ok"),
            ],
        )
        connection.execute(
            "update raw.analytics__events set _loaded_at = ? where event_id <> 'e-old'", [NEW]
        )
        insert_rows(
            connection,
            "jira__changelog",
            [
                {
                    "issue_id": issue_id,
                    "history_id": "h-ghost",
                    "field": "status",
                    "to_string": "Done",
                    "item_index": 0,
                    "changed_at": "2025-03-03 10:00:00",
                }
                for issue_id in ("ghost-old", "ghost-new")
            ],
        )
        connection.execute(
            "update raw.jira__changelog set _loaded_at = ? where issue_id = 'ghost-new'", [NEW]
        )
        for issue_id, change_number, loaded_at in [("9", 0, OLD), ("7", 1, NEW)]:
            for _ in range(2):
                connection.execute(
                    "insert into intermediate.int_issue_status_intervals"
                    " (issue_id, change_number, status, status_category, valid_from,"
                    " source_loaded_at) values (?, ?, 'Done', 'done', '2025-03-01', ?)",
                    [issue_id, change_number, loaded_at],
                )


def _run_tests(warehouse: Path, work_dir: Path, cutoffs: dict[str, str] | None) -> dict:
    """`dbt test --store-failures` on the tests; each test's (status, failures)."""
    saved = os.environ.pop(CUTOFFS_ENV_VAR, None)
    if cutoffs is not None:
        os.environ[CUTOFFS_ENV_VAR] = json.dumps(cutoffs)
    try:
        result = run_dbt(
            ["test", "--store-failures", "--select", *TESTS],
            warehouse,
            work_dir,
        )
    finally:
        os.environ.pop(CUTOFFS_ENV_VAR, None)
        if saved is not None:
            os.environ[CUTOFFS_ENV_VAR] = saved
    assert result.returncode == 1, (result.stdout + result.stderr)[-3000:]
    run_results = json.loads((work_dir / "target" / "run_results.json").read_text())
    return {
        node["unique_id"].split(".")[2]: (node["status"], node["failures"])
        for node in run_results["results"]
    }


@pytest.fixture(scope="module")
def planted(dbt_warehouse: DbtWarehouse, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the fixture warehouse with the old and new rows planted."""
    warehouse = tmp_path_factory.mktemp("new_rows") / "warehouse.duckdb"
    shutil.copyfile(dbt_warehouse.path, warehouse)
    _plant(warehouse)
    return warehouse


def _failures(warehouse: Path) -> dict[str, set[tuple]]:
    keys = "rule, columns, offending_value, cast(rows_found as integer)"
    return {
        EVENTS_KEYS: stored_failures(warehouse, EVENTS_KEYS, keys),
        EVENTS_NOT_NULL: stored_failures(
            warehouse, EVENTS_NOT_NULL, "column_name, cast(null_rows as integer)"
        ),
        INTERVALS_KEYS: stored_failures(warehouse, INTERVALS_KEYS, keys),
        CHANGELOG_PARENTS: stored_failures(warehouse, CHANGELOG_PARENTS, "from_field"),
        STATUS_PARENTS: stored_failures(warehouse, STATUS_PARENTS, "from_field"),
    }


@pytest.fixture(scope="module")
def with_cutoff(planted: Path, tmp_path_factory: pytest.TempPathFactory):
    """The tests run with the cutoff on a copy of the planted warehouse."""
    work_dir = tmp_path_factory.mktemp("with_cutoff")
    warehouse = work_dir / "warehouse.duckdb"
    shutil.copyfile(planted, warehouse)
    return _run_tests(warehouse, work_dir, CUTOFFS), _failures(warehouse)


@pytest.fixture(scope="module")
def without_cutoff(planted: Path, tmp_path_factory: pytest.TempPathFactory):
    """The same tests with no cutoff: every row."""
    work_dir = tmp_path_factory.mktemp("without_cutoff")
    warehouse = work_dir / "warehouse.duckdb"
    shutil.copyfile(planted, warehouse)
    return _run_tests(warehouse, work_dir, None), _failures(warehouse)


def test_with_a_cutoff_only_the_new_duplicates_nulls_and_orphans_fail_and_are_named(with_cutoff):
    statuses, failures = with_cutoff
    assert statuses == {
        EVENTS_KEYS: ("fail", 1),
        EVENTS_NOT_NULL: ("fail", 1),
        INTERVALS_KEYS: ("fail", 1),
        CHANGELOG_PARENTS: ("fail", 1),
        STATUS_PARENTS: ("fail", 1),
    }
    assert failures == {
        EVENTS_KEYS: {("unique", "event_id", "e-new", 2)},
        EVENTS_NOT_NULL: {("event_type", 1)},
        INTERVALS_KEYS: {("unique_combination", "issue_id, change_number", "7, 1", 2)},
        CHANGELOG_PARENTS: {("ghost-new",)},
        STATUS_PARENTS: {("ghost-new",)},
    }


def test_without_a_cutoff_the_old_duplicates_are_found_too(without_cutoff):
    statuses, failures = without_cutoff
    assert statuses == {
        EVENTS_KEYS: ("fail", 2),
        EVENTS_NOT_NULL: ("fail", 1),
        INTERVALS_KEYS: ("fail", 2),
        CHANGELOG_PARENTS: ("fail", 2),
        STATUS_PARENTS: ("fail", 2),
    }
    assert failures == {
        EVENTS_KEYS: {("unique", "event_id", "e-new", 2), ("unique", "event_id", "e-old", 2)},
        EVENTS_NOT_NULL: {("event_type", 1)},
        INTERVALS_KEYS: {
            ("unique_combination", "issue_id, change_number", "7, 1", 2),
            ("unique_combination", "issue_id, change_number", "9, 0", 2),
        },
        CHANGELOG_PARENTS: {("ghost-old",), ("ghost-new",)},
        STATUS_PARENTS: {("ghost-old",), ("ghost-new",)},
    }


def test_a_malformed_cutoff_stops_the_test_with_a_message_naming_it(planted, tmp_path, monkeypatch):
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(planted, warehouse)
    monkeypatch.setenv(CUTOFFS_ENV_VAR, json.dumps({"stg_analytics__events": "1 May; drop x"}))
    result = run_dbt(["test", "--select", EVENTS_KEYS], warehouse, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "'1 May; drop x' for stg_analytics__events is not a" in output
