"""Chart specs: the order, the loss flag and that they render without Streamlit."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import vl_convert

from dashboards import charts


@pytest.fixture
def summary() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "product_name": ["Ledger", "Payments API", "Partner's Hub", "Insights"],
            "revenue": [240_000.0, 1_200_000.0, 50_000.0, 660_000.0],
            "rnd_cost": [420_000.0, 600_000.0, 80_000.0, 360_000.0],
        }
    )
    return frame.assign(contribution=frame["revenue"] - frame["rnd_cost"])


@pytest.fixture
def monthly() -> pd.DataFrame:
    months = pd.date_range("2025-11-01", periods=12, freq="MS")
    frame = pd.DataFrame({"month": months, "revenue": 182_000.0, "rnd_cost": 116_000.0})
    frame.loc[0, "revenue"] = 0.0
    return frame.assign(
        contribution=frame["revenue"] - frame["rnd_cost"],
        rnd_pct_of_revenue=(frame["rnd_cost"] / frame["revenue"]).where(frame["revenue"] > 0),
    )


def _y_sort(spec: dict) -> list[str]:
    return spec["layer"][0]["encoding"]["y"]["sort"]


def test_products_are_ordered_by_contribution_and_losses_are_marked(
    summary: pd.DataFrame,
) -> None:
    spec = charts.revenue_vs_rnd_cost_by_product(summary).to_dict()
    assert _y_sort(spec) == [
        "Payments API",
        "Insights",
        f"Partner's Hub  {charts.LOSS_MARK}",
        f"Ledger  {charts.LOSS_MARK}",
    ]
    label_colour = spec["layer"][0]["encoding"]["y"]["axis"]["labelColor"]["expr"]
    assert charts.LOSS_COLOUR in label_colour and "Ledger" in label_colour


def test_contribution_figures_are_signed_and_coloured_by_loss(summary: pd.DataFrame) -> None:
    spec = charts.revenue_vs_rnd_cost_by_product(summary).to_dict()
    text_layer = spec["layer"][1]
    rows = spec["datasets"][text_layer["data"]["name"]]
    labels = {row["product_name"]: row["contribution_label"] for row in rows}
    assert labels["Payments API"] == "+$600K"
    assert labels["Ledger"] == "-$180K"
    assert text_layer["encoding"]["color"]["scale"]["range"][0] == charts.LOSS_COLOUR


@pytest.mark.parametrize("currency", ["USD", "EUR"])
def test_every_chart_renders_to_svg_for_the_board_pack(
    summary: pd.DataFrame, monthly: pd.DataFrame, currency: str
) -> None:
    by_product = vl_convert.vegalite_to_svg(
        charts.revenue_vs_rnd_cost_by_product(summary, currency).to_json()
    )
    assert "Ledger" in by_product and charts.LOSS_MARK in by_product
    assert f"Amount ({currency})" in by_product
    trend = vl_convert.vegalite_to_svg(charts.monthly_trend(monthly, currency).to_json())
    assert "Revenue and R&amp;D cost by month" in trend
    pct = vl_convert.vegalite_to_svg(charts.rnd_pct_of_revenue_trend(monthly).to_json())
    assert "R&amp;D cost = revenue" in pct


def test_a_month_without_revenue_is_a_gap_in_the_ratio(monthly: pd.DataFrame) -> None:
    spec = charts.rnd_pct_of_revenue_trend(monthly).to_dict()
    rows = spec["datasets"][spec["layer"][0]["data"]["name"]]
    assert rows[0]["rnd_pct_of_revenue"] is None
    json.dumps(spec, allow_nan=False)  # raises on NaN or infinity, which Vega cannot read
