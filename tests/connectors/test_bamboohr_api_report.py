"""BambooHR's API client against a fake BambooHR on 127.0.0.1.

Four people, one of them gone (terminated), with BambooHR's `0000-00-00` for "no date",
a monthly and an hourly pay rate and one person without pay: the API must give exactly
the rows the CSV export of the same people gives, and no name or e-mail may land.
"""

from __future__ import annotations

import base64
import csv
import json
import logging
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fake_export_apis import FakeBambooHr

from connectors.bamboohr import HEADCOUNT_COLUMNS
from connectors.bamboohr_api import REPORT_FIELDS, BambooHrApiConfig, read_bamboohr_api
from connectors.errors import SourceFileError
from connectors.hr_presets import read_hr_exports
from connectors.http import HttpError, RetryPolicy
from connectors.pseudonymise import Pseudonymiser
from connectors.registry import ReadContext
from connectors.sources import source

NO_WAIT = RetryPolicy(attempts=3, base_delay=0.0, sleep=lambda _: None)
API_KEY = "canary-bamboohr-key-7d2a1b"
SUBDOMAIN = "acme"
PEOPLE: list[dict[str, Any]] = [
    {
        "id": "4",
        "firstName": "Ines",
        "lastName": "Moreau",
        "workEmail": "Ines.Moreau@acme.example",
        "department": "Product",
        "division": "Payments",
        "jobTitle": "Director of Product",
        "location": "Berlin",
        "supervisorEId": None,
        "hireDate": "2019-03-04",
        "terminationDate": "0000-00-00",
        "payRate": "141,000.00 EUR",
        "paidPer": "Year",
        "payRateEffectiveDate": "2023-01-01",
    },
    {
        "id": "7",
        "firstName": "Tomas",
        "lastName": "Berg",
        "workEmail": "tomas.berg@acme.example",
        "department": "Engineering",
        "division": "Payments",
        "jobTitle": "Software Engineer",
        "location": "Lisbon",
        "supervisorEId": "4",
        "hireDate": "2021-06-01",
        "terminationDate": "0000-00-00",
        "payRate": "6000.00 EUR",
        "paidPer": "Month",
        "payRateEffectiveDate": "0000-00-00",
    },
    {
        "id": "9",
        "firstName": "Aiko",
        "lastName": "Tanaka",
        "workEmail": "aiko.tanaka@acme.example",
        "department": "Engineering",
        "division": "Cards",
        "jobTitle": "Contractor",
        "location": "Remote",
        "supervisorEId": "4",
        "hireDate": "2022-02-14",
        "terminationDate": "2024-09-30",
        "payRate": "50.00 USD",
        "paidPer": "Hour",
        "payRateEffectiveDate": "2022-02-14",
    },
    {
        "id": "12",
        "firstName": "Noor",
        "lastName": "Haddad",
        "workEmail": "noor.haddad@acme.example",
        "department": "Design",
        "division": "Cards",
        "jobTitle": "Product Designer",
        "location": "Amman",
        "supervisorEId": "7",
        "hireDate": "2024-11-18",
        "terminationDate": "0000-00-00",
        "payRate": None,
        "paidPer": None,
        "payRateEffectiveDate": "0000-00-00",
    },
]
CSV_NAMES = {
    "Employee #": "id",
    "First Name": "firstName",
    "Last Name": "lastName",
    "Work Email": "workEmail",
    "Department": "department",
    "Division": "division",
    "Job Title": "jobTitle",
    "Location": "location",
    "Reports To": "supervisorEId",
    "Hire Date": "hireDate",
    "Termination Date": "terminationDate",
    "Pay Rate": "payRate",
    "Pay Per": "paidPer",
    "Pay Rate Effective Date": "payRateEffectiveDate",
}


def _config(base_url: str, report_id: str | None = None) -> BambooHrApiConfig:
    return BambooHrApiConfig(SUBDOMAIN, API_KEY, report_id, base_url=base_url, retry=NO_WAIT)


def _csv_tables(tmp_path: Path, pseudonymise: Pseudonymiser) -> dict:
    """The same people as BambooHR's CSV custom report (`hr/headcount.csv`)."""
    path = tmp_path / "sources" / "hr" / "headcount.csv"
    path.parent.mkdir(parents=True)
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, HEADCOUNT_COLUMNS)
        writer.writeheader()
        for person in PEOPLE:
            # Team and FTE are not BambooHR fields: empty in both paths.
            cells = {column: person.get(CSV_NAMES.get(column, "")) for column in HEADCOUNT_COLUMNS}
            writer.writerow({column: value or "" for column, value in cells.items()})
    return read_hr_exports(tmp_path / "sources", pseudonymise)


def _without_source(table: Any) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "_source"} for r in table.to_pylist()]


def test_custom_report_rows_equal_the_csv_rows_for_the_same_people(
    tmp_path: Path, pseudonymise: Pseudonymiser
) -> None:
    with FakeBambooHr(SUBDOMAIN, API_KEY, PEOPLE) as fake:
        fake.faults = [("/reports/custom", 429), ("/reports/custom", 503)]
        tables = read_bamboohr_api(_config(fake.base_url), pseudonymise)
    # Names are never asked for; every field the headcount needs is.
    assert fake.asked_fields == list(REPORT_FIELDS)
    assert "firstName" not in fake.asked_fields and "lastName" not in fake.asked_fields
    assert all("onlyCurrent=false" in r for r in fake.requests)
    from_csv = _csv_tables(tmp_path, pseudonymise)
    for name in ("hr__employees", "hr__compensation"):
        assert _without_source(tables[name]) == _without_source(from_csv[name]), name
    employees = {r["employee_key"]: r for r in tables["hr__employees"].to_pylist()}
    assert len(employees) == 4  # the person who left is read too
    gone = employees[pseudonymise("employee:9")]
    assert gone["terminated_on"] == date(2024, 9, 30)
    assert gone["manager_key"] == pseudonymise("employee:4")
    director = employees[pseudonymise("employee:4")]
    assert director["terminated_on"] is None and director["manager_key"] is None
    assert director["person_key"] == pseudonymise("ines.moreau@acme.example")
    pay = {
        (r["employee_key"], r["effective_on"]): (r["annual_salary"], r["currency"])
        for r in tables["hr__compensation"].to_pylist()
    }
    assert pay == {
        (pseudonymise("employee:4"), date(2023, 1, 1)): (141000.0, "EUR"),
        # 0000-00-00 effective date: the hire date; 6000 a month is 72000 a year.
        (pseudonymise("employee:7"), date(2021, 6, 1)): (72000.0, "EUR"),
        (pseudonymise("employee:9"), date(2022, 2, 14)): (104000.0, "USD"),
    }
    assert {r["_source"] for r in tables["hr__employees"].to_pylist()} == {
        f"{fake.base_url}/api/gateway.php/acme/v1/reports/custom"
    }
    landed = json.dumps([t.to_pylist() for t in tables.values()], default=str)
    for person in PEOPLE:
        for secret_field in ("firstName", "lastName", "workEmail"):
            assert person[secret_field] not in landed
    assert "@" not in landed


def test_a_saved_report_through_the_hr_source(tmp_path: Path, pseudonymise: Pseudonymiser) -> None:
    with FakeBambooHr(SUBDOMAIN, API_KEY, PEOPLE, report_id="42") as fake:
        context = ReadContext(
            sources_dir=tmp_path / "no-files",
            pseudonymise=pseudonymise,
            bamboohr=_config(fake.base_url, report_id="42"),
        )
        tables = source("hr").read(context)
    assert [r.split("?")[0] for r in fake.requests] == ["/api/gateway.php/acme/v1/reports/42"]
    assert tables["hr__employees"].num_rows == 4
    assert tables["hr__compensation"].num_rows == 3


def test_a_bad_date_names_the_report_employee_and_column(
    pseudonymise: Pseudonymiser,
) -> None:
    broken = [{**PEOPLE[0]}, {**PEOPLE[1], "hireDate": "Bad Date"}]
    with FakeBambooHr(SUBDOMAIN, API_KEY, broken) as fake, pytest.raises(SourceFileError) as err:
        read_bamboohr_api(_config(fake.base_url), pseudonymise)
    message = str(err.value)
    assert "/v1/reports/custom" in message and "line 2" in message
    assert "'Hire Date'" in message and "Bad Date" in message


def test_the_api_key_never_reaches_errors_logs_or_reprs(
    pseudonymise: Pseudonymiser, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    basic = base64.b64encode(f"{API_KEY}:x".encode()).decode()
    with FakeBambooHr(SUBDOMAIN, API_KEY, PEOPLE) as fake:
        fake.faults = [("/reports/custom", 500)] * 3
        config = _config(fake.base_url)
        with pytest.raises(HttpError) as failure:
            read_bamboohr_api(config, pseudonymise)
    assert "HTTP 500" in str(failure.value) and failure.value.attempts == 3
    for text in (str(failure.value), repr(failure.value), repr(config), caplog.text):
        assert API_KEY not in text and basic not in text
