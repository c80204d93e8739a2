"""The story a CPO should notice is really in the demo company's truth."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path
from typing import Any

from demo_recompute import load_catalog

CAP = 0.10


def _last_12(table: dict[str, float], last_month: str) -> float:
    year, month = int(last_month[:4]), int(last_month[5:])
    months = []
    for _ in range(12):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sum(table.get(m, 0.0) for m in months)


def test_one_product_costs_more_than_it_earns(planted: dict[str, Any]) -> None:
    last = planted["last_closed_month"]
    contribution = {}
    for product, revenue in planted["revenue_by_product_month"].items():
        other = planted["other_rnd_cost_by_product_month"].get(product, {})
        for people_key in (
            "people_cost_team_default_by_product_month",
            "people_cost_allocated_by_product_month",
        ):
            cost = _last_12(planted[people_key].get(product, {}), last) + _last_12(other, last)
            contribution[(product, people_key)] = _last_12(revenue, last) - cost
    losers = {product for (product, _), value in contribution.items() if value < 0}
    assert losers == {planted["story"]["loss_making_product"]}


def test_one_portfolio_spends_over_the_customer_commitment_cap(planted: dict[str, Any]) -> None:
    story = planted["story"]
    recent = list(story["slowing_quarters"])  # the last four complete quarters
    shares = planted["customer_commitment_share_by_portfolio_quarter"]
    assert story["over_cap_quarters"] == recent
    for quarter in recent:
        assert shares[story["over_cap_portfolio"]][quarter] > CAP
        others = {p: q[quarter] for p, q in shares.items() if p != story["over_cap_portfolio"]}
        assert all(share <= CAP for share in others.values()), (quarter, others)


def test_customer_commitment_share_is_the_share_of_fte_months(planted: dict[str, Any]) -> None:
    fte = planted["fte_months_by_portfolio_quarter_category"]
    shares = planted["customer_commitment_share_by_portfolio_quarter"]
    for portfolio, quarters in fte.items():
        for quarter, categories in quarters.items():
            expected = categories.get("customer_commitment", 0.0) / sum(categories.values())
            assert abs(shares[portfolio][quarter] - expected) < 1e-3


def test_decisions_slow_down_in_one_product_area(planted: dict[str, Any]) -> None:
    area = planted["story"]["slowing_area"]
    medians = list(planted["story"]["slowing_quarters"].values())
    assert medians == [
        planted["median_days_to_decision_by_area_quarter"][area][q]
        for q in planted["story"]["slowing_quarters"]
    ]
    assert all(a < b for a, b in itertools.pairwise(medians)), medians
    assert medians[-1] >= 2 * medians[0]
    # In the latest complete quarter it is the slowest area of all.
    latest = list(planted["story"]["slowing_quarters"])[-1]
    by_area = planted["median_days_to_decision_by_area_quarter"]
    others = [q[latest] for a, q in by_area.items() if a != area and latest in q]
    assert others and medians[-1] > max(others)


def test_one_objective_is_at_risk_in_the_current_quarter(planted: dict[str, Any]) -> None:
    at_risk = planted["story"]["at_risk_objective"]
    objectives = planted["current_quarter_objectives"]
    assert objectives[at_risk]["at_risk_count"] == objectives[at_risk]["kr_count"] > 0
    assert all(o["at_risk_count"] == 0 for oid, o in objectives.items() if oid != at_risk)
    statuses = {kr: f["status"] for kr, f in planted["current_quarter_key_results"].items()}
    assert {s for kr, s in statuses.items() if kr.startswith(at_risk + "-")} == {"at_risk"}


def test_current_quarter_is_still_running(demo: Path, planted: dict[str, Any]) -> None:
    with (demo / "okrs" / "objectives.csv").open(encoding="utf-8") as handle:
        current = [r for r in csv.DictReader(handle) if r["period"] == "2026-Q4"]
    assert current and all(r["period_end"] == "2026-12-31" for r in current)
    with (demo / "okrs" / "checkins.csv").open(encoding="utf-8") as handle:
        dates = [r["checkin_date"] for r in csv.DictReader(handle)]
    assert max(dates) < planted["as_of"]


def test_what_is_unmapped_is_in_the_files_but_not_the_catalog(
    demo: Path, planted: dict[str, Any]
) -> None:
    catalog = load_catalog(demo)
    products = [p for pf in catalog["portfolios"] for p in pf["products"]]
    skus = {s for p in products for s in p["skus"]}
    cost_centres = {c for p in products for c in p["cost_centres"]}
    with (demo / "finance" / "revenue.csv").open(encoding="utf-8") as handle:
        sold = {r["SKU"] for r in csv.DictReader(handle)}
    with (demo / "finance" / "gl.csv").open(encoding="utf-8") as handle:
        rnd = {
            r["Cost Center"]
            for r in csv.DictReader(handle)
            if r["Account"] in catalog["rnd_accounts"]
        }
    assert sold - skus == set(planted["unmapped"]["skus"])
    assert rnd - cost_centres == set(planted["unmapped"]["cost_centres"])
    assert planted["unmapped"]["revenue_total"] > 0 and planted["unmapped"]["rnd_cost_total"] > 0
