"""The quality gate's suites on hand-made rows: each kind of bad export fails the check
that names it, with the failing rows as samples, and a good export passes every check."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest
from employee_rows import employees as _employees

from connectors.schemas import HR_COMPENSATION, HR_EMPLOYEES, JIRA_STATUSES
from orchestration.defs.sources.quality import (
    check_names,
    comparable_previous,
    minimum_rows,
    validate_table,
)


def _outcomes(table, rows, previous=None) -> dict:
    return {o.check: o for o in validate_table(table, rows, previous)}


GOOD = [{"employee_key": "e1", "fte": 1.0}, {"employee_key": "e2", "fte": 0.5}]


def test_a_good_export_passes_every_check_of_its_table():
    outcomes = _outcomes(HR_EMPLOYEES, _employees(GOOD), previous=2)

    assert (
        list(outcomes)
        == check_names(HR_EMPLOYEES)
        == [
            "columns_and_types",
            "keys_not_null",
            "keys_unique",
            "value_ranges",
            "row_count_vs_previous",
        ]
    )
    assert all(o.passed for o in outcomes.values())


def test_fte_outside_0_to_1_5_fails_value_ranges_with_the_row():
    rows = _employees(
        [*GOOD, {"employee_key": "e3", "fte": 0.0}, {"employee_key": "e4", "fte": 2.0}]
    )

    outcome = _outcomes(HR_EMPLOYEES, rows)["value_ranges"]

    assert not outcome.passed
    assert outcome.failures == ("2 of 4 rows have 'fte' outside (0, 1.5]",)
    assert [(r["employee_key"], r["fte"]) for r in outcome.sample_rows] == [
        ("e3", 0.0),
        ("e4", 2.0),
    ]


def test_a_missing_or_repeated_key_fails_the_key_checks():
    rows = _employees([*GOOD, {"employee_key": None}, {"employee_key": "e1", "team": "Growth"}])

    outcomes = _outcomes(HR_EMPLOYEES, rows)

    assert outcomes["keys_not_null"].failures == ("1 of 4 rows have no 'employee_key'",)
    assert outcomes["keys_unique"].failures == (
        "2 of 4 rows share a key (employee_key) with another row",
    )
    assert {r["team"] for r in outcomes["keys_unique"].sample_rows} == {"Core", "Growth"}


def test_a_wrong_type_or_missing_column_fails_columns_and_types():
    rows = _employees(GOOD).drop_columns(["location"])
    rows = rows.set_column(
        rows.schema.get_field_index("fte"), "fte", pa.array(["1.0", "0.5"], pa.string())
    )

    outcome = _outcomes(HR_EMPLOYEES, rows)["columns_and_types"]

    assert set(outcome.failures) == {
        "missing columns ['location']",
        "column 'fte' holds str, the contract says float",
    }


def test_a_table_shrinking_by_more_than_half_fails_against_the_previous_load():
    assert minimum_rows(None) == 0 and minimum_rows(5) == 3
    assert _outcomes(HR_EMPLOYEES, _employees(GOOD), previous=4)["row_count_vs_previous"].passed

    outcome = _outcomes(HR_EMPLOYEES, _employees(GOOD), previous=5)["row_count_vs_previous"]

    assert outcome.failures == (
        "2 rows, fewer than 3 (the previous load landed 5; at most 50% shrinkage is accepted)",
    )


def test_a_status_category_outside_the_contract_fails_accepted_values():
    rows = pa.Table.from_pylist(
        [
            {"status_id": "1", "status_name": "Done", "status_category": "done"},
            {"status_id": "2", "status_name": "Parked", "status_category": "someday"},
        ],
        schema=JIRA_STATUSES.schema,
    )

    outcome = _outcomes(JIRA_STATUSES, rows)["accepted_values"]

    assert outcome.failures == (
        "1 of 2 rows have 'status_category' outside ['new', 'indeterminate', 'done']: ['someday']",
    )


@pytest.mark.parametrize("salary", [0.0, -90000.0])
def test_salary_samples_are_masked(salary):
    rows = pa.Table.from_pylist(
        [
            {
                "employee_key": "e1",
                "annual_salary": salary,
                "currency": "EUR",
                "effective_on": date(2024, 1, 1),
                "_source": "hr/headcount.csv",
            }
        ],
        schema=HR_COMPENSATION.schema,
    )

    outcome = _outcomes(HR_COMPENSATION, rows)["value_ranges"]

    assert not outcome.passed
    assert outcome.sample_rows[0]["annual_salary"] == "<restricted>"
    assert str(salary) not in outcome.message()


def test_an_incremental_api_fetch_is_not_compared_with_the_previous_load():
    from_file = _employees(GOOD)
    from_api = from_file.set_column(
        from_file.schema.get_field_index("_source"),
        "_source",
        pa.array(["https://acme.bamboohr.com/api/v1/employees"] * 2),
    )

    assert comparable_previous(from_file, 5) == 5
    assert comparable_previous(from_api, 5) is None
    assert _outcomes(HR_EMPLOYEES, from_api, comparable_previous(from_api, 5))[
        "row_count_vs_previous"
    ].passed
