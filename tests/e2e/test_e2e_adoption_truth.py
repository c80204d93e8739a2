"""Feature adoption per month recovers the demo's planted figures, counted from events."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from warehouse_reads import month_key, query

FIELDS = (
    "active_users",
    "feature_users",
    "adoption_rate",
    "eligible_accounts",
    "enabled_accounts",
    "stickiness",
)


@pytest.fixture(scope="module")
def adoption(demo_warehouse) -> dict[tuple[str, str], dict]:
    rows = query(
        demo_warehouse.serving_path,
        f"select feature_id, month, {', '.join(FIELDS)}, released_on, first_milestone_month, "
        "days_release_to_milestone from marts.fct_feature_adoption",
    )
    names = [*FIELDS, "released_on", "first_milestone_month", "days_release_to_milestone"]
    return {(row[0], month_key(row[1])): dict(zip(names, row[2:], strict=True)) for row in rows}


def test_every_feature_month_matches_the_planted_adoption(adoption, truth):
    planted = truth["feature_adoption_by_month"]
    cells = [(f, m) for f, months in planted.items() for m in months]
    assert len(cells) == len(adoption) == 9 * 12
    wrong = [
        f"{cell}: planted {planted[cell[0]][cell[1]]}, mart {adoption.get(cell)}"
        for cell in cells
        if {k: adoption.get(cell, {}).get(k) for k in FIELDS} != planted[cell[0]][cell[1]]
    ]
    assert not wrong, "\n".join(wrong[:10])


def test_before_any_partner_enables_a_feature_nobody_uses_it(adoption):
    never_enabled = [row for row in adoption.values() if row["enabled_accounts"] == 0]
    assert never_enabled
    for row in never_enabled:
        assert row["feature_users"] == 0 and row["adoption_rate"] == 0.0
        assert row["stickiness"] is None  # no users: undefined, not a division by zero


def test_time_to_ten_percent_adoption_is_the_first_month_at_ten_percent(adoption, truth):
    planted = truth["feature_adoption_by_month"]
    reached = 0
    for feature, months in planted.items():
        first = min(
            (m for m, v in months.items() if (v["adoption_rate"] or 0) >= 0.10), default=None
        )
        row = next(row for (f, _), row in adoption.items() if f == feature)
        if first is None:
            assert row["first_milestone_month"] is None and row["days_release_to_milestone"] is None
            continue
        reached += 1
        assert month_key(row["first_milestone_month"]) == first, feature
        # counted to the last day of that month, the first day the monthly rate proves it
        assert row["days_release_to_milestone"] == (_month_end(first) - row["released_on"]).days
    assert reached >= 5


def _month_end(month: str) -> date:
    year, number = (int(part) for part in month.split("-"))
    return date(year + number // 12, number % 12 + 1, 1) - timedelta(days=1)
