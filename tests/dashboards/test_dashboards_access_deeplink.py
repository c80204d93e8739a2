"""A shared link keeps its page through the sign-in form, and the scope a page names is
the scope the viewer actually sees: `Payments` to the Payments director, never `All
portfolios`. On the demo company behind password sign-in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from access_harness import (
    APP,
    CPO_LOGIN,
    CPO_PASSWORD,
    DIRECTOR_LOGIN,
    DIRECTOR_PASSWORD,
    TIMEOUT_SECONDS,
    everything_shown,
    point_at,
    run_as,
    serving_held_open,
    write_access_file,
)
from streamlit.testing.v1 import AppTest

from dashboards.filters import ALL_PORTFOLIOS, everything_label
from dashboards.formatting import money
from dashboards.passwords import hash_password
from dashboards.viewers import CPO, DIRECTOR, Viewer

PAYMENTS_PRODUCTS = ("payments_api", "card_issuing", "fraud_shield")  # the demo's catalog
OTHER_PORTFOLIO_NAMES = ("Customer Engagement", "Data & Insights")
OTHER_PRODUCT_NAMES = ("Loyalty Engine", "Partner Portal", "Mobile SDK", "Insights Hub")
TWO_PORTFOLIO_LOGIN, TWO_PORTFOLIO_PASSWORD = "vp.two", "two-portfolios-pw"


@pytest.fixture
def behind_sign_in(
    demo_warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """The demo serving copy behind an access file: a CPO, the Payments director and a
    director of Payments and Data & Insights."""
    access_file = write_access_file(tmp_path / "access.toml")
    with access_file.open("a", encoding="utf-8") as out:
        out.write(
            f'\n[users."{TWO_PORTFOLIO_LOGIN}"]\nrole = "director"\n'
            f'portfolios = ["payments", "data"]\n'
            f'password_hash = "{hash_password(TWO_PORTFOLIO_PASSWORD)}"\n'
        )
    point_at(monkeypatch, demo_warehouse.data_dir, access_file=access_file)
    with serving_held_open(demo_warehouse.data_dir / "serving.duckdb"):
        yield demo_warehouse.data_dir


def _open_link(page: str, **query: str) -> AppTest:
    """A fresh session opened on `page` (an app_pages/ file name) with `query`, as a shared
    link opens it: nobody is signed in yet."""
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS)
    # Before the first run the page is named by its file, as the link's path names it.
    app.switch_page(f"app_pages/{page}.py")
    for key, value in query.items():
        app.query_params[key] = value
    return app.run()


def _sign_in(app: AppTest, login: str, password: str) -> AppTest:
    user, secret = app.text_input
    user.input(login)
    secret.input(password)
    return app.button[0].click().run()


def _titles(app: AppTest) -> list[str]:
    return [title.value for title in app.title]


def _captions(app: AppTest) -> str:
    return "\n".join(caption.value for caption in app.caption)


def test_a_shared_link_opens_its_page_after_sign_in_scoped_to_the_directors_portfolio(
    behind_sign_in, truth
) -> None:
    app = _open_link("cost_vs_revenue", portfolio="data")
    assert _titles(app) == ["Sign in"]
    assert not app.metric and not app.dataframe

    _sign_in(app, DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
    assert not app.exception, [e.value for e in app.exception]
    assert _titles(app) == ["Cost vs revenue"]
    assert app.query_params["portfolio"] == "data"  # the link's query string is kept
    planted = truth["product_cost_revenue_last_12_months"]
    revenue = sum(planted[product]["revenue"] for product in PAYMENTS_PRODUCTS)
    assert {metric.label: metric.value for metric in app.metric}["Revenue"] == money(revenue)
    shown = everything_shown(app)
    assert [
        name for name in (*OTHER_PORTFOLIO_NAMES, *OTHER_PRODUCT_NAMES) if name.encode() in shown
    ] == []
    assert "(12 months) · Payments\n" in f"{_captions(app)}\n"  # the period line's scope


def test_a_link_to_a_page_the_role_may_not_open_shows_the_default_page_instead(
    behind_sign_in,
) -> None:
    director = _sign_in(_open_link("data_health"), DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
    assert not director.exception, [e.value for e in director.exception]
    assert _titles(director) == ["CPO overview"]
    assert "Row counts from" not in _captions(director)

    # The same link, for a role that may open the page, opens it (so the check can fail).
    cpo = _sign_in(_open_link("data_health"), CPO_LOGIN, CPO_PASSWORD)
    assert _titles(cpo) == ["Data health"]
    assert "Row counts from" in _captions(cpo)


def test_the_overview_names_the_portfolios_the_viewer_sees(behind_sign_in) -> None:
    director = run_as(DIRECTOR_LOGIN)
    assert _titles(director) == ["CPO overview"]
    portfolio = director.selectbox(key="portfolio")
    assert portfolio.options == ["Payments"] and portfolio.disabled
    assert " · Payments · amounts in " in _captions(director)
    assert ALL_PORTFOLIOS not in _captions(director)

    two = run_as(TWO_PORTFOLIO_LOGIN)
    mine = "Your portfolios: Data & Insights, Payments"
    assert two.selectbox(key="portfolio").options == [mine, "Data & Insights", "Payments"]
    assert f" · {mine} · amounts in " in _captions(two)
    assert b"Customer Engagement" not in everything_shown(two)

    cpo = run_as(CPO_LOGIN)
    assert cpo.selectbox(key="portfolio").options[0] == ALL_PORTFOLIOS
    assert f" · {ALL_PORTFOLIOS} · amounts in " in _captions(cpo)


def test_the_everything_option_says_what_everything_is() -> None:
    assert everything_label(Viewer("cpo", CPO), ("Growth", "Payments")) == "All portfolios"
    director = Viewer("vp", DIRECTOR, portfolio_ids=("payments", "growth"))
    assert everything_label(director, ("Growth", "Payments")) == "Your portfolios: Growth, Payments"
    assert everything_label(director, ("Payments",)) == "Payments"
    assert everything_label(director, ()) == "Your portfolios: none"
