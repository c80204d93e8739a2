"""Every page on the demo warehouse: no exception, and the figures a user reads are the
facts the generator planted (truth.json) or, where it plants none, what the mart holds."""

from __future__ import annotations

import pytest
from pages_on_demo import PAGES, metrics, point_at, run_page, takeaways
from warehouse_reads import query

from dashboards.formatting import days, money, percent

Q3 = ("2026-07", "2026-08", "2026-09")


@pytest.fixture(autouse=True)
def _on_demo(demo_warehouse, monkeypatch: pytest.MonkeyPatch) -> None:
    point_at(demo_warehouse.data_dir, monkeypatch)


def _q3_total(*by_product_month: dict) -> float:
    return sum(
        months.get(m, 0.0) for table in by_product_month for months in table.values() for m in Q3
    )


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_demo_company(page: str | None) -> None:
    app = run_page(page)
    assert app.title and not [w.value for w in app.warning if "no marts" in w.value]
    assert not [i.value for i in app.info if "has no marts" in i.value]


def test_cpo_overview_shows_2026_q3_as_planted(truth: dict) -> None:
    app = run_page(None)
    revenue = _q3_total(truth["revenue_by_product_month"]) + sum(
        truth["unmapped_revenue_by_month"][m] for m in Q3
    )
    rnd_cost = _q3_total(
        truth["people_cost_allocated_by_product_month"], truth["other_rnd_cost_by_product_month"]
    ) + sum(truth["unmapped_rnd_cost_by_month"][m] for m in Q3)
    shown = metrics(app)
    assert shown["Revenue"] == money(revenue)
    assert shown["R&D cost"] == money(rnd_cost)
    assert shown["R&D % of revenue"] == percent(rnd_cost / revenue)
    # The current quarter: only the loss-making product's objective is at risk.
    at_risk = [
        o for o, facts in truth["current_quarter_objectives"].items() if facts["at_risk_count"]
    ]
    assert (
        shown["Objectives off track"]
        == f"{len(at_risk)} of {len(truth['current_quarter_objectives'])}"
    )

    lines = " ".join(takeaways(app))
    story = truth["story"]
    share = truth["customer_commitment_share_by_portfolio_quarter"][story["over_cap_portfolio"]][
        "2026-Q3"
    ]
    assert (
        f"Over the 10% customer-commitment cap in 2026 Q3: Customer Engagement ({percent(share, 0)})."
        in lines
    )
    assert "Open Banking Connect cost more than it earned" in lines
    assert "1 of 11 objectives is at risk: Open Banking Connect" in lines
    slowest = story["slowing_quarters"]["2026-Q3"]
    assert f"Slowest area: {story['slowing_area']} ({days(slowest)})." in lines


def test_portfolio_say_do_is_the_marts(demo_warehouse) -> None:
    [(committed, delivered)] = query(
        demo_warehouse.serving_path,
        "select sum(committed_at_quarter_start), sum(delivered_in_quarter) "
        "from marts.fct_roadmap_predictability where quarter = '2026-Q3'",
    )
    shown = metrics(run_page("app_pages/portfolio.py"))
    assert shown["Say/do, 2026-Q3"] == percent(delivered / committed, 0)


def test_decisions_page_finds_the_slowing_area(truth: dict) -> None:
    app = run_page("app_pages/decisions.py")
    areas = app.dataframe[0].value.set_index("product_area")
    story = truth["story"]
    assert areas.index[0] == story["slowing_area"]  # slowest first
    assert areas.loc[story["slowing_area"], "median_days"] == story["slowing_quarters"]["2026-Q3"]
    undecided = sum(
        count
        for buckets in truth["undecided_ideas_by_area_age"].values()
        for count in buckets.values()
    )
    assert metrics(app)["Undecided now"] == f"{undecided:,}"


def test_adoption_page_shows_each_features_enabled_accounts(truth: dict) -> None:
    table = run_page("app_pages/adoption.py").dataframe[0].value.set_index("feature_id")
    for feature, months in truth["feature_adoption_by_month"].items():
        planted = months["2026-10"]
        assert table.loc[feature, "enabled_accounts"] == planted["enabled_accounts"]
        assert table.loc[feature, "eligible_accounts"] == planted["eligible_accounts"]
        assert table.loc[feature, "adoption_rate"] == pytest.approx(
            planted["adoption_rate"], abs=1e-4
        )


def test_data_health_lists_what_the_catalog_leaves_out(truth: dict) -> None:
    app = run_page("app_pages/data_health.py")
    unmapped = next(frame.value for frame in app.dataframe if "what_to_do" in frame.value.columns)
    by_value = unmapped.set_index("value")
    planted = truth["unmapped"]
    assert by_value.loc[planted["skus"][0], "amount"] == pytest.approx(planted["revenue_total"])
    assert by_value.loc[planted["cost_centres"][0], "amount"] == pytest.approx(
        planted["rnd_cost_total"]
    )
    assert "skus" in by_value.loc[planted["skus"][0], "what_to_do"]


def test_a_directors_bookmark_opens_their_tree(truth: dict) -> None:
    app = run_page("app_pages/goals.py", {"org_unit": "data", "owner": "VP Data & Insights"})
    tree = app.dataframe[0].value
    # Data & Insights: its portfolio objective and its two products' (2026 Q4).
    assert set(tree["org_unit_name"]) == {"Data & Insights", "Insights Hub", "Open Banking Connect"}
    assert metrics(app)["Off track"] == "1"
    assert app.query_params["org_unit"] == ["data"] or app.query_params["org_unit"] == "data"


def test_another_directors_objectives_are_all_on_track(truth: dict) -> None:
    app = run_page("app_pages/goals.py", {"owner": "VP Payments"})
    tree = app.dataframe[0].value
    expected = {
        o
        for o in truth["current_quarter_objectives"]
        if o.split("-", 2)[2] in {"payments", "payments_api", "card_issuing", "fraud_shield"}
    }
    assert len(tree) == len(expected) == 4
    assert metrics(app)["Off track"] == "0"
