"""The headcount reader on BambooHR's demo company, as Airbyte recorded its API users.

Each RECORD line wraps one BambooHR employee object; `headcount_row_from_api_user`
turns it into a headcount.csv row, and the rows go through the same reader as the CSV.
The rule for dates: `0000-00-00` (and empty) is BambooHR's "no date" and becomes null;
any other value that is not a date (the demo company has one employee with "Bad Date")
stops the read with an error naming the line and column.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from connectors.bamboohr import headcount_row_from_api_user, read_headcount_rows
from connectors.errors import SourceFileError
from connectors.pseudonymise import Pseudonymiser, person_key

LOG = Path("bamboohr") / "bamboohr_users_airbyte.log"
SOURCE = "bamboohr_users_airbyte.log"
PERSONAL_FIELDS = (
    "firstName",
    "lastName",
    "middleName",
    "preferredName",
    "displayName",
    "fullName1",
    "fullName2",
    "fullName3",
    "fullName4",
    "fullName5",
    "workEmail",
    "homeEmail",
    "bestEmail",
    "supervisor",
    "supervisorEmail",
)


class _Users(list):
    """(line, user) pairs; the repr stays out of test reports (real people's names)."""

    def __repr__(self) -> str:
        return f"<{len(self)} BambooHR users>"


@pytest.fixture
def users(real_fixtures: Path) -> _Users:
    found = _Users()
    with (real_fixtures / LOG).open(encoding="utf-8") as handle:
        for line, text in enumerate(handle, start=1):
            message = json.loads(text)
            if message.get("type") == "RECORD":
                found.append((line, message["record"]["data"]))
    return found


def _is_date(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-"


def _readable(users: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, dict[str, Any]]]:
    return [(n, u) for n, u in users if _is_date(u["hireDate"]) and _is_date(u["terminationDate"])]


def test_a_bad_date_stops_the_read_naming_line_and_column(
    users: _Users, pseudonymise: Pseudonymiser
) -> None:
    bad_lines = [n for n, u in users if not _is_date(u["hireDate"])]
    assert len(bad_lines) == 1
    rows = ((n, headcount_row_from_api_user(u)) for n, u in users)
    with pytest.raises(SourceFileError) as caught:
        read_headcount_rows(rows, SOURCE, pseudonymise)
    assert (caught.value.line, caught.value.column) == (bad_lines[0], "Hire Date")
    assert "'Bad Date'" in str(caught.value)


def test_the_other_employees_land_with_the_no_date_sentinel_as_null(
    users: _Users, pseudonymise: Pseudonymiser
) -> None:
    readable = _readable(users)
    assert len(readable) == 86
    tables = read_headcount_rows(
        ((n, headcount_row_from_api_user(u)) for n, u in readable), SOURCE, pseudonymise
    )
    employees = tables["hr__employees"].to_pylist()
    assert len(employees) == 86
    sentinel = sum(u["terminationDate"] == "0000-00-00" for _, u in readable)
    assert sentinel > 0
    assert sum(e["terminated_on"] is None for e in employees) == sentinel
    assert all(e["hired_on"] is not None for e in employees)
    by_key = {e["employee_key"]: e for e in employees}
    for _, user in readable:
        row = by_key[pseudonymise("employee:" + user["id"])]
        assert row["person_key"] == person_key(pseudonymise, user["workEmail"])
        assert row["department"] == user["department"]


def test_pay_in_several_currencies_and_periods_becomes_annual(
    users: _Users, pseudonymise: Pseudonymiser
) -> None:
    readable = _readable(users)
    tables = read_headcount_rows(
        ((n, headcount_row_from_api_user(u)) for n, u in readable), SOURCE, pseudonymise
    )
    pay = {r["employee_key"]: r for r in tables["hr__compensation"].to_pylist()}
    assert len(pay) == sum(bool(u["payRate"]) for _, u in readable)
    assert Counter(r["currency"] for r in pay.values()) == Counter(
        u["payRate"].split()[-1] for _, u in readable if u["payRate"]
    )
    per_year = {"Year": 1, "Hour": 2080, "Day": 260}
    for _, user in readable:
        amount = float(user["payRate"].split()[0])
        row = pay[pseudonymise("employee:" + user["id"])]
        assert row["annual_salary"] == pytest.approx(amount * per_year[user["paidPer"]])


def test_no_name_or_email_lands(users: _Users, pseudonymise: Pseudonymiser) -> None:
    readable = _readable(users)
    secrets = {str(u[f]) for _, u in readable for f in PERSONAL_FIELDS if u.get(f)}
    emails = {s for s in secrets if "@" in s}
    tables = read_headcount_rows(
        ((n, headcount_row_from_api_user(u)) for n, u in readable), SOURCE, pseudonymise
    )
    leaks = [
        (name, column)
        for name, table in tables.items()
        for column in table.column_names
        if any(
            str(v) in secrets or any(e in str(v) for e in emails)
            for v in table.column(column).to_pylist()
        )
    ]
    assert leaks == []
