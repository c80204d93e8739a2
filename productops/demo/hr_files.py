"""hr/headcount.csv: the BambooHR custom report of everyone in the history."""

from __future__ import annotations

from pathlib import Path

from productops.demo.org import Company
from productops.demo.people import Person
from productops.demo.writers import CsvWriter

HEADER = (
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
NO_DATE = "0000-00-00"


def write_headcount(path: Path, company: Company, people: list[Person]) -> int:
    """One row per employee, current compensation effective from the hire date."""
    teams = {t.id: t for t in company.teams}
    divisions = {pf.id: pf.name for pf in company.portfolios}
    writer = CsvWriter(path, HEADER)
    for person in sorted(people, key=lambda p: p.employee_no):
        team = teams[person.team_id]
        writer.write(
            (
                person.employee_no,
                person.first_name,
                person.last_name,
                person.email,
                person.department,
                divisions[team.portfolio_id],
                team.name,
                person.title,
                person.location.name,
                person.manager_no or "",
                person.hired_on.isoformat(),
                person.terminated_on.isoformat() if person.terminated_on else NO_DATE,
                f"{person.fte:g}",
                f"{person.salary:.2f} {person.currency}",
                "Year",
                person.hired_on.isoformat(),
            )
        )
    return writer.close()
