"""The OKR, decision, predictability and adoption marts on the hand-made dbt company.

That company has finance and HR but no OKRs, Aha! or analytics exports, as a user who
starts with only some tools would. The marts must still build (empty, not failing), and
the dbt unit tests that pin their logic (every key-result type, a running period, a
check-in after the period, a reversed decision, a quarter without decisions, a product
without active users) must have run and passed in that build.
"""

from __future__ import annotations

import pytest
from dbt_runner import DbtWarehouse

MARTS = (
    "fct_key_result_progress",
    "fct_objective_scores",
    "fct_decisions",
    "fct_decision_latency",
    "fct_roadmap_predictability",
    "fct_feature_adoption",
)
UNIT_TESTS = {
    "int_key_result_weeks": ["key_result_weeks_stop_at_the_as_of_date_or_the_period_end"],
    "fct_key_result_progress": [
        "progress_of_each_key_result_type_in_a_running_period",
        "edge_cases_give_defined_results",
        "bound_key_results_take_the_metric_of_the_last_closed_period",
    ],
    "fct_objective_scores": ["objective_score_is_the_weight_averaged_capped_progress"],
    "int_idea_decisions": ["first_decision_counts_and_a_flip_within_90_days_is_a_reversal"],
    "fct_decision_latency": ["latency_quarters_without_decisions_and_the_aged_backlog"],
    "fct_roadmap_predictability": ["say_do_counts_what_stood_on_the_quarters_first_day"],
    "fct_feature_adoption": ["adoption_rates_and_a_product_without_active_users"],
}


@pytest.mark.parametrize("mart", MARTS)
def test_mart_builds_empty_when_its_sources_are_missing(dbt_warehouse: DbtWarehouse, mart) -> None:
    assert dbt_warehouse.node_statuses[f"model.productops.{mart}"] == "success"
    assert dbt_warehouse.query(f"select count(*) from marts.{mart}") == [(0,)]


def test_without_activity_there_is_no_as_of_date(dbt_warehouse: DbtWarehouse) -> None:
    # finance months do not move the as-of date: only tool activity does
    assert dbt_warehouse.query("select as_of_date from intermediate.int_as_of_date") == [(None,)]


@pytest.mark.parametrize(
    "unit_test",
    [
        f"unit_test.productops.{model}.{name}"
        for model, names in UNIT_TESTS.items()
        for name in names
    ],
)
def test_logic_unit_tests_passed_in_the_build(dbt_warehouse: DbtWarehouse, unit_test) -> None:
    assert dbt_warehouse.node_statuses.get(unit_test) == "pass"
