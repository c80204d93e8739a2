"""truth.json's money and effort are what the files say under METRICS.md's rules.

The generator computes truth from its simulation; `demo_recompute` reads only the
files. Agreement means the exports carry the planted facts exactly, which is what
the warehouse will be held to.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from demo_recompute import other_rnd_cost_by_product_month, people_cost, revenue_by_product_month

CENT = 0.01


def _assert_same(
    found: dict[str, dict[str, float]], planted: dict[str, dict[str, float]], tolerance: float
) -> None:
    assert set(found) == set(planted)
    for outer, inner in planted.items():
        assert set(found[outer]) == set(inner), outer
        for key, value in inner.items():
            assert found[outer][key] == pytest.approx(value, abs=tolerance), (outer, key)


@pytest.fixture(scope="module")
def effort(demo: Path, planted: dict[str, Any], issues: list[dict[str, Any]]) -> dict[str, Any]:
    return people_cost(demo, planted["history_start"][:7], planted["last_closed_month"], issues)


def test_revenue_is_the_invoiced_amounts_at_each_months_rate(
    demo: Path, planted: dict[str, Any]
) -> None:
    found = revenue_by_product_month(demo)
    unmapped = found.pop("__unmapped__")
    _assert_same(found, planted["revenue_by_product_month"], CENT)
    _assert_same({"x": unmapped}, {"x": planted["unmapped_revenue_by_month"]}, CENT)


def test_other_rnd_cost_is_the_rnd_gl_lines_of_product_cost_centres(
    demo: Path, planted: dict[str, Any]
) -> None:
    found = other_rnd_cost_by_product_month(demo)
    unmapped = found.pop("__unmapped__")
    _assert_same(found, planted["other_rnd_cost_by_product_month"], CENT)
    _assert_same({"x": unmapped}, {"x": planted["unmapped_rnd_cost_by_month"]}, CENT)


def test_people_cost_by_team_default(effort: dict[str, Any], planted: dict[str, Any]) -> None:
    _assert_same(effort["cost_default"], planted["people_cost_team_default_by_product_month"], CENT)


def test_people_cost_allocated_by_jira_work(
    effort: dict[str, Any], planted: dict[str, Any]
) -> None:
    _assert_same(effort["cost_allocated"], planted["people_cost_allocated_by_product_month"], CENT)


def test_fte_months_by_portfolio_quarter_and_category(
    effort: dict[str, Any], planted: dict[str, Any]
) -> None:
    found = {
        f"{p}/{q}": cats
        for p, quarters in effort["fte_category"].items()
        for q, cats in quarters.items()
    }
    expected = {
        f"{p}/{q}": cats
        for p, quarters in planted["fte_months_by_portfolio_quarter_category"].items()
        for q, cats in quarters.items()
    }
    _assert_same(found, expected, 1e-3)


def test_allocation_moves_cost_between_products_but_loses_none(planted: dict[str, Any]) -> None:
    default = planted["people_cost_team_default_by_product_month"]
    allocated = planted["people_cost_allocated_by_product_month"]
    total_default = sum(sum(m.values()) for m in default.values())
    total_allocated = sum(sum(m.values()) for m in allocated.values())
    assert total_allocated == pytest.approx(total_default, rel=1e-9, abs=1.0)
    moved = sum(
        abs(allocated[p].get(m, 0.0) - v)
        for p, months in default.items()
        for m, v in months.items()
    )
    assert moved > 0.005 * total_default  # teams do help sibling products
