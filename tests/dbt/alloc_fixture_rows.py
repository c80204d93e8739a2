"""The Jira and Aha! rows the allocation tests add to dbt_fixture_company.py, and their
hand-computed constants; shared by the allocation, folding and incremental tests.

See test_alloc_engine_small_company.py for the story these rows tell and the working
days and loaded costs the tests compute by hand.
"""

from __future__ import annotations

import datetime as dt

from dbt_fixture_company import RAW_ROWS

JAN, FEB, MAR = dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)
P1_JAN = 120000 / 12 * 22 / 31 * 1.30
MARTS = (
    "+fct_product_cost_revenue +fct_investment_allocation +fct_portfolio_items +fct_unmapped_values"
)


STATUS_IDS = {"To Do": "1", "In Progress": "3", "Done": "4"}


def status_change(
    issue_id: str, history_id: str, at: str, old: str, new: str, index: int = 0
) -> dict:
    """One Jira changelog row moving `issue_id` from status `old` to `new` at `at`."""
    return {
        "issue_id": issue_id,
        "history_id": history_id,
        "item_index": index,
        "field": "status",
        "from_value": STATUS_IDS[old],
        "from_string": old,
        "to_value": STATUS_IDS[new],
        "to_string": new,
        "changed_at": at,
    }


ALLOCATION_ROWS: dict[str, list[dict[str, object]]] = {
    "catalog__product_mappings": [
        {"product_id": "insights", "kind": "jira_project", "value": "INS"},
    ],
    "catalog__category_rules": [
        {"kind": "jira_issue_type", "value": "Bug", "category": "ktlo"},
        {"kind": "jira_label", "value": "tech-debt", "category": "tech_investment"},
    ],
    "catalog__status_map": [
        {"tool": "aha", "status": "In development", "meaning": "in_progress"},
    ],
    "jira__statuses": [
        {"status_id": "1", "status_name": "To Do", "status_category": "new"},
        {"status_id": "3", "status_name": "In Progress", "status_category": "indeterminate"},
        {"status_id": "4", "status_name": "Done", "status_category": "done"},
    ],
    "jira__issues": [
        {
            "issue_id": "10",
            "issue_key": "INS-10",
            "project_key": "INS",
            "issue_type": "Epic",
            "status": "In Progress",
            "status_category": "indeterminate",
            "created_at": "2025-01-02 09:00:00",
        },
        {
            "issue_id": "1",
            "issue_key": "PAY-1",
            "project_key": "PAY",
            "issue_type": "Story",
            "status": "Done",
            "status_category": "done",
            "assignee_key": "p1",
            "epic_key": "INS-10",
            "created_at": "2025-01-13 09:00:00",
        },
        {
            "issue_id": "2",
            "issue_key": "INS-2",
            "project_key": "INS",
            "issue_type": "Bug",
            "status": "To Do",
            "status_category": "new",
            "assignee_key": None,
            "created_at": "2025-01-15 09:00:00",
        },
        {
            "issue_id": "3",
            "issue_key": "PAY-3",
            "project_key": "PAY",
            "issue_type": "Task",
            "status": "Done",
            "status_category": "done",
            "assignee_key": "p1",
            "labels": "tech-debt",
            "created_at": "2025-02-20 09:00:00",
        },
    ],
    "jira__changelog": [
        {
            "issue_id": "1",
            "history_id": "101",
            "item_index": 0,
            "field": "Epic Link",
            "from_value": "99",
            "from_string": "PAY-99",
            "to_value": "10",
            "to_string": "INS-10",
            "changed_at": "2025-01-20 09:00:00",
        },
        status_change("1", "102", "2025-01-30 10:00:00", "To Do", "In Progress"),
        status_change("1", "103", "2025-02-04 12:00:00", "In Progress", "Done"),
        status_change("2", "201", "2025-02-03 09:00:00", "To Do", "In Progress"),
        status_change("2", "202", "2025-02-10 15:00:00", "In Progress", "To Do"),
        {
            "issue_id": "2",
            "history_id": "202",
            "item_index": 1,
            "field": "assignee",
            "from_value": "p2",
            "to_value": None,
            "changed_at": "2025-02-10 15:00:00",
        },
        status_change("3", "301", "2025-03-03 09:00:00", "To Do", "In Progress"),
        status_change("3", "302", "2025-03-04 17:00:00", "In Progress", "Done"),
        status_change("3", "303", "2025-03-06 10:00:00", "Done", "In Progress"),
        status_change("3", "304", "2025-03-06 16:00:00", "In Progress", "Done"),
    ],
    "roadmap__features": [
        {
            "feature_id": "f1",
            "reference_num": "INS-1",
            "name": "Partner rewards export",
            "product_prefix": "INS",
            "status": "In development",
            "release_name": "2025 Q1",
            "release_date": "2025-03-31",
            "category": "customer_commitment",
            "customer": "acme_bank",
            "jira_epic_key": "INS-10",
            "created_at": "2025-01-02 09:00:00",
            "updated_at": "2025-01-20 09:00:00",
        },
    ],
}


def company_rows(
    overrides: dict[str, list[dict[str, object]]] | None = None,
) -> dict[str, list[dict[str, object]]]:
    """The base fixture plus ALLOCATION_ROWS, table by table; `overrides` replaces whole tables."""
    tables = sorted(set(RAW_ROWS) | set(ALLOCATION_ROWS))
    rows = {name: RAW_ROWS.get(name, []) + ALLOCATION_ROWS.get(name, []) for name in tables}
    rows.update(overrides or {})
    return rows
