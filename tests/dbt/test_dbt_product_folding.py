"""Products smaller than min_group_size people publish no people cost of their own.

The company of alloc_fixture_rows.py with min_group_size 2 and Insights moved into the
Platform portfolio, next to Payments API. People with allocated cost, by hand:

- January: Payments API {p1, p2}, Insights {p3, p1}: two each, nothing folds.
- February: Payments API {p1} folds; the folded group is still one person, so the
  portfolio's smallest unfolded product, Insights {p3, p1, p2}, folds with it: the
  whole of February's people cost, 13000 + 4800 + 3250 = 21050, is published only on
  platform__other_products.
- March: Payments API {p1} and Insights {p3} both fold and together are two people:
  14300 + 3250 = 17550 on platform__other_products. The unmapped team's one person
  (5200) stays on 'unmapped', the data-health bucket.
- A roadmap item worked on by one person shows its effort but not its cost.
"""

from __future__ import annotations

import datetime as dt

import pytest
from alloc_fixture_rows import FEB, JAN, MAR, P1_JAN, company_rows
from dbt_fixture_company import RAW_ROWS
from dbt_runner import DbtWarehouse, build_company

OTHER = "platform__other_products"


def _folding_company() -> dict[str, list[dict[str, object]]]:
    settings = [
        {**row, "value": "2"} if row["setting"] == "min_group_size" else row
        for row in RAW_ROWS["catalog__settings"]
    ]
    products = [
        {**row, "portfolio_id": "platform"} if row["product_id"] == "insights" else row
        for row in RAW_ROWS["catalog__products"]
    ]
    return company_rows({"catalog__settings": settings, "catalog__products": products})


@pytest.fixture(scope="module")
def folding_warehouse(tmp_path_factory: pytest.TempPathFactory) -> DbtWarehouse:
    """The folding company built through cost versus revenue and the portfolio items."""
    return build_company(
        tmp_path_factory.mktemp("folding_build"),
        _folding_company(),
        [
            "--exclude-resource-type",
            "unit_test",
            "--select",
            "+fct_product_cost_revenue",
            "+fct_portfolio_items",
        ],
    )


def _row(warehouse: DbtWarehouse, product_id: str, month: dt.date) -> tuple:
    ((row),) = warehouse.query(
        "select revenue, other_rnd_cost, people_cost, rnd_cost, contribution, rnd_fte, "
        "capitalizable_cost, people_cost_folded "
        "from marts.fct_product_cost_revenue where product_id = ? and month = ?",
        [product_id, month],
    )
    return row


def test_a_one_person_product_and_the_next_smallest_fold_into_other_products(
    folding_warehouse: DbtWarehouse,
) -> None:
    # Payments API keeps February's revenue (500 EUR x 1.20) and tools (50 EUR x 1.20)
    assert _row(folding_warehouse, "payments_api", FEB) == (
        600.0,
        60.0,
        None,
        60.0,
        540.0,
        None,
        None,
        True,
    )
    assert _row(folding_warehouse, "insights", FEB) == (0, 0, None, 0, 0, None, None, True)
    revenue, other, people, rnd, contribution, fte, capitalizable, folded = _row(
        folding_warehouse, OTHER, FEB
    )
    assert (revenue, other, folded) == (0, 0, False)
    assert people == pytest.approx(13000 + 4800 + 3250, abs=0.005)
    assert rnd == pytest.approx(21050, abs=0.005)
    assert contribution == pytest.approx(-21050, abs=0.005)
    assert fte == pytest.approx(round(1 + 10 / 28 + 0.5, 4))
    # p1's two February days on the customer-commitment feature: 13000 x 2/20
    assert capitalizable == pytest.approx(1300, abs=0.005)


def test_two_small_products_that_reach_the_threshold_together_fold_alone(
    folding_warehouse: DbtWarehouse,
) -> None:
    # March: 100 EUR x 1.20 of revenue, no R&D spend on its cost centre
    assert _row(folding_warehouse, "payments_api", MAR)[2:] == (None, 0, 120.0, None, None, True)
    assert _row(folding_warehouse, OTHER, MAR)[2] == pytest.approx(14300 + 3250, abs=0.005)
    assert _row(folding_warehouse, OTHER, MAR)[5] == pytest.approx(1.5)
    unmapped = _row(folding_warehouse, "unmapped", MAR)
    assert unmapped[2] == pytest.approx(5200, abs=0.005) and unmapped[7] is False


def test_products_of_two_people_publish_their_own_cost(folding_warehouse: DbtWarehouse) -> None:
    payments = _row(folding_warehouse, "payments_api", JAN)
    assert payments[2] == pytest.approx(P1_JAN * 14 / 16 + 12320, abs=0.005)
    assert payments[7] is False
    months = folding_warehouse.query(
        "select month from marts.fct_product_cost_revenue where product_id = ? order by month",
        [OTHER],
    )
    assert JAN not in [month for (month,) in months]


def test_portfolio_totals_do_not_change(folding_warehouse: DbtWarehouse) -> None:
    rows = folding_warehouse.query(
        "select month, sum(people_cost), sum(rnd_cost) from marts.fct_product_cost_revenue "
        "where portfolio_id = 'platform' and month in (?, ?) group by month order by month",
        [FEB, MAR],
    )
    assert rows == [
        (FEB, pytest.approx(21050, abs=0.01), pytest.approx(21050 + 60, abs=0.01)),
        (MAR, pytest.approx(17550, abs=0.01), pytest.approx(17550, abs=0.01)),
    ]


def test_the_other_products_row_is_a_flagged_product_of_its_portfolio(
    folding_warehouse: DbtWarehouse,
) -> None:
    rows = folding_warehouse.query(
        "select product_id, product_name, portfolio_id, director from marts.dim_products "
        "where is_folded_group"
    )
    assert rows == [(OTHER, "Platform: other products", "platform", "VP Platform")]


def test_a_roadmap_item_worked_on_by_one_person_shows_effort_but_not_cost(
    folding_warehouse: DbtWarehouse,
) -> None:
    ((product, category, effort, cost, folded, planned),) = folding_warehouse.query(
        "select product_id, category, effort_fte_months, cost_to_date, "
        "cost_folded_into_product, planned_quarter from marts.fct_portfolio_items"
    )
    assert (product, category, planned) == ("insights", "customer_commitment", "2025-Q1")
    assert effort == pytest.approx(round(22 / 31 * 2 / 16 + 2 / 20, 4))
    assert cost is None and folded is True
