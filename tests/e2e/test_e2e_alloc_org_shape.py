"""Org shape and team headcounts match a count made directly from the HR export.

The expected numbers are counted here in Python from seeds/hr/headcount.csv and
seeds/catalog.yml (only the Team, Job Title and date columns are read), independently
of the SQL: who was employed on the last day of the last closed month, by portfolio
and role family.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter

import yaml
from demo_build import SEEDS_DIR
from warehouse_reads import query


def _date(text: str) -> dt.date | None:
    return None if not text or text.startswith("0000") else dt.date.fromisoformat(text)


def _employed_on(day: dt.date) -> list[tuple[str, str, str]]:
    """(catalog team id, portfolio id, role family) of everyone employed on `day`."""
    catalog = yaml.safe_load((SEEDS_DIR / "catalog.yml").read_text())
    portfolio_of = {
        product["id"]: portfolio["id"]
        for portfolio in catalog["portfolios"]
        for product in portfolio["products"]
    }
    team_of = {team["hr_team"]: team for team in catalog["teams"]}
    families = catalog["role_families"]
    people = []
    with open(SEEDS_DIR / "hr" / "headcount.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            hired, left = _date(row["Hire Date"]), _date(row["Termination Date"])
            if hired is None or hired > day or (left is not None and left < day):
                continue
            team = team_of[row["Team"]]
            people.append(
                (team["id"], portfolio_of[team["product"]], families.get(row["Job Title"], "other"))
            )
    return people


def _last_closed_month_end(truth) -> tuple[dt.date, dt.date]:
    year, month = map(int, truth["last_closed_month"].split("-"))
    first = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def test_pms_engineers_and_designers_per_portfolio_at_the_last_month_end(demo_warehouse, truth):
    month, month_end = _last_closed_month_end(truth)
    counted = Counter((portfolio, family) for _, portfolio, family in _employed_on(month_end))
    rows = query(
        demo_warehouse.serving_path,
        "select portfolio_id, pms, engineers, designers, org_stage "
        "from marts.fct_org_shape where month = ?",
        [month],
    )
    found = {portfolio: (pms, eng, des) for portfolio, pms, eng, des, _ in rows}
    expected = {
        portfolio: (
            counted[(portfolio, "pm")],
            counted[(portfolio, "engineering")],
            counted[(portfolio, "design")],
        )
        for portfolio in ("payments", "engagement", "data")
    }
    assert found.pop("unmapped") == (0, 0, 0)
    assert found == expected
    stages = {portfolio: stage for portfolio, *_, stage in rows}
    for portfolio, (pms, _, _) in expected.items():
        # METRICS.md: 5-8 PMs stage 2, 9-12 stage 3, more stage 4
        assert stages[portfolio] == (2 if pms <= 8 else 3 if pms <= 12 else 4)


def test_team_headcount_is_the_people_employed_at_the_as_of_month_end(demo_warehouse, truth):
    _, month_end = _last_closed_month_end(truth)
    counted = Counter(team for team, _, _ in _employed_on(month_end))
    rows = query(demo_warehouse.serving_path, "select team_id, headcount from marts.dim_teams")
    found = dict(rows)
    assert found.pop("unmapped") == 0
    assert found == {team: counted.get(team, 0) for team in found}
    assert sum(found.values()) == sum(counted.values())
