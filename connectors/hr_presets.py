"""HR headcount exports of BambooHR, Workday, HiBob and a generic shape, recognised by
their columns and read as `hr__employees` and `hr__compensation`.

`hr/headcount.csv` may come from any of these tools (the header says which: the first
preset whose required columns are all present wins); a Workday report-as-a-service
(RaaS) JSON export is read from `hr/headcount.json` (`{"Report_Entry": [{...}, ...]}`,
"line" = the entry's 1-based position). Every preset is translated into BambooHR's
columns and read by `connectors.bamboohr.read_headcount_rows`, so all of them get the
same rules: names and e-mails are pseudonymised at the door, `0000-00-00` means no date,
salaries go to the restricted compensation table only.

| headcount column | Workday (custom report / RaaS) | HiBob (People export) | generic |
|---|---|---|---|
| Employee # | `Employee_ID`, `Employee ID` | `Employee ID` | `employee_id` |
| Work Email | `Email_-_Work`, `Work_Email`, `Work Email` | `Email`, `Work email` | `email` |
| Department | `Department`, `Supervisory_Organization` | `Department` | `department` |
| Division | `Division`, `Company` | `Division` | `division` |
| Team | `Team` | `Team`, `Squad` | `team` |
| Job Title | `Business_Title`, `Job_Profile` | `Job title` | `job_title` |
| Location | `Location` | `Site`, `Location` | `location` |
| Reports To | `Manager_ID`, `Manager ID` | `Reports to ID`, `Manager ID` | `manager_id` |
| Hire Date | `Hire_Date`, `Hire Date` | `Start date` | `start_date` |
| Termination Date | `Termination_Date`, `Termination Date` | `Termination date` | `end_date` |
| FTE | `FTE` | `FTE`, `FTE %`, `Work percentage` | `fte` |
| salary amount | `Total_Base_Pay_Annualized`, `Annual_Base_Pay` | `Base salary` | `salary` |
| currency | `Currency`, `Total_Base_Pay_Annualized_-_Currency` | `Base salary currency`, `Currency` | `currency` |
| pay period | — (annualised) | `Base salary pay period` | `salary_period` |
| effective date | `Compensation_Effective_Date`, `Effective_Date` | `Salary effective date` | `salary_effective_date` |

Only the employee id is required besides each preset's recognising columns (Workday:
`Employee_ID` and `Hire_Date`; HiBob: `Employee ID` and `Start date`; generic:
`employee_id` and `start_date`); any other absent column is empty. Dates are ISO
(`2024-03-01`); Workday's `2024-03-01-08:00` (a date with an offset) and HiBob's
`01/03/2024` (day first) are read too. Pay periods: `Year`/`Annual`, `Month`/`Monthly`,
`Quarter`, `Week`/`Weekly`, `Day`/`Daily`, `Hour`/`Hourly` (default: a year). The role
family (pm, engineering, design, other) comes from the catalog's `role_families`, keyed
by the job title.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from connectors import schemas
from connectors.bamboohr import (
    HEADCOUNT_COLUMNS,
    NO_DATE,
    REQUIRED_COLUMNS,
    read_headcount_rows,
)
from connectors.csv_headers import read_header
from connectors.currencies import parse_currency
from connectors.errors import SourceFileError
from connectors.pseudonymise import Pseudonymiser
from connectors.source_files import iter_csv_rows, load_json, relative_name
from connectors.values import cell, parse_number, text

HR_DIR = Path("hr")
CSV_FILE = HR_DIR / "headcount.csv"
JSON_FILE = HR_DIR / "headcount.json"
SALARY, CURRENCY, PERIOD = "salary", "currency", "salary_period"
PAY_RATE, PAY_PER = "Pay Rate", "Pay Per"
PERIOD_NAMES = {
    "year": "Year",
    "yearly": "Year",
    "annual": "Year",
    "annually": "Year",
    "month": "Month",
    "monthly": "Month",
    "quarter": "Quarter",
    "quarterly": "Quarter",
    "week": "Week",
    "weekly": "Week",
    "day": "Day",
    "daily": "Day",
    "hour": "Hour",
    "hourly": "Hour",
}
_DATE_WITH_OFFSET = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[+-]\d{2}:\d{2}|Z)")


@dataclass(frozen=True)
class HrPreset:
    """How one tool names the headcount columns: column → candidate names (first wins).

    Columns are `HEADCOUNT_COLUMNS` names, or `salary`/`currency`/`salary_period` for
    tools that give the amount and its currency apart.
    """

    name: str
    columns: Mapping[str, tuple[str, ...]]
    required: tuple[str, ...]
    date_formats: tuple[str, ...] = ()

    def resolve(self, header: list[str]) -> tuple[dict[str, str], list[str]]:
        """(column → the file's name for it, required columns the header lacks)."""
        found = {}
        for column, candidates in self.columns.items():
            present = next((c for c in candidates if c in header), None)
            if present is not None:
                found[column] = present
        return found, [c for c in self.required if c not in found]


BAMBOOHR = HrPreset("bamboohr", {c: (c,) for c in HEADCOUNT_COLUMNS}, REQUIRED_COLUMNS)
WORKDAY = HrPreset(
    "workday",
    {
        "Employee #": ("Employee_ID", "Employee ID"),
        "Work Email": ("Email_-_Work", "Work_Email", "Work Email"),
        "Department": ("Department", "Supervisory_Organization", "Supervisory Organization"),
        "Division": ("Division", "Company"),
        "Team": ("Team",),
        "Job Title": ("Business_Title", "Business Title", "Job_Profile", "Job Profile"),
        "Location": ("Location",),
        "Reports To": ("Manager_ID", "Manager ID"),
        "Hire Date": ("Hire_Date", "Hire Date"),
        "Termination Date": ("Termination_Date", "Termination Date"),
        "FTE": ("FTE",),
        SALARY: ("Total_Base_Pay_Annualized", "Annual_Base_Pay", "Total Base Pay Annualized"),
        CURRENCY: ("Currency", "Total_Base_Pay_Annualized_-_Currency"),
        "Pay Rate Effective Date": ("Compensation_Effective_Date", "Effective_Date"),
    },
    required=("Employee #", "Hire Date"),
)
HIBOB = HrPreset(
    "hibob",
    {
        "Employee #": ("Employee ID",),
        "Work Email": ("Email", "Work email"),
        "Department": ("Department",),
        "Division": ("Division",),
        "Team": ("Team", "Squad"),
        "Job Title": ("Job title",),
        "Location": ("Site", "Location"),
        "Reports To": ("Reports to ID", "Manager ID"),
        "Hire Date": ("Start date",),
        "Termination Date": ("Termination date",),
        "FTE": ("FTE", "FTE %", "Work percentage"),
        SALARY: ("Base salary",),
        CURRENCY: ("Base salary currency", "Currency"),
        PERIOD: ("Base salary pay period",),
        "Pay Rate Effective Date": ("Salary effective date",),
    },
    required=("Employee #", "Hire Date"),
    date_formats=("%d/%m/%Y",),
)
GENERIC = HrPreset(
    "generic",
    {
        "Employee #": ("employee_id",),
        "Work Email": ("email",),
        "Department": ("department",),
        "Division": ("division",),
        "Team": ("team",),
        "Job Title": ("job_title",),
        "Location": ("location",),
        "Reports To": ("manager_id",),
        "Hire Date": ("start_date",),
        "Termination Date": ("end_date",),
        "FTE": ("fte",),
        SALARY: ("salary",),
        CURRENCY: ("currency",),
        PERIOD: ("salary_period",),
        "Pay Rate Effective Date": ("salary_effective_date",),
    },
    required=("Employee #", "Hire Date"),
)
HR_PRESETS: tuple[HrPreset, ...] = (BAMBOOHR, WORKDAY, HIBOB, GENERIC)


def _closest(header: list[str]) -> tuple[HrPreset, dict[str, str], list[str]]:
    """The preset missing the fewest required columns (the first of equals)."""
    ranked = [(preset, *preset.resolve(header)) for preset in HR_PRESETS]
    return min(ranked, key=lambda r: len(r[2]))


def detect_hr_preset(header: list[str], source: str) -> tuple[HrPreset, dict[str, str]]:
    """The preset whose required columns the header has, else an error at line 1
    naming the first missing column of the closest preset.

    A header that is one cell split by `;`, tabs or `|` is the wrong delimiter: the
    error says so and names the first column of the preset that the cell, split on it,
    would be.
    """
    preset, found, missing = _closest(header)
    if not missing:
        return preset, found
    delimiter = next((d for d in ";\t|" if len(header) == 1 and d in header[0]), None)
    if delimiter is not None:
        preset, _, _ = _closest([c.strip() for c in header[0].split(delimiter)])
        column = preset.columns[preset.required[0]][0]
        problem = f"expected comma-separated columns, got the header {header[0]!r}"
    else:
        column = preset.columns[missing[0]][0]
        wanted = list(preset.columns[missing[0]])
        problem = f"expected a {preset.name} headcount column {wanted} in {header}"
    raise SourceFileError(source, 1, column, problem)


def _date_text(formats: tuple[str, ...]) -> Callable[[str | None], str]:
    """A parser turning a tool's date into the ISO text the headcount reader reads."""

    def parse(value: str | None) -> str:
        cleaned = text(value)
        if cleaned is None or cleaned == NO_DATE:
            return ""
        with_offset = _DATE_WITH_OFFSET.fullmatch(cleaned)
        if with_offset:
            return with_offset.group(1)
        for fmt in formats:
            try:
                return datetime.strptime(cleaned, fmt).date().isoformat()
            except ValueError:
                continue
        if formats and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", cleaned):
            shown = ", ".join(["YYYY-MM-DD", *formats])
            raise ValueError(f"expected a date ({shown}) or empty, got {cleaned!r}")
        return cleaned  # ISO, or a bad value the headcount reader reports

    return parse


def _period(value: str | None) -> str:
    cleaned = text(value)
    if cleaned is None:
        return "Year"
    period = PERIOD_NAMES.get(cleaned.lower())
    if period is None:
        raise ValueError(f"expected a pay period {sorted(set(PERIOD_NAMES.values()))}")
    return period


def _headcount_row(
    record: Mapping[str, Any], preset: HrPreset, found: Mapping[str, str], source: str, line: int
) -> dict[str, str]:
    """One record of a tool, as a headcount row in BambooHR's columns (values as text)."""

    def raw(column: str) -> str | None:
        name = found.get(column)
        value = record.get(name) if name is not None else None
        return None if value is None else str(value)

    def parsed(column: str, parse: Callable[[str | None], Any]) -> Any:
        return cell(parse, raw(column), source, line, found.get(column, column))

    row = {column: raw(column) or "" for column in HEADCOUNT_COLUMNS}
    for column in ("Hire Date", "Termination Date", "Pay Rate Effective Date"):
        row[column] = parsed(column, _date_text(preset.date_formats))
    if SALARY in preset.columns:
        amount = parsed(SALARY, parse_number)
        if amount is not None:
            currency = parsed(CURRENCY, parse_currency)
            if currency is None:
                raise SourceFileError(
                    source, line, found.get(CURRENCY, CURRENCY), "expected the salary's currency"
                )
            row[PAY_RATE] = f"{amount:.2f} {currency}"
            row[PAY_PER] = parsed(PERIOD, _period)
        else:
            row[PAY_RATE] = row[PAY_PER] = ""
    return row


def _names(preset: HrPreset, found: Mapping[str, str]) -> dict[str, str]:
    names = {column: found.get(column, column) for column in HEADCOUNT_COLUMNS}
    if SALARY in found:
        names[PAY_RATE] = found[SALARY]
        names[PAY_PER] = found.get(PERIOD, found[SALARY])
    return names


def read_headcount_csv(path: Path, source: str, pseudonymise: Pseudonymiser) -> dict[str, pa.Table]:
    """`hr__*` from a BambooHR, Workday, HiBob or generic headcount CSV."""
    preset, found = detect_hr_preset(read_header(path, source), source)
    rows: Iterator[tuple[int, Mapping[str, str]]] = iter_csv_rows(
        path, source, list(found.values())
    )
    if preset is not BAMBOOHR:
        rows = ((line, _headcount_row(r, preset, found, source, line)) for line, r in rows)
    return read_headcount_rows(rows, source, pseudonymise, _names(preset, found))


def read_workday_json(path: Path, source: str, pseudonymise: Pseudonymiser) -> dict[str, pa.Table]:
    """`hr__*` from a Workday RaaS JSON export (`{"Report_Entry": [...]}`)."""
    payload = load_json(path, source)
    entries = payload.get("Report_Entry") if isinstance(payload, Mapping) else None
    if not isinstance(entries, list):
        raise SourceFileError(
            source, 1, "Report_Entry", 'expected a Workday report: {"Report_Entry": [...]}'
        )
    # RaaS leaves empty fields out of an entry, so the columns are those of any entry.
    header = sorted({k for e in entries if isinstance(e, Mapping) for k in e})
    found, missing = WORKDAY.resolve(header)
    if entries and missing:
        wanted = WORKDAY.columns[missing[0]][0]
        raise SourceFileError(source, 1, wanted, f"expected this field in the entries {header}")
    rows = []
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, Mapping):
            raise SourceFileError(source, position, None, "expected an object per Report_Entry")
        rows.append((position, _headcount_row(entry, WORKDAY, found, source, position)))
    return read_headcount_rows(rows, source, pseudonymise, _names(WORKDAY, found))


def read_hr_exports(sources_dir: Path, pseudonymise: Pseudonymiser) -> dict[str, pa.Table]:
    """Every `hr__*` table from `hr/headcount.csv` or `hr/headcount.json` (empty if neither)."""
    found = [p for p in (sources_dir / CSV_FILE, sources_dir / JSON_FILE) if p.is_file()]
    if len(found) > 1:
        raise SourceFileError(
            relative_name(found[1], sources_dir),
            None,
            None,
            "hr/headcount.csv also exists: keep one",
        )
    if not found:
        return {t.name: t.schema.empty_table() for t in schemas.HR_TABLES}
    path = found[0]
    source = relative_name(path, sources_dir)
    if path.suffix == ".json":
        return read_workday_json(path, source, pseudonymise)
    return read_headcount_csv(path, source, pseudonymise)
