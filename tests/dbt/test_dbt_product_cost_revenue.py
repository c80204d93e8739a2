"""Cost versus revenue per product and month, checked against answers worked out by hand.

The raw rows are in dbt_fixture_company.py. Reporting currency USD, loading factor 1.30 (Berlin
1.40), EUR at 1.10 in January and 1.20 in February (carried over to March).
"""

from __future__ import annotations

import datetime as dt

import pytest
from dbt_runner import DbtWarehouse

JAN, FEB, MAR = dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)
DEC = dt.date(2024, 12, 1)


def fct_row(warehouse: DbtWarehouse, product_id: str, month: dt.date) -> dict[str, object]:
    """One row of marts.fct_product_cost_revenue as a dict."""
    with_columns = warehouse.query(
        "select column_name from information_schema.columns "
        "where table_schema = 'marts' and table_name = 'fct_product_cost_revenue' "
        "order by ordinal_position"
    )
    columns = [name for (name,) in with_columns]
    rows = warehouse.query(
        "select * from marts.fct_product_cost_revenue where product_id = ? and month = ?",
        [product_id, month],
    )
    assert len(rows) == 1, f"expected one row for {product_id} {month}, got {len(rows)}"
    return dict(zip(columns, rows[0], strict=True))


def test_every_product_has_a_row_for_every_month_of_finance_history(
    dbt_warehouse: DbtWarehouse,
) -> None:
    # The spine runs from the first finance month (the December rent posting; hires do
    # not pull it earlier) to the latest data month (Mar 2025); the part-timer's
    # scheduled leaving date in August does not extend it.
    rows = dbt_warehouse.query(
        "select product_id, min(month), max(month), count(*) "
        "from marts.fct_product_cost_revenue group by product_id order by product_id"
    )
    assert rows == [
        ("insights", DEC, MAR, 4),
        ("payments_api", DEC, MAR, 4),
        ("unmapped", DEC, MAR, 4),
    ]


def test_eur_revenue_is_converted_at_the_month_rate(dbt_warehouse: DbtWarehouse) -> None:
    # February: 500 EUR x 1.20
    assert fct_row(dbt_warehouse, "payments_api", FEB)["revenue"] == 600.00
    # March has no EUR rate in the export: 100 EUR x February's 1.20
    assert fct_row(dbt_warehouse, "payments_api", MAR)["revenue"] == 120.00
    assert fct_row(dbt_warehouse, "payments_api", JAN)["revenue"] == 1000.00


def test_unmapped_sku_and_cost_centre_land_on_unmapped(dbt_warehouse: DbtWarehouse) -> None:
    assert fct_row(dbt_warehouse, "unmapped", FEB)["revenue"] == 200.00
    assert fct_row(dbt_warehouse, "unmapped", MAR)["other_rnd_cost"] == 40.00
    totals = dbt_warehouse.query("select sum(revenue) from marts.fct_product_cost_revenue")
    assert totals == [(pytest.approx(2220.00),)]


def test_people_cost_counts_a_joiner_and_a_leaver_from_and_to_the_10th(
    dbt_warehouse: DbtWarehouse,
) -> None:
    january = fct_row(dbt_warehouse, "payments_api", JAN)
    # joiner: 120000/12 x 22/31 x 1.30 = 9225.81; leaver (Berlin, EUR): 8000 x 1.40 x 1.10 = 12320
    assert january["people_cost"] == pytest.approx(21545.81, abs=0.005)
    assert january["rnd_fte"] == round(1 + 22 / 31, 4)  # published to 4 places

    february = fct_row(dbt_warehouse, "payments_api", FEB)
    # joiner 10000 x 1.30 = 13000; leaver until 10 Feb: 8000 x 10/28 x 1.40 x 1.20 = 4800
    assert february["people_cost"] == pytest.approx(17800.00, abs=0.005)
    assert february["rnd_fte"] == round(1 + 10 / 28, 4)

    march = fct_row(dbt_warehouse, "payments_api", MAR)
    # the leaver is gone; the joiner's raise to 132000 took effect on 1 March
    assert march["people_cost"] == pytest.approx(14300.00, abs=0.005)
    assert march["rnd_fte"] == pytest.approx(1.0)


def test_leaver_hired_before_the_fx_export_uses_its_first_rate(
    dbt_warehouse: DbtWarehouse,
) -> None:
    # December 2024 predates the FX export: January's 1.10 is used, 8000 x 1.40 x 1.10
    december = fct_row(dbt_warehouse, "payments_api", DEC)
    assert december["people_cost"] == pytest.approx(12320.00, abs=0.005)
    assert december["revenue"] == 0
    assert december["rnd_pct_of_revenue"] is None


def test_unmapped_team_and_part_timer(dbt_warehouse: DbtWarehouse) -> None:
    skunkworks = fct_row(dbt_warehouse, "unmapped", MAR)
    assert skunkworks["people_cost"] == pytest.approx(5200.00, abs=0.005)
    assert skunkworks["rnd_fte"] == pytest.approx(1.0)

    insights = fct_row(dbt_warehouse, "insights", MAR)
    # 0.5 FTE on 60000: 5000 x 0.5 x 1.30
    assert insights["people_cost"] == pytest.approx(3250.00, abs=0.005)
    assert insights["rnd_fte"] == pytest.approx(0.5)
    assert insights["revenue_per_rnd_fte"] == pytest.approx(300 * 12 / 0.5)
    assert insights["rnd_pct_of_revenue"] == pytest.approx(3250 / 300)


def test_derived_measures(dbt_warehouse: DbtWarehouse) -> None:
    february = fct_row(dbt_warehouse, "payments_api", FEB)
    assert february["other_rnd_cost"] == 60.00  # 50 EUR x 1.20; the travel line is not R&D
    assert february["rnd_cost"] == pytest.approx(17860.00, abs=0.005)
    assert february["contribution"] == pytest.approx(600 - 17860.00, abs=0.005)
    assert february["rnd_pct_of_revenue"] == pytest.approx(17860 / 600)
    assert february["revenue_per_rnd_fte"] == pytest.approx(600 * 12 / (1 + 10 / 28), abs=0.005)
    assert february["currency"] == "USD"
    assert february["revenue_basis"] == "recognised"
    assert february["people_cost_basis"] == "allocated"


def test_a_month_with_nothing_is_zeros_not_missing(dbt_warehouse: DbtWarehouse) -> None:
    quiet = fct_row(dbt_warehouse, "insights", DEC)
    assert (quiet["revenue"], quiet["people_cost"], quiet["other_rnd_cost"], quiet["rnd_fte"]) == (
        0,
        0,
        0,
        0,
    )
    assert quiet["rnd_pct_of_revenue"] is None
    assert quiet["revenue_per_rnd_fte"] is None


def test_money_is_rounded_to_cents(dbt_warehouse: DbtWarehouse) -> None:
    january = fct_row(dbt_warehouse, "payments_api", JAN)
    for column in ("people_cost", "rnd_cost", "contribution", "revenue_per_rnd_fte"):
        assert round(january[column], 2) == january[column], column
