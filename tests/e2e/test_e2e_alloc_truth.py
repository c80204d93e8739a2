"""The allocation marts recover what the demo generator planted (truth.json).

The generator runs its own person-day engine on its simulation objects (productops/demo/
truth.py); these tests compare the warehouse's marts, built from the exported files,
with those numbers.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from warehouse_reads import query


def _quarter(month) -> str:
    return f"{month.year}-Q{(month.month - 1) // 3 + 1}"


def test_people_cost_per_product_and_quarter_is_within_two_percent(demo_warehouse, truth):
    rows = query(
        demo_warehouse.serving_path,
        "select product_id, month, people_cost from marts.fct_product_cost_revenue",
    )
    found: dict[tuple[str, str], float] = defaultdict(float)
    for product_id, month, people_cost in rows:
        found[(product_id, _quarter(month))] += people_cost
    planted = truth["people_cost_allocated_by_product_quarter"]
    off = [
        f"{product} {quarter}: planted {value}, mart {found.get((product, quarter))}"
        for product, quarters in planted.items()
        for quarter, value in quarters.items()
        if abs(found.get((product, quarter), 0.0) - value) > 0.02 * abs(value)
    ]
    assert len(planted) == 8 and not off, "\n".join(off[:20])


def test_allocation_moves_people_cost_between_products_but_loses_none(demo_warehouse, truth):
    team_default_total = sum(
        sum(months.values())
        for months in truth["people_cost_team_default_by_product_month"].values()
    )
    ((mart_total, unmapped_total),) = query(
        demo_warehouse.serving_path,
        "select sum(people_cost), sum(case when product_id = 'unmapped' then people_cost end) "
        "from marts.fct_product_cost_revenue",
    )
    assert mart_total == pytest.approx(team_default_total, abs=1.0)
    assert unmapped_total == 0  # every demo team and Jira project is mapped


def test_customer_commitment_share_per_portfolio_and_quarter_is_within_one_point(
    demo_warehouse, truth
):
    rows = query(
        demo_warehouse.serving_path,
        "select distinct portfolio_id, quarter, portfolio_customer_commitment_share "
        "from marts.fct_investment_allocation",
    )
    found = {(portfolio, quarter): share for portfolio, quarter, share in rows}
    planted = truth["customer_commitment_share_by_portfolio_quarter"]
    off = [
        f"{portfolio} {quarter}: planted {value}, mart {found.get((portfolio, quarter))}"
        for portfolio, quarters in planted.items()
        for quarter, value in quarters.items()
        if (portfolio, quarter) not in found or abs(found[(portfolio, quarter)] - value) > 0.01
    ]
    assert len(found) == sum(len(q) for q in planted.values()), "one value per portfolio-quarter"
    assert not off, "\n".join(off[:20])


def test_fte_months_per_portfolio_quarter_and_category_match_the_planted_ones(
    demo_warehouse, truth
):
    rows = query(
        demo_warehouse.serving_path,
        "select portfolio_id, quarter, category, sum(fte_months) "
        "from marts.fct_investment_allocation group by all",
    )
    found = {(p, q, c): fte for p, q, c, fte in rows}
    planted = truth["fte_months_by_portfolio_quarter_category"]
    off = [
        f"{p} {q} {c}: planted {value}, mart {found.get((p, q, c))}"
        for p, quarters in planted.items()
        for q, categories in quarters.items()
        for c, value in categories.items()
        if abs(found.get((p, q, c), 0.0) - value) > 0.01
    ]
    assert not off, "\n".join(off[:20])


def test_the_sales_led_portfolio_is_flagged_over_the_cap_and_no_other(demo_warehouse, truth):
    story = truth["story"]
    rows = query(
        demo_warehouse.serving_path,
        "select distinct portfolio_id, quarter from marts.fct_investment_allocation "
        "where portfolio_over_cap",
    )
    flagged = set(rows)
    for quarter in story["over_cap_quarters"]:
        assert (story["over_cap_portfolio"], quarter) in flagged
    planted_over = {
        (portfolio, quarter)
        for portfolio, quarters in truth["customer_commitment_share_by_portfolio_quarter"].items()
        for quarter, share in quarters.items()
        if share > story["customer_commitment_cap"]
    }
    assert flagged == planted_over
    assert {portfolio for portfolio, _ in flagged} == {story["over_cap_portfolio"]}


def test_shares_of_each_product_and_portfolio_quarter_sum_to_one(demo_warehouse):
    for share, group in (("share", "product_id"), ("portfolio_share", "portfolio_id")):
        rows = query(
            demo_warehouse.serving_path,
            f"select {group}, quarter, sum({share}) from marts.fct_investment_allocation "
            "group by all",
        )
        assert rows and all(total == pytest.approx(1.0, abs=1e-4) for _, _, total in rows)


def test_capitalizable_cost_is_part_of_people_cost_and_follows_development_work(
    demo_warehouse, truth
):
    rows = query(
        demo_warehouse.serving_path,
        "select product_id, month, people_cost, capitalizable_cost "
        "from marts.fct_product_cost_revenue where product_id <> 'unmapped'",
    )
    assert all(0 <= cap <= cost + 0.01 for _, _, cost, cap in rows)
    # months with effort on new_capability / customer_commitment issues have some
    by_product = defaultdict(float)
    for product_id, _, _, cap in rows:
        by_product[product_id] += cap
    assert set(by_product) == set(truth["people_cost_allocated_by_product_month"])
    assert all(total > 0 for total in by_product.values())


def test_the_planted_unmapped_sku_and_cost_centre_are_counted_with_their_totals(
    demo_warehouse, truth
):
    rows = query(
        demo_warehouse.serving_path,
        "select kind, value, amount from marts.fct_unmapped_values order by kind, value",
    )
    unmapped = truth["unmapped"]
    assert rows == [
        (
            "cost_centre",
            unmapped["cost_centres"][0],
            pytest.approx(unmapped["rnd_cost_total"], abs=0.01),
        ),
        ("sku", unmapped["skus"][0], pytest.approx(unmapped["revenue_total"], abs=0.01)),
    ]
