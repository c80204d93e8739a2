"""HR employee rows for the quality gate's tests: contract columns with plausible defaults."""

from __future__ import annotations

from datetime import date

import pyarrow as pa

from connectors.schemas import HR_EMPLOYEES

EMPLOYEE_DEFAULTS = {
    "employee_key": None,
    "person_key": "p",
    "manager_key": None,
    "department": "R&D",
    "division": "Platform",
    "team": "Core",
    "job_title": "Engineer",
    "location": "Berlin",
    "fte": 1.0,
    "hired_on": date(2024, 1, 1),
    "terminated_on": None,
    "_source": "hr/headcount.csv",
}


def employees(rows: list[dict]) -> pa.Table:
    """A raw.hr__employees batch: each of `rows` over the defaults."""
    return pa.Table.from_pylist(
        [{**EMPLOYEE_DEFAULTS, **row} for row in rows], schema=HR_EMPLOYEES.schema
    )
