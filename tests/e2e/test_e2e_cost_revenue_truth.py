"""The cost-versus-revenue mart recovers what the demo generator planted."""

from __future__ import annotations

import pytest
from warehouse_reads import month_key, query

CENT = 0.01


def _mart_by_product_month(serving_path, column: str) -> dict[str, dict[str, float]]:
    rows = query(
        serving_path,
        f"select product_id, month, {column} from marts.fct_product_cost_revenue",
    )
    found: dict[str, dict[str, float]] = {}
    for product_id, month, value in rows:
        found.setdefault(product_id, {})[month_key(month)] = value
    return found


def _assert_matches(found: dict, expected: dict, what: str, tolerance: float) -> None:
    mismatches = []
    for product_id, months in expected.items():
        for month, value in months.items():
            got = found.get(product_id, {}).get(month)
            if got is None or abs(got - value) > tolerance:
                mismatches.append(f"{product_id} {month}: planted {value}, mart {got}")
    assert not mismatches, f"{what} differs in {len(mismatches)} cells:\n" + "\n".join(
        mismatches[:20]
    )


def test_revenue_per_product_and_month_is_exactly_the_planted_revenue(demo_warehouse, truth):
    found = _mart_by_product_month(demo_warehouse.serving_path, "revenue")
    _assert_matches(found, truth["revenue_by_product_month"], "revenue", CENT)


def test_revenue_nobody_mapped_lands_on_unmapped_not_lost(demo_warehouse, truth):
    planted = truth["unmapped_revenue_by_month"]
    assert sum(planted.values()) > 0, "the demo company should leave some revenue unmapped"
    found = _mart_by_product_month(demo_warehouse.serving_path, "revenue")["unmapped"]
    _assert_matches({"unmapped": found}, {"unmapped": planted}, "unmapped revenue", CENT)


def test_total_revenue_in_the_mart_equals_everything_invoiced(demo_warehouse, truth):
    planted = sum(sum(m.values()) for m in truth["revenue_by_product_month"].values())
    planted += sum(truth["unmapped_revenue_by_month"].values())
    ((total,),) = query(
        demo_warehouse.serving_path, "select sum(revenue) from marts.fct_product_cost_revenue"
    )
    assert total == pytest.approx(planted, abs=1.0)


def test_non_people_rnd_cost_follows_the_cost_centres(demo_warehouse, truth):
    found = _mart_by_product_month(demo_warehouse.serving_path, "other_rnd_cost")
    _assert_matches(found, truth["other_rnd_cost_by_product_month"], "other R&D cost", CENT)


def test_people_cost_follows_the_person_days_spent_on_each_product(demo_warehouse, truth):
    found = _mart_by_product_month(demo_warehouse.serving_path, "people_cost")
    _assert_matches(found, truth["people_cost_allocated_by_product_month"], "people cost", CENT)


def test_rnd_fte_is_the_fte_the_person_days_put_on_each_product(demo_warehouse, truth):
    found = _mart_by_product_month(demo_warehouse.serving_path, "rnd_fte")
    _assert_matches(found, truth["fte_months_allocated_by_product_month"], "R&D FTE", 0.01)


def test_the_loss_making_product_shows_a_negative_contribution(demo_warehouse, truth):
    product = truth["story"]["loss_making_product"]
    ((contribution,),) = query(
        demo_warehouse.serving_path,
        """
        select sum(contribution) from marts.fct_product_cost_revenue
        where product_id = ? and month > (select max(month) from marts.fct_product_cost_revenue)
                                         - interval 12 month
        """,
        [product],
    )
    assert contribution < 0
