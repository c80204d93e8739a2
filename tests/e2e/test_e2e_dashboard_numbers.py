"""The CPO's cost-versus-revenue page, on the real demo warehouse, shows the planted facts."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
import yaml
from demo_build import SEEDS_DIR
from streamlit.testing.v1 import AppTest

from dashboards.formatting import money, percent
from orchestration.settings import PROJECT_ROOT, get_settings

APP = PROJECT_ROOT / "dashboards" / "streamlit_app.py"


def _last_12_closed_months(truth: dict) -> list[str]:
    year, month = map(int, truth["last_closed_month"].split("-"))
    months = []
    for _ in range(12):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months


def _planted_totals(truth: dict) -> tuple[float, float]:
    months = _last_12_closed_months(truth)

    def total(by_product_month: dict) -> float:
        return sum(values.get(m, 0.0) for values in by_product_month.values() for m in months)

    revenue = total(truth["revenue_by_product_month"]) + sum(
        truth["unmapped_revenue_by_month"].get(m, 0.0) for m in months
    )
    rnd_cost = (
        total(truth["people_cost_team_default_by_product_month"])
        + total(truth["other_rnd_cost_by_product_month"])
        + sum(truth["unmapped_rnd_cost_by_month"].get(m, 0.0) for m in months)
    )
    return revenue, rnd_cost


@pytest.fixture
def app_on_demo(demo_warehouse, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("PRODUCTOPS_DATA_DIR", str(demo_warehouse.data_dir))
    get_settings.cache_clear()
    st.cache_data.clear()
    app = AppTest.from_file(str(APP), default_timeout=90).run()
    # The CPO overview opens first; this page is one click away.
    app.switch_page("app_pages/cost_vs_revenue.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_kpis_for_the_last_12_months_are_the_planted_totals(app_on_demo, truth):
    revenue, rnd_cost = _planted_totals(truth)
    shown = {metric.label: metric.value for metric in app_on_demo.metric}
    assert shown["Revenue"] == money(revenue)
    assert shown["R&D cost"] == money(rnd_cost)
    assert shown["Contribution"] == money(revenue - rnd_cost)
    assert shown["R&D % of revenue"] == percent(rnd_cost / revenue)


def test_the_loss_making_product_is_flagged_and_no_other(app_on_demo, truth):
    catalog = yaml.safe_load(Path(SEEDS_DIR / "catalog.yml").read_text())
    names = {
        product["id"]: product["name"]
        for portfolio in catalog["portfolios"]
        for product in portfolio["products"]
    }
    table = app_on_demo.dataframe[0].value.set_index("product_name")
    flagged = set(table.index[table["flag"] != ""]) - {"Unmapped"}
    assert flagged == {names[truth["story"]["loss_making_product"]]}
