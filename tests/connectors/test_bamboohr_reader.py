"""hr/headcount.csv → hr__employees and hr__compensation: typed, pseudonymous, strict dates."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from connectors import schemas
from connectors.bamboohr import HEADCOUNT_COLUMNS, read_hr_folder
from connectors.errors import SourceFileError
from connectors.pseudonymise import Pseudonymiser, person_key

ROWS = [
    {
        "Employee #": "1",
        "First Name": "Ada",
        "Last Name": "Lovelace",
        "Work Email": "Ada.Lovelace@Example.com ",
        "Department": "Engineering",
        "Division": "Platform",
        "Team": "Payments Core",
        "Job Title": "Senior Software Engineer",
        "Location": "Berlin",
        "Reports To": "2",
        "Hire Date": "2021-03-15",
        "Termination Date": "0000-00-00",
        "FTE": "0.8",
        "Pay Rate": "125,000.00 EUR",
        "Pay Per": "Year",
        "Pay Rate Effective Date": "2024-01-01",
    },
    {
        "Employee #": "2",
        "First Name": "Grace",
        "Last Name": "Hopper",
        "Work Email": "grace@example.com",
        "Department": "Product",
        "Division": "Platform",
        "Team": "Payments Core",
        "Job Title": "Product Manager",
        "Location": "London",
        "Reports To": "",
        "Hire Date": "2019-06-01",
        "Termination Date": "2025-02-28",
        "FTE": "100%",
        "Pay Rate": "60.00 GBP",
        "Pay Per": "Hour",
        "Pay Rate Effective Date": "",
    },
    {
        "Employee #": "3",
        "First Name": "Alan",
        "Last Name": "Turing",
        "Work Email": "",
        "Department": "Engineering",
        "Division": "Platform",
        "Team": "",
        "Job Title": "Contractor",
        "Location": "Remote",
        "Reports To": "2",
        "Hire Date": "",
        "Termination Date": "",
        "FTE": "",
        "Pay Rate": "",
        "Pay Per": "",
        "Pay Rate Effective Date": "0000-00-00",
    },
]
PERSONAL = ("Ada", "Lovelace", "Grace", "Hopper", "Alan", "Turing", "example.com")


def _csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADCOUNT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture
def write_headcount(tmp_path: Path, write_text: Callable[[Path, str], Path]) -> Callable[..., Path]:
    def write(rows: list[dict[str, str]]) -> Path:
        write_text(tmp_path / "hr" / "headcount.csv", _csv(rows))
        return tmp_path

    return write


def test_employees_are_typed_and_keyed(
    write_headcount: Callable[..., Path], pseudonymise: Pseudonymiser
) -> None:
    tables = read_hr_folder(write_headcount(ROWS), pseudonymise)
    assert tables["hr__employees"].schema == schemas.HR_EMPLOYEES.schema
    ada, grace, alan = tables["hr__employees"].to_pylist()
    assert ada == {
        "employee_key": pseudonymise("employee:1"),
        "person_key": person_key(pseudonymise, "ada.lovelace@example.com"),
        "manager_key": pseudonymise("employee:2"),
        "department": "Engineering",
        "division": "Platform",
        "team": "Payments Core",
        "job_title": "Senior Software Engineer",
        "location": "Berlin",
        "fte": 0.8,
        "hired_on": date(2021, 3, 15),
        "terminated_on": None,  # 0000-00-00
        "_source": "hr/headcount.csv",
    }
    assert grace["manager_key"] is None
    assert grace["terminated_on"] == date(2025, 2, 28)
    assert grace["fte"] == 1.0
    assert (alan["person_key"], alan["hired_on"], alan["fte"], alan["team"]) == (
        None,
        None,
        None,
        None,
    )


def test_compensation_is_annual_with_its_currency(
    write_headcount: Callable[..., Path], pseudonymise: Pseudonymiser
) -> None:
    tables = read_hr_folder(write_headcount(ROWS), pseudonymise)
    assert tables["hr__compensation"].schema == schemas.HR_COMPENSATION.schema
    pay = {r["employee_key"]: r for r in tables["hr__compensation"].to_pylist()}
    assert pay[pseudonymise("employee:1")] == {
        "employee_key": pseudonymise("employee:1"),
        "annual_salary": 125000.0,
        "currency": "EUR",
        "effective_on": date(2024, 1, 1),
        "_source": "hr/headcount.csv",
    }
    hourly = pay[pseudonymise("employee:2")]
    assert hourly["annual_salary"] == 60.0 * 2080
    assert hourly["effective_on"] == date(2019, 6, 1)  # no effective date: the hire date
    assert pseudonymise("employee:3") not in pay  # no pay rate, no compensation row


def test_no_name_or_email_lands(
    write_headcount: Callable[..., Path], pseudonymise: Pseudonymiser
) -> None:
    tables = read_hr_folder(write_headcount(ROWS), pseudonymise)
    leaks = [
        (name, column)
        for name, table in tables.items()
        for column in table.column_names
        if any(p in str(v) for v in table.column(column).to_pylist() for p in PERSONAL)
    ]
    assert leaks == []


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("Hire Date", "Bad Date", "expected a date YYYY-MM-DD, 0000-00-00 or empty"),
        ("Termination Date", "28/02/2025", "expected a date YYYY-MM-DD"),
        ("Pay Rate", "125000", "expected an amount and an ISO currency"),
        ("Pay Per", "Fortnight", "expected one of ['Year'"),
        ("FTE", "full", "expected a number"),
    ],
)
def test_a_bad_value_names_line_and_column(
    write_headcount: Callable[..., Path],
    pseudonymise: Pseudonymiser,
    column: str,
    value: str,
    expected: str,
) -> None:
    rows = [dict(r) for r in ROWS]
    rows[1][column] = value
    with pytest.raises(SourceFileError) as caught:
        read_hr_folder(write_headcount(rows), pseudonymise)
    assert (caught.value.path, caught.value.line, caught.value.column) == (
        "hr/headcount.csv",
        3,
        column,
    )
    assert expected in str(caught.value)


def test_a_repeated_employee_number_is_refused(
    write_headcount: Callable[..., Path], pseudonymise: Pseudonymiser
) -> None:
    with pytest.raises(SourceFileError, match="line 5.*duplicate employee number .*line 2"):
        read_hr_folder(write_headcount([*ROWS, ROWS[0]]), pseudonymise)


def test_a_missing_column_is_named(
    tmp_path: Path, write_text: Callable[[Path, str], Path], pseudonymise: Pseudonymiser
) -> None:
    write_text(tmp_path / "hr" / "headcount.csv", "Employee #,Work Email\n1,a@b.c\n")
    with pytest.raises(SourceFileError, match="line 1, column 'Department'"):
        read_hr_folder(tmp_path, pseudonymise)


def test_no_headcount_file_gives_empty_tables(tmp_path: Path, pseudonymise: Pseudonymiser) -> None:
    tables = read_hr_folder(tmp_path, pseudonymise)
    assert {n: t.num_rows for n, t in tables.items()} == {"hr__employees": 0, "hr__compensation": 0}
