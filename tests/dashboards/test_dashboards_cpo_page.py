"""The CPO overview on the hand-built serving copy: the last complete quarter against
the one before, and a plain note for every mart the copy does not hold."""

from __future__ import annotations

from pathlib import Path

from known_serving import ServingDb
from streamlit.testing.v1 import AppTest

from dashboards.formatting import money, percent

APP = Path(__file__).resolve().parents[2] / "dashboards" / "streamlit_app.py"


def _cpo() -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.title[0].value == "CPO overview"
    return app


def test_the_overview_shows_the_last_complete_quarter_against_the_one_before(
    dashboard_env: ServingDb,
) -> None:
    expected = dashboard_env.by_quarter["2026 Q3"]
    app = _cpo()
    shown = {metric.label: (metric.value, metric.delta) for metric in app.metric}
    # Q2 (Apr-Jun) earns and spends exactly what Q3 does in the hand-built company.
    assert shown["Revenue"] == (money(expected.revenue), "+$0")
    assert shown["R&D cost"] == (money(expected.rnd_cost), "+$0")
    assert shown["Contribution"] == (money(expected.contribution), "+$0")
    assert shown["R&D % of revenue"] == (percent(expected.rnd_pct_of_revenue), "+0.0 pp")
    captions = " ".join(caption.value for caption in app.caption)
    assert "2026 Q3 compared with 2026 Q2" in captions


def test_the_takeaway_names_the_best_and_the_loss_making_product(dashboard_env: ServingDb) -> None:
    bold = [m.value for m in _cpo().markdown if m.value.startswith("**Payments API")]
    # Q3: Payments API 300,000 - 150,000; Ledger 60,000 - 105,000.
    assert bold == [
        "**Payments API contributed most (+$150K); Ledger cost more than it earned (-$45K).**"
    ]


def test_sections_without_their_marts_say_what_to_publish(dashboard_env: ServingDb) -> None:
    app = _cpo()
    notes = " ".join(info.value for info in app.info)
    for mart in ("fct_investment_allocation", "fct_objective_scores", "fct_decisions"):
        assert f"marts.{mart}" in notes
    # No board pack to offer until every mart it reads is published.
    assert not app.get("download_button") or all(
        "board pack" not in button.proto.label for button in app.get("download_button")
    )
    assert any("The board pack needs" in caption.value for caption in app.caption)


def test_the_filters_follow_the_user_to_another_page(dashboard_env: ServingDb) -> None:
    app = _cpo()
    app.selectbox(key="portfolio").select("Growth").run()
    app.switch_page("app_pages/cost_vs_revenue.py").run()
    assert not app.exception
    assert app.selectbox(key="portfolio").value == "Growth"
    shown = {metric.label: metric.value for metric in app.metric}
    assert shown["Revenue"] == money(dashboard_env.by_portfolio["Growth"].revenue)
