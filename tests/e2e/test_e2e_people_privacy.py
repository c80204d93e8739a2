"""People data stays out of the marts, and pseudonyms are stable under one key.

Names, e-mails and salaries come from the demo company's HR export
(seeds/hr/headcount.csv), read independently of the pipeline. Every table of the
`marts` schema of the built demo warehouse is searched: text cells for names and
e-mail addresses, numeric cells for any person's salary — annual, monthly, or the
monthly loaded cost METRICS.md computes from it — because a cost published for a group
of one person is that person's salary.
"""

from __future__ import annotations

import csv

import pytest
from demo_build import SEEDS_DIR, TEST_PSEUDONYM_KEY
from warehouse_reads import query, tables

from connectors.hr_presets import read_hr_exports
from connectors.pseudonymise import make_pseudonymiser

MONEY_TOLERANCE = 0.01


class _People:
    """The HR export's identities; the repr stays out of reports."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.emails: set[str] = set()
        self.salaries: set[float] = set()
        with (SEEDS_DIR / "hr" / "headcount.csv").open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                self.names.add(f"{row['First Name']} {row['Last Name']}".lower())
                self.names.add(f"{row['Last Name']}, {row['First Name']}".lower())
                self.emails.add(row["Work Email"].strip().lower())
                if row["Pay Rate"].strip():
                    self.salaries.add(float(row["Pay Rate"].split()[0].replace(",", "")))

    def __repr__(self) -> str:
        return f"<{len(self.emails)} people>"

    def salary_figures(self, loading_factors: set[float]) -> list[float]:
        """Annual salaries, their monthly twelfths and the monthly loaded costs."""
        figures = set(self.salaries)
        for salary in self.salaries:
            figures.add(salary / 12)
            figures.update(salary / 12 * factor for factor in loading_factors)
        return sorted(figures)


@pytest.fixture(scope="module")
def people() -> _People:
    return _People()


def _loading_factors(warehouse) -> set[float]:
    rows = query(warehouse, "select loading_factor from raw.catalog__loading_factors")
    setting = query(
        warehouse, "select value from raw.catalog__settings where setting = 'loading_factor'"
    )
    return {float(f) for (f,) in rows} | {float(v) for (v,) in setting}


def _cells(warehouse, schema: str):
    for table in tables(warehouse, schema):
        columns = query(
            warehouse,
            "select column_name, data_type from information_schema.columns "
            "where table_schema = ? and table_name = ?",
            [schema, table],
        )
        for row in query(warehouse, f'select * from {schema}."{table}"'):
            for (column, data_type), value in zip(columns, row, strict=True):
                if value is not None:
                    yield table, column, data_type, value


def test_no_mart_holds_a_name_email_or_salary_of_a_person(demo_warehouse, people) -> None:
    warehouse = demo_warehouse.warehouse_path
    mart_tables = tables(warehouse, "marts")
    assert len(mart_tables) >= 10
    figures = people.salary_figures(_loading_factors(warehouse))
    assert len(people.emails) > 300 and len(figures) > 300

    leaks = []
    checked = 0
    for table, column, data_type, value in _cells(warehouse, "marts"):
        checked += 1
        if isinstance(value, str):
            text = value.strip().lower()
            if text in people.names or text in people.emails or "@" in text:
                leaks.append((table, column, "name or e-mail"))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
            if number >= 1000 and any(abs(number - f) <= MONEY_TOLERANCE for f in figures):
                leaks.append((table, column, f"salary-shaped {number:.2f} ({data_type})"))
    assert checked > 1000
    assert leaks == [], f"person data in marts: {leaks[:10]}"


def test_the_same_key_gives_the_same_ids_and_the_landed_ones() -> None:
    first = read_hr_exports(SEEDS_DIR, make_pseudonymiser(TEST_PSEUDONYM_KEY.encode()))
    again = read_hr_exports(SEEDS_DIR, make_pseudonymiser(TEST_PSEUDONYM_KEY.encode()))
    other = read_hr_exports(SEEDS_DIR, make_pseudonymiser(b"another key"))
    ids = first["hr__employees"].select(["employee_key", "person_key", "manager_key"])
    assert ids.equals(again["hr__employees"].select(["employee_key", "person_key", "manager_key"]))
    keys = set(ids.column("employee_key").to_pylist())
    assert keys.isdisjoint(other["hr__employees"].column("employee_key").to_pylist())
    assert len(keys) == first["hr__employees"].num_rows


def test_a_rerun_of_the_refresh_lands_the_ids_a_fresh_read_computes(demo_warehouse) -> None:
    read = read_hr_exports(SEEDS_DIR, make_pseudonymiser(TEST_PSEUDONYM_KEY.encode()))
    expected = sorted(
        zip(
            read["hr__employees"].column("employee_key").to_pylist(),
            read["hr__employees"].column("person_key").to_pylist(),
            strict=True,
        )
    )
    landed = query(
        demo_warehouse.warehouse_path,
        "select employee_key, person_key from raw.hr__employees order by 1, 2",
    )
    assert landed == expected
