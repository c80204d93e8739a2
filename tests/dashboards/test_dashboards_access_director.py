"""A director signed in to the demo company sees the Payments portfolio and nothing else:
on every page, in every table, chart and CSV / XLSX download, whatever the URL or the
sidebar asks for. The CPO sees everything (so the checks can fail)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from access_harness import (
    CPO_LOGIN,
    DIRECTOR_LOGIN,
    DIRECTOR_PASSWORD,
    DIRECTOR_VIEWER,
    SELECTION_QUERIES,
    everything_shown,
    is_empty,
    payload_text,
    point_at,
    record_downloads,
    run_as,
    serving_held_open,
    write_access_file,
)

from dashboards import data
from dashboards.formatting import money

OWN_PRODUCTS = {
    "payments_api": "Payments API",
    "card_issuing": "Card Issuing",
    "fraud_shield": "Fraud Shield",
}
# Every name and id of the other two portfolios and their products.
OTHERS = (
    "Customer Engagement",
    "Data & Insights",
    "Loyalty Engine",
    "Partner Portal",
    "Mobile SDK",
    "Insights Hub",
    "Open Banking Connect",
    "loyalty_engine",
    "partner_portal",
    "mobile_sdk",
    "insights_hub",
    "open_banking",
    "VP Customer Engagement",
    "VP Data & Insights",
)
PAGES = (
    "cpo_overview",
    "portfolio",
    "cost_vs_revenue",
    "goals",
    "decisions",
    "adoption",
    "definitions",
)


@pytest.fixture
def signed_in(demo_warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The demo serving copy behind password sign-in with an access file."""
    access_file = write_access_file(tmp_path / "access.toml")
    point_at(monkeypatch, demo_warehouse.data_dir, access_file=access_file)
    with serving_held_open(demo_warehouse.data_dir / "serving.duckdb"):
        yield demo_warehouse.data_dir


def _leaks(shown: bytes | str) -> list[str]:
    text = shown.encode() if isinstance(shown, str) else shown
    return [name for name in OTHERS if name.encode() in text]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_and_download_holds_only_the_directors_portfolio(
    signed_in, page: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    downloads = record_downloads(monkeypatch)
    app = run_as(DIRECTOR_LOGIN, f"app_pages/{page}.py")
    assert not app.exception, [e.value for e in app.exception]
    shown = everything_shown(app)
    assert _leaks(shown) == []
    assert b"Payments API" in shown  # the director's own products are there
    if page != "definitions":
        assert downloads, "the page's tables offer CSV / XLSX downloads"
    for name, payload in downloads.items():
        assert _leaks(payload_text(name, payload)) == [], name


def test_the_cpo_sees_every_portfolio_where_the_director_sees_one(signed_in) -> None:
    shown = everything_shown(run_as(CPO_LOGIN, "app_pages/cost_vs_revenue.py"))
    assert set(_leaks(shown)) >= {"Loyalty Engine", "Insights Hub", "Data & Insights"}


def test_the_directors_kpis_are_their_portfolios_planted_totals(signed_in, truth) -> None:
    app = run_as(DIRECTOR_LOGIN, "app_pages/cost_vs_revenue.py")
    planted = truth["product_cost_revenue_last_12_months"]
    revenue = sum(planted[product]["revenue"] for product in OWN_PRODUCTS)
    shown = {metric.label: metric.value for metric in app.metric}
    assert shown["Revenue"] == money(revenue)
    table = app.dataframe[0].value.set_index("product_name")
    assert set(table.index) == set(OWN_PRODUCTS.values())
    for product, name in OWN_PRODUCTS.items():
        assert table.loc[name, "revenue"] == pytest.approx(planted[product]["revenue"], rel=1e-9)


def test_urls_and_sidebar_values_naming_another_portfolio_show_none_of_it(signed_in) -> None:
    goals = run_as(
        DIRECTOR_LOGIN,
        "app_pages/goals.py",
        org_unit="data",
        owner="VP Data & Insights",
        portfolio="data",
    )
    assert not goals.exception
    assert _leaks(everything_shown(goals)) == []

    app = run_as(None)
    app.session_state["_productops_signed_in"] = ("user", DIRECTOR_LOGIN)
    app.session_state["portfolio"] = "Data & Insights"
    app.session_state["products"] = ["Insights Hub", "Payments API"]
    app.run()
    app.switch_page("app_pages/cost_vs_revenue.py").run()
    assert not app.exception, [e.value for e in app.exception]
    assert _leaks(everything_shown(app)) == []
    assert set(app.dataframe[0].value["product_name"]) == {"Payments API"}


def test_data_health_and_the_board_pack_are_not_for_directors(signed_in) -> None:
    health = run_as(DIRECTOR_LOGIN, "data_health")
    assert [t.value for t in health.title] == []
    assert "for the CPO and product ops" in " ".join(i.value for i in health.info)

    def board_pack_buttons(login: str) -> list[str]:
        app = run_as(login, "app_pages/cpo_overview.py")
        labels = [button.proto.label for button in app.get("download_button")]
        return [label for label in labels if "board pack" in label]

    assert board_pack_buttons(DIRECTOR_LOGIN) == []
    assert len(board_pack_buttons(CPO_LOGIN)) == 1


def test_the_data_module_filters_a_directors_queries_whatever_they_ask(signed_in) -> None:
    year = data.Selection(date(2025, 1, 1), date(2025, 12, 1))
    other = data.Selection(date(2025, 1, 1), date(2025, 12, 1), portfolio_id="data")
    assert set(data.products(DIRECTOR_VIEWER)["product_id"]) == set(OWN_PRODUCTS)
    own = data.product_summary(year, DIRECTOR_VIEWER)
    assert set(own["product_id"]) == set(OWN_PRODUCTS)
    for query in SELECTION_QUERIES:
        assert is_empty(query(other, viewer=DIRECTOR_VIEWER)), query.__name__
    periods = tuple(data.okr_periods())
    objectives = data.objective_scores(periods, DIRECTOR_VIEWER)
    assert set(objectives["portfolio_id"]) == {"payments"}
    assert len(data.objective_scores(periods)) > len(objectives)  # the CPO's are more
    krs = data.key_results(periods[-1], DIRECTOR_VIEWER)
    assert set(krs["objective_id"]) <= set(objectives["objective_id"])
    assert data.unmapped_values(DIRECTOR_VIEWER).empty
    assert data.quality_failures(DIRECTOR_VIEWER).empty
    assert data.source_freshness(viewer=DIRECTOR_VIEWER) is None


def test_password_sign_in_wrong_shows_nothing_right_shows_the_portfolio(signed_in) -> None:
    app = run_as(None)
    assert [t.value for t in app.title] == ["Sign in"] and not app.metric
    user, password = app.text_input
    user.input(DIRECTOR_LOGIN)
    password.input("not-the-password")
    app.button[0].click().run()
    assert "Wrong user name or password." in [e.value for e in app.error]
    assert not app.metric and not app.dataframe

    user, password = app.text_input
    user.input(DIRECTOR_LOGIN.upper())  # logins ignore case
    password.input(DIRECTOR_PASSWORD)
    app.button[0].click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert [t.value for t in app.title] == ["CPO overview"]
    assert _leaks(everything_shown(app)) == []
    assert f"Signed in as {DIRECTOR_LOGIN} (director: payments)" in [c.value for c in app.caption]


def test_a_login_removed_from_the_access_file_is_signed_out(signed_in, tmp_path: Path) -> None:
    (tmp_path / "access.toml").write_text('[users.cpo]\nrole = "cpo"\n')
    app = run_as(DIRECTOR_LOGIN)
    assert [t.value for t in app.title] == ["Sign in"] and not app.metric
