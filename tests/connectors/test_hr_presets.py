"""Workday, HiBob and generic headcount exports read like BambooHR's, recognised by
their columns; names and e-mails never land; bad files name file, line and column."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from connectors.errors import SourceFileError
from connectors.hr_presets import read_hr_exports
from connectors.pseudonymise import Pseudonymiser, person_key

WORKDAY_CSV = """\
Employee_ID,Worker,Email_-_Work,Supervisory_Organization,Team,Business_Title,Location,Manager_ID,Hire_Date,Termination_Date,FTE,Total_Base_Pay_Annualized,Currency,Compensation_Effective_Date
21001,Ada Lovelace,ada@example.com,Payments,Payments Core,Product Manager,Berlin,,2019-03-04-08:00,,1,"120,000.00",EUR,2024-01-01
21002,Alan Turing,alan@example.com,Payments,Payments Core,Senior Software Engineer,London,21001,2020-06-01,2025-02-28,0.8,98000,GBP,
"""
HIBOB_CSV = """\
Employee ID,Display name,Email,Department,Squad,Job title,Site,Reports to ID,Start date,Termination date,Work percentage,Base salary,Base salary currency,Base salary pay period,Salary effective date
b-1,Grace Hopper,grace@example.com,Platform,Ledger,Staff Engineer,Tel Aviv,,01/03/2021,,80%,9000,ILS,Monthly,01/01/2025
"""
GENERIC_CSV = """\
employee_id,email,team,department,job_title,manager_id,location,fte,start_date,end_date,salary,currency,salary_effective_date
7,Edsger@Example.com,Ledger,Platform,Designer,,Amsterdam,0.5,2022-09-01,0000-00-00,70000,eur,2022-09-01
"""


@pytest.fixture
def hr_file(tmp_path: Path, write_text: Callable[[Path, str], Path]) -> Callable[[str], Path]:
    def write(content: str, name: str = "headcount.csv") -> Path:
        write_text(tmp_path / "hr" / name, content)
        return tmp_path

    return write


def test_workday_csv(hr_file: Callable[[str], Path], pseudonymise: Pseudonymiser) -> None:
    tables = read_hr_exports(hr_file(WORKDAY_CSV), pseudonymise)
    ada, alan = tables["hr__employees"].to_pylist()
    assert ada["employee_key"] == pseudonymise("employee:21001")
    assert ada["person_key"] == person_key(pseudonymise, "ada@example.com")
    assert alan["manager_key"] == ada["employee_key"]
    assert (ada["hired_on"], ada["terminated_on"]) == (date(2019, 3, 4), None)
    assert (alan["terminated_on"], alan["fte"]) == (date(2025, 2, 28), 0.8)
    assert (ada["department"], ada["team"], ada["job_title"]) == (
        "Payments",
        "Payments Core",
        "Product Manager",
    )
    pay = tables["hr__compensation"].to_pylist()
    assert [(p["annual_salary"], p["currency"], p["effective_on"]) for p in pay] == [
        (120000.0, "EUR", date(2024, 1, 1)),
        (98000.0, "GBP", date(2020, 6, 1)),  # no effective date: the hire date
    ]


def test_workday_raas_json(
    tmp_path: Path, write_json: Callable[[Path, object], Path], pseudonymise: Pseudonymiser
) -> None:
    entries = [
        {"Employee_ID": "21001", "Worker": "Ada Lovelace", "Hire_Date": "2019-03-04-08:00",
         "Total_Base_Pay_Annualized": "120000", "Currency": "EUR"},
        {"Employee_ID": "21002", "Hire_Date": "2020-06-01", "Manager_ID": "21001"},
    ]  # fmt: skip
    write_json(tmp_path / "hr" / "headcount.json", {"Report_Entry": entries})
    tables = read_hr_exports(tmp_path, pseudonymise)
    employees = tables["hr__employees"].to_pylist()
    assert [e["employee_key"] for e in employees] == [
        pseudonymise("employee:21001"),
        pseudonymise("employee:21002"),
    ]
    assert employees[1]["manager_key"] == employees[0]["employee_key"]
    assert tables["hr__compensation"].column("annual_salary").to_pylist() == [120000.0]
    assert "Ada" not in json.dumps(tables["hr__employees"].to_pylist(), default=str)


def test_hibob_monthly_pay_in_shekels_becomes_annual(
    hr_file: Callable[[str], Path], pseudonymise: Pseudonymiser
) -> None:
    tables = read_hr_exports(hr_file(HIBOB_CSV), pseudonymise)
    (grace,) = tables["hr__employees"].to_pylist()
    assert (grace["hired_on"], grace["fte"], grace["team"], grace["location"]) == (
        date(2021, 3, 1),
        0.8,
        "Ledger",
        "Tel Aviv",
    )
    (pay,) = tables["hr__compensation"].to_pylist()
    assert (pay["annual_salary"], pay["currency"], pay["effective_on"]) == (
        108000.0,
        "ILS",
        date(2025, 1, 1),
    )


def test_generic_shape(hr_file: Callable[[str], Path], pseudonymise: Pseudonymiser) -> None:
    tables = read_hr_exports(hr_file(GENERIC_CSV), pseudonymise)
    (person,) = tables["hr__employees"].to_pylist()
    assert person["person_key"] == person_key(pseudonymise, "edsger@example.com")
    assert (person["terminated_on"], person["fte"]) == (None, 0.5)
    (pay,) = tables["hr__compensation"].to_pylist()
    assert (pay["annual_salary"], pay["currency"]) == (70000.0, "EUR")
    landed = json.dumps([t.to_pylist() for t in tables.values()], default=str).lower()
    assert "edsger" not in landed


@pytest.mark.parametrize(
    ("content", "line", "column", "says"),
    [
        (GENERIC_CSV.replace(",", ";"), 1, "employee_id", "comma-separated"),
        (GENERIC_CSV.replace("start_date", "started"), 1, "start_date", "generic"),
        (GENERIC_CSV.replace("70000", "seventy"), 2, "salary", "number"),
        (GENERIC_CSV.replace(",eur,", ",EUROS,"), 2, "currency", "ISO 4217"),
        (WORKDAY_CSV.replace(",EUR,", ",XYZ,"), 2, "Currency", "ISO 4217"),
        (HIBOB_CSV.replace("01/03/2021", "March 1st"), 2, "Start date", "date"),
        (HIBOB_CSV.replace("Monthly", "Fortnightly"), 2, "Base salary pay period", "pay period"),
        (WORKDAY_CSV.replace(',1,"120', ',lots,"120'), 2, "FTE", "FTE"),
    ],
)
def test_a_bad_file_names_file_line_and_column(
    hr_file: Callable[[str], Path],
    pseudonymise: Pseudonymiser,
    content: str,
    line: int,
    column: str,
    says: str,
) -> None:
    with pytest.raises(SourceFileError) as caught:
        read_hr_exports(hr_file(content), pseudonymise)
    error = caught.value
    assert (error.path, error.line, error.column) == ("hr/headcount.csv", line, column)
    assert says in str(error)
    assert str(error).startswith(f"hr/headcount.csv, line {line}, column {column!r}: ")


def test_an_unknown_currency_in_a_bamboohr_pay_rate_stops_the_read(
    tmp_path: Path, write_text: Callable[[Path, str], Path], pseudonymise: Pseudonymiser
) -> None:
    seeds = Path(__file__).resolve().parents[2] / "seeds" / "hr" / "headcount.csv"
    header, first = seeds.read_text(encoding="utf-8").splitlines()[:2]
    currency = first.split(" ")[-1].split(",")[0]
    write_text(tmp_path / "hr" / "headcount.csv", f"{header}\n{first.replace(currency, 'QQQ')}\n")
    with pytest.raises(SourceFileError) as caught:
        read_hr_exports(tmp_path, pseudonymise)
    assert (caught.value.line, caught.value.column) == (2, "Pay Rate")
    assert "'QQQ'" in str(caught.value)
