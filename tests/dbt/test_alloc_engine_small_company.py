"""The person-day allocation engine on a small company, checked against hand-computed answers.

The company is dbt_fixture_company.py (people) plus the Jira and Aha! rows of
ALLOCATION_ROWS below. p1 joins Payments Core on Fri 10 Jan 2025; p2 (Berlin, EUR)
leaves on Mon 10 Feb; p3 is a 0.5 FTE Insights part-timer with no Jira activity.

- PAY-1, a story in the Payments project, moved into epic INS-10 whose Aha! feature
  INS-1 (Insights, customer_commitment) is its current epic; p1 has it in progress from
  Thu 30 Jan 10:00 to Tue 4 Feb 12:00, across the month boundary.
- INS-2, a bug without an epic (Insights project), in progress with the leaver p2 from
  Mon 3 Feb until their last day, when it goes back to To Do, unassigned.
- PAY-3, a tech-debt task p1 works on 3-4 Mar, finishes, and reopens on 6 Mar.
- 'To Do' is not in the status map: it counts as Jira's category 'new' and is listed
  as unmapped.

Working days: January 2025 from Fri 10 Jan (p1's hire) has 16; February has 20; March
has 21. Loaded costs (from the base fixture): p1 9225.81 in January (22/31 of
120000/12 x 1.30), 13000 in February, 14300 in March (132000); p2 12320 in January and
4800 in February (to the 10th); p3 3250 a month.
"""

from __future__ import annotations

import datetime as dt

import pytest
from alloc_fixture_rows import FEB, JAN, MAR, P1_JAN
from dbt_runner import DbtWarehouse


@pytest.fixture(scope="module")
def alloc_warehouse(alloc_company_warehouse: DbtWarehouse) -> DbtWarehouse:
    """The small company with Jira history, built through the allocation marts (once per
    session, tests/dbt/conftest.py; these tests only read it)."""
    return alloc_company_warehouse


def _people_cost(warehouse: DbtWarehouse, product_id: str, month: dt.date) -> float:
    ((cost,),) = warehouse.query(
        "select people_cost from marts.fct_product_cost_revenue where product_id = ? and month = ?",
        [product_id, month],
    )
    return cost


def test_work_across_the_month_boundary_is_split_by_working_days(alloc_warehouse):
    # p1 on PAY-1 (Insights feature) Thu 30 and Fri 31 Jan: 2 of 16 working days; Mon 3
    # and Tue 4 Feb: 2 of 20. p3 (no Jira) stays on Insights, unallocated.
    assert _people_cost(alloc_warehouse, "insights", JAN) == pytest.approx(
        3250 + P1_JAN * 2 / 16, abs=0.005
    )
    assert _people_cost(alloc_warehouse, "payments_api", JAN) == pytest.approx(
        P1_JAN * 14 / 16 + 12320, abs=0.005
    )


def test_a_leavers_last_days_follow_their_issue_until_it_is_handed_back(alloc_warehouse):
    # p2 works on bug INS-2 every working day of February they were employed (3-7 and
    # Mon 10 Feb, when it goes back to To Do at 15:00): all 4800 go to Insights.
    assert _people_cost(alloc_warehouse, "insights", FEB) == pytest.approx(
        3250 + 13000 * 2 / 20 + 4800, abs=0.005
    )
    assert _people_cost(alloc_warehouse, "payments_api", FEB) == pytest.approx(
        13000 * 18 / 20, abs=0.005
    )


def test_allocation_keeps_every_cent_of_people_cost(alloc_warehouse):
    rows = alloc_warehouse.query(
        "select month, sum(people_cost) from marts.fct_product_cost_revenue "
        "where month in (?, ?, ?) group by month order by month",
        [JAN, FEB, MAR],
    )
    # team-default totals of the base fixture: Jan p1 + p2 + p3; Feb; Mar p1 + p3 + p4
    assert rows == [
        (JAN, pytest.approx(P1_JAN + 12320 + 3250, abs=0.01)),
        (FEB, pytest.approx(13000 + 4800 + 3250, abs=0.01)),
        (MAR, pytest.approx(14300 + 3250 + 48000 / 12 * 1.30, abs=0.01)),
    ]


def test_categories_come_from_the_feature_then_the_bug_rule_then_labels(alloc_warehouse):
    rows = alloc_warehouse.query(
        "select product_id, category, fte_months from marts.fct_investment_allocation "
        "where quarter = '2025-Q1' and fte_months > 0 order by product_id, category"
    )
    p1_jan_fte = 22 / 31
    assert rows == [
        # PAY-1 follows its current epic's feature: customer_commitment on Insights
        ("insights", "customer_commitment", pytest.approx(round(p1_jan_fte * 2 / 16 + 2 / 20, 4))),
        # the bug without an epic: ktlo (p2's February, 10/28 FTE)
        ("insights", "ktlo", pytest.approx(round(10 / 28, 4))),
        ("insights", "unallocated", pytest.approx(1.5)),
        ("payments_api", "tech_investment", pytest.approx(round(3 / 21, 4))),
        # p1's other days, p2's January: Payments API unallocated
        (
            "payments_api",
            "unallocated",
            pytest.approx(round(p1_jan_fte * 14 / 16 + 1 + 18 / 20 + 18 / 21, 4), abs=1e-4),
        ),
        ("unmapped", "unallocated", pytest.approx(1.0)),
    ]


def test_a_reopened_issue_counts_both_spells_but_not_the_day_between(alloc_warehouse):
    # PAY-3: in progress 3-4 Mar, done on the 5th, reopened on the 6th: 3 of 21 days
    ((capitalizable, people),) = alloc_warehouse.query(
        "select capitalizable_cost, people_cost from marts.fct_product_cost_revenue "
        "where product_id = 'payments_api' and month = ?",
        [MAR],
    )
    ((tech,),) = alloc_warehouse.query(
        "select fte_months from marts.fct_investment_allocation "
        "where product_id = 'payments_api' and quarter = '2025-Q1' and category = 'tech_investment'"
    )
    assert tech == pytest.approx(round(3 / 21, 4))
    assert people == pytest.approx(14300, abs=0.005)
    assert capitalizable == 0  # tech_investment is not capitalizable


def test_capitalizable_cost_is_the_customer_commitment_work_in_development(alloc_warehouse):
    rows = alloc_warehouse.query(
        "select month, capitalizable_cost from marts.fct_product_cost_revenue "
        "where product_id = 'insights' and month in (?, ?) order by month",
        [JAN, FEB],
    )
    assert rows == [
        (JAN, pytest.approx(P1_JAN * 2 / 16, abs=0.005)),
        (FEB, pytest.approx(13000 * 2 / 20, abs=0.005)),
    ]


def test_the_status_the_catalog_does_not_map_is_listed_as_unmapped(alloc_warehouse):
    rows = alloc_warehouse.query(
        "select kind, value from marts.fct_unmapped_values where source in ('jira', 'hr') "
        "order by kind, value"
    )
    assert ("jira_status", "To Do") in rows
    assert ("hr_team", "Skunkworks") in rows
