"""Real Jira Cloud payloads (Apache DevLake's e2e raw tables), read in place, and the
counts the API tests expect, computed here straight from the files.

DevLake keeps one JSON object per CSV row (`data`) without the page envelope. Its dump
has no `/field` list, so the list is rebuilt from what the payload itself says: each
custom-field changelog item names its field and id ("Epic Link" = customfield_10014,
"Sprint" = customfield_10020), and "Story Points" is customfield_10024, the field
DevLake's own test for these rows configures.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from typing import Any

from connector_samples import REAL_FIXTURES

FOLDER = REAL_FIXTURES / "jira_devlake"
STORY_POINTS_FIELD = {
    "id": "customfield_10024",
    "name": "Story Points",
    "custom": True,
    "schema": {"type": "number"},
}


def _rows(name: str) -> list[dict[str, str]]:
    csv.field_size_limit(1 << 30)
    with (FOLDER / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _unique_by_id(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[Any, dict[str, Any]] = {}
    for obj in objects:
        seen.setdefault(obj["id"], obj)
    return list(seen.values())


@dataclass
class JiraPayloads:
    """Everything the fake Jira serves. Its repr stays short: the payloads hold real
    people's names, which must not reach test reports."""

    issues: list[dict[str, Any]]
    fields: list[dict[str, Any]]
    statuses: list[dict[str, Any]]
    projects: list[dict[str, Any]]
    issue_types: list[dict[str, Any]]
    sprints: list[dict[str, Any]]
    sprint_board: int

    def __repr__(self) -> str:
        return f"<JiraPayloads: {len(self.issues)} issues>"


def load_payloads() -> JiraPayloads:
    """The DevLake payloads as a Jira would serve them (one object per id)."""
    issues = [json.loads(row["data"]) for row in _rows("_raw_jira_api_issues.csv")]
    named: dict[str, str] = {}
    for issue in issues:
        for history in issue["changelog"]["histories"]:
            for item in history["items"]:
                if str(item.get("fieldId", "")).startswith("customfield_"):
                    named[item["fieldId"]] = item["field"]
    fields = [{"id": i, "name": n, "custom": True, "schema": {}} for i, n in named.items()]
    sprint_rows = _rows("_raw_jira_api_sprints.csv")
    return JiraPayloads(
        issues=issues,
        fields=[*fields, STORY_POINTS_FIELD],
        statuses=_unique_by_id([json.loads(r["data"]) for r in _rows("_raw_jira_api_status.csv")]),
        projects=_unique_by_id(
            [json.loads(r["data"]) for r in _rows("_raw_jira_api_projects.csv")]
        ),
        issue_types=_unique_by_id(
            [json.loads(r["data"]) for r in _rows("_raw_jira_api_issue_types.csv")]
        ),
        sprints=[json.loads(r["data"]) for r in sprint_rows],
        sprint_board=json.loads(sprint_rows[0]["params"])["BoardId"],
    )


def expected_counts(issues: list[dict[str, Any]]) -> dict[str, int]:
    """Issues, changelog items and status transitions, counted from the raw JSON."""
    items = [
        item
        for issue in issues
        for history in issue["changelog"]["histories"]
        for item in history["items"]
    ]
    return {
        "issues": len({issue["id"] for issue in issues}),
        "changelog_items": len(items),
        "status_changes": sum(1 for item in items if item.get("field") == "status"),
    }


def fixtures_available() -> bool:
    """Whether ../shared/fixtures/real is present (tests skip without it)."""
    return FOLDER.is_dir()
