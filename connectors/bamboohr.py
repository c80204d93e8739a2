"""BambooHR headcount (`hr/headcount.csv`, a custom report) into `hr__employees` and
`hr__compensation`.

Names and e-mails are read only to pseudonymise them: `person_key` is
`pseudonymise(lower(strip(Work Email)))`, `employee_key`/`manager_key` are
`pseudonymise("employee:" + Employee #)`. First and last names are never read.

Rules for values BambooHR writes oddly:
- Dates: `0000-00-00` (BambooHR's "no date") and empty are null. Anything else that
  is not `YYYY-MM-DD` (BambooHR's demo company writes `Bad Date`) is an error naming
  the line and column: a wrong hire or termination date silently becoming null would
  put a person's cost in the wrong months.
- `Pay Rate` is `"125000.00 USD"` (thousands separators allowed). `Pay Per` converts
  it to an annual full-time amount: Year ×1, Month ×12, Quarter ×4, Week ×52,
  Day ×260, Hour ×2080 (52 weeks of 5 days of 8 hours).
- `FTE` is a number (`0.8`) or a percentage (`80%`); empty stays null.
- The compensation row is dated `Pay Rate Effective Date`, else the hire date; an
  employee with an empty `Pay Rate` gets no compensation row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa

from connectors import schemas
from connectors.arrow_tables import TableBuilder
from connectors.currencies import parse_currency
from connectors.errors import SourceFileError
from connectors.pseudonymise import Pseudonymiser, person_key
from connectors.source_files import iter_csv_rows, relative_name
from connectors.values import cell, parse_date, parse_number, text

HEADCOUNT_FILE = Path("hr") / "headcount.csv"
HEADCOUNT_COLUMNS = (
    "Employee #",
    "First Name",
    "Last Name",
    "Work Email",
    "Department",
    "Division",
    "Team",
    "Job Title",
    "Location",
    "Reports To",
    "Hire Date",
    "Termination Date",
    "FTE",
    "Pay Rate",
    "Pay Per",
    "Pay Rate Effective Date",
)
# Names are in the export but never needed, so a report without them reads too.
REQUIRED_COLUMNS = tuple(c for c in HEADCOUNT_COLUMNS if c not in ("First Name", "Last Name"))

NO_DATE = "0000-00-00"
PERIODS_PER_YEAR = {"Year": 1, "Month": 12, "Quarter": 4, "Week": 52, "Day": 260, "Hour": 2080}
_PAY_RATE = re.compile(r"(?P<amount>[0-9][0-9,]*(?:\.[0-9]+)?)\s+(?P<currency>[A-Z]{3})")


def parse_hr_date(value: str | None) -> date | None:
    """A BambooHR date: `YYYY-MM-DD`; `0000-00-00` and empty mean no date."""
    if text(value) in (None, NO_DATE):
        return None
    try:
        return parse_date(value)
    except ValueError:
        raise ValueError(
            f"expected a date YYYY-MM-DD, {NO_DATE} or empty for no date, got {text(value)!r}"
        ) from None


def parse_pay_rate(value: str | None) -> tuple[float, str] | None:
    """`"125000.00 USD"` as (125000.0, "USD"); empty gives None."""
    cleaned = text(value)
    if cleaned is None:
        return None
    match = _PAY_RATE.fullmatch(cleaned)
    amount = parse_number(match.group("amount")) if match else None
    if match is None or amount is None:
        raise ValueError(
            f"expected an amount and an ISO currency such as '125000.00 USD', got {cleaned!r}"
        )
    return amount, parse_currency(match.group("currency"))


def parse_fte(value: str | None) -> float | None:
    """A full-time equivalent: `1`, `0.8` or `80%`; empty gives None."""
    cleaned = text(value)
    if cleaned is None:
        return None
    percent = cleaned.endswith("%")
    number = parse_number(cleaned[:-1] if percent else cleaned)
    fte = number / 100 if percent and number is not None else number
    if fte is None or not 0 < fte <= 1.5:
        raise ValueError(f"expected an FTE between 0 and 1 (e.g. 0.8 or 80%), got {cleaned!r}")
    return fte


def _periods_per_year(value: str | None) -> int:
    cleaned = text(value)
    if cleaned not in PERIODS_PER_YEAR:
        raise ValueError(f"expected one of {list(PERIODS_PER_YEAR)}, got {cleaned!r}")
    return PERIODS_PER_YEAR[cleaned]


class _Cells:
    """The parsed cells of one row; a bad cell names its line and column.

    `names` maps a headcount column to the export's own name for it (a Workday or HiBob
    preset), so errors name the column the user sees in the file.
    """

    def __init__(
        self,
        row: Mapping[str, str],
        source: str,
        line: int,
        names: Mapping[str, str] | None = None,
    ) -> None:
        self.row, self.source, self.line = row, source, line
        self.names = names or {}

    def name(self, column: str) -> str:
        """The file's name of `column`."""
        return self.names.get(column, column)

    def __call__(self, column: str, parse: Callable[[str | None], Any] = text) -> Any:
        return cell(parse, self.row.get(column), self.source, self.line, self.name(column))


def read_headcount_rows(
    rows: Iterable[tuple[int, Mapping[str, str]]],
    source: str,
    pseudonymise: Pseudonymiser,
    names: Mapping[str, str] | None = None,
) -> dict[str, pa.Table]:
    """`hr__employees` and `hr__compensation` from headcount rows `(line, {column: text})`.

    The rows carry the CSV's column names (`HEADCOUNT_COLUMNS`); `line` is what errors
    name, so rows adapted from another format can point at their own lines, and `names`
    maps each column to the export's own name for it, which errors name instead.
    """
    employees = TableBuilder(schemas.HR_EMPLOYEES)
    compensation = TableBuilder(schemas.HR_COMPENSATION)
    seen: dict[str, int] = {}
    for line, row in rows:
        value = _Cells(row, source, line, names)
        number = value("Employee #")
        if number is None:
            raise SourceFileError(
                source, line, value.name("Employee #"), "expected the employee number"
            )
        if number in seen:
            raise SourceFileError(
                source,
                line,
                value.name("Employee #"),
                f"duplicate employee number (also on line {seen[number]})",
            )
        seen[number] = line
        employee_key = pseudonymise("employee:" + number)
        manager = value("Reports To")
        hired_on = value("Hire Date", parse_hr_date)
        employees.add(
            {
                "employee_key": employee_key,
                "person_key": person_key(pseudonymise, row.get("Work Email")),
                "manager_key": pseudonymise("employee:" + manager) if manager else None,
                "department": value("Department"),
                "division": value("Division"),
                "team": value("Team"),
                "job_title": value("Job Title"),
                "location": value("Location"),
                "fte": value("FTE", parse_fte),
                "hired_on": hired_on,
                "terminated_on": value("Termination Date", parse_hr_date),
                "_source": source,
            }
        )
        pay = value("Pay Rate", parse_pay_rate)
        if pay is None:
            continue
        amount, currency = pay
        effective_on = value("Pay Rate Effective Date", parse_hr_date) or hired_on
        if effective_on is None:
            raise SourceFileError(
                source,
                line,
                value.name("Pay Rate Effective Date"),
                "expected a date for the pay rate (or a Hire Date to fall back on)",
            )
        compensation.add(
            {
                "employee_key": employee_key,
                "annual_salary": amount * value("Pay Per", _periods_per_year),
                "currency": currency,
                "effective_on": effective_on,
                "_source": source,
            }
        )
    return {
        schemas.HR_EMPLOYEES.name: employees.finish(),
        schemas.HR_COMPENSATION.name: compensation.finish(),
    }


def read_hr_folder(sources_dir: Path, pseudonymise: Pseudonymiser) -> dict[str, pa.Table]:
    """Every `hr__*` table from `<sources_dir>/hr/headcount.csv` (empty when absent)."""
    path = sources_dir / HEADCOUNT_FILE
    if not path.is_file():
        return {t.name: t.schema.empty_table() for t in schemas.HR_TABLES}
    source = relative_name(path, sources_dir)
    return read_headcount_rows(iter_csv_rows(path, source, REQUIRED_COLUMNS), source, pseudonymise)


def headcount_row_from_api_user(user: Mapping[str, Any]) -> dict[str, str]:
    """A BambooHR API employee object (field names as in `/v1/employees`) as a headcount row.

    `Employee #` is the employee's BambooHR `id`, because that is what `supervisorEId`
    (the manager) refers to; `Team` and `FTE` are not standard BambooHR fields and stay
    empty.
    """

    def field(name: str) -> str:
        raw = user.get(name)
        return "" if raw is None else str(raw)

    return {
        "Employee #": field("id"),
        "First Name": field("firstName"),
        "Last Name": field("lastName"),
        "Work Email": field("workEmail"),
        "Department": field("department"),
        "Division": field("division"),
        "Team": "",
        "Job Title": field("jobTitle"),
        "Location": field("location"),
        "Reports To": field("supervisorEId"),
        "Hire Date": field("hireDate"),
        "Termination Date": field("terminationDate"),
        "FTE": "",
        "Pay Rate": field("payRate"),
        "Pay Per": field("paidPer"),
        "Pay Rate Effective Date": field("payRateEffectiveDate"),
    }
