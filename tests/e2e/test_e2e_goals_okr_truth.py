"""OKR progress and objective scores recover what the demo generator planted."""

from __future__ import annotations

from datetime import date

import pytest
from warehouse_reads import query

PROGRESS = 1e-4  # truth.json rounds progress and scores to 4 places


@pytest.fixture(scope="module")
def latest_key_results(demo_warehouse) -> dict[str, dict]:
    columns = (
        "key_result_id, progress, score, status, expected_progress, confidence, "
        "confidence_flag, value_source, metric_binding, period_ended, week_start"
    )
    rows = query(
        demo_warehouse.serving_path,
        f"select {columns} from marts.fct_key_result_progress where is_latest_week",
    )
    names = [name.strip() for name in columns.split(",")]
    return {row[0]: dict(zip(names, row, strict=True)) for row in rows}


@pytest.fixture(scope="module")
def objectives(demo_warehouse) -> dict[str, dict]:
    columns = (
        "objective_id, score, status, kr_count, at_risk_count, confidence_flag_count, "
        "director, portfolio_id, org_unit_kind"
    )
    rows = query(demo_warehouse.serving_path, f"select {columns} from marts.fct_objective_scores")
    names = [name.strip() for name in columns.split(",")]
    return {row[0]: dict(zip(names, row, strict=True)) for row in rows}


def test_every_key_result_ends_at_its_planted_final_progress(latest_key_results, truth):
    planted = truth["key_result_final_progress"]
    assert len(planted) > 300
    wrong = [
        f"{kr}: planted {value}, mart {latest_key_results.get(kr, {}).get('progress')}"
        for kr, value in planted.items()
        if latest_key_results.get(kr, {}).get("progress") is None
        or abs(latest_key_results[kr]["progress"] - value) > PROGRESS
    ]
    assert not wrong, "\n".join(wrong[:20])


def test_metric_bound_key_results_take_their_value_from_the_marts(latest_key_results, truth):
    bound = {kr: row for kr, row in latest_key_results.items() if row["metric_binding"]}
    kinds = {row["metric_binding"].split(":")[0] for row in bound.values()}
    assert kinds == {"adoption_rate", "revenue"}
    assert {row["value_source"] for row in bound.values()} == {"metric"}
    for kr, row in bound.items():
        assert row["progress"] == pytest.approx(
            truth["key_result_final_progress"][kr], abs=PROGRESS
        )


def test_past_key_results_end_achieved_or_missed(latest_key_results, truth):
    current = truth["current_quarter_key_results"]
    past = {kr: row for kr, row in latest_key_results.items() if kr not in current}
    assert all(row["period_ended"] for row in past.values())
    for kr, row in past.items():
        assert row["status"] == ("achieved" if row["progress"] >= 1 else "missed"), kr
    statuses = {row["status"] for row in past.values()}
    assert statuses == {"achieved", "missed"}


def test_current_quarter_statuses_confidence_and_flags_match_truth(latest_key_results, truth):
    current = truth["current_quarter_key_results"]
    assert len(current) > 20
    for kr, planted in current.items():
        row = latest_key_results[kr]
        assert row["week_start"] == date(2026, 11, 9), "the as-of week is the week of 9 Nov"
        assert row["status"] == planted["status"], kr
        assert row["progress"] == pytest.approx(planted["progress"], abs=PROGRESS), kr
        assert row["expected_progress"] == pytest.approx(45 / 92, abs=PROGRESS)
        assert row["expected_progress"] == planted["expected_progress"]
        assert row["confidence"] == planted["confidence"], kr
        assert row["confidence_flag"] == planted["confidence_flag"], kr
    flagged = sorted(kr for kr, row in latest_key_results.items() if row["confidence_flag"])
    assert flagged == truth["story"]["confidence_flag_key_results"]


def test_objective_scores_are_the_planted_weighted_capped_averages(objectives, truth):
    wrong = [
        f"{objective}: planted {score}, mart {objectives[objective]['score']}"
        for objective, score in truth["objective_scores"].items()
        if objectives[objective]["score"] is None
        or abs(objectives[objective]["score"] - score) > PROGRESS
    ]
    assert not wrong, "\n".join(wrong)


def test_the_at_risk_objective_is_the_only_one_at_risk_this_quarter(objectives, truth):
    at_risk_id = truth["story"]["at_risk_objective"]
    for objective, planted in truth["current_quarter_objectives"].items():
        row = objectives[objective]
        assert row["kr_count"] == planted["kr_count"], objective
        assert row["at_risk_count"] == planted["at_risk_count"], objective
        assert (row["status"] == "at_risk") == (objective == at_risk_id), objective
    assert objectives[at_risk_id]["at_risk_count"] == objectives[at_risk_id]["kr_count"] == 3


def test_a_director_sees_their_portfolio_and_its_products(objectives, truth):
    at_risk_id = truth["story"]["at_risk_objective"]
    director = objectives[at_risk_id]["director"]
    assert director is not None and director.startswith("VP ")
    tree = {o for o, row in objectives.items() if row["director"] == director and "2026Q4" in o}
    kinds = {objectives[o]["org_unit_kind"] for o in tree}
    assert at_risk_id in tree
    assert kinds == {"portfolio", "product"}
    portfolio = objectives[at_risk_id]["portfolio_id"]
    assert f"O-2026Q4-{portfolio}" in tree
    assert all(objectives[o]["portfolio_id"] == portfolio for o in tree)
