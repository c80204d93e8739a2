"""The Jira reader on real Jira Cloud responses (Apache DevLake's e2e raw tables).

DevLake stores one issue per CSV row (`data` = the issue JSON with expand=changelog);
the rows are wrapped into one Data Center search page here. DevLake's dump has no
`/rest/api/2/field` list, so the field list is rebuilt from what the payload itself
says: every custom-field changelog item carries its field name and id (that gives
"Epic Link" = customfield_10014 and "Sprint" = customfield_10020), and "Story Points"
is customfield_10024, the field DevLake's own test for these rows configures
(`StoryPointField: "customfield_10024"` in backend/plugins/jira/e2e/issue_test.go).
"""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from connectors.jira.fields import field_map
from connectors.jira.files import read_issue_pages
from connectors.pseudonymise import Pseudonymiser

ISSUES_CSV = Path("jira_devlake") / "_raw_jira_api_issues.csv"
STORY_POINTS_FIELD = {
    "id": "customfield_10024",
    "name": "Story Points",
    "custom": True,
    "schema": {"type": "number"},
}


def _devlake_issues(real_fixtures: Path) -> list[dict[str, Any]]:
    csv.field_size_limit(1 << 30)
    with (real_fixtures / ISSUES_CSV).open(encoding="utf-8", newline="") as handle:
        return [json.loads(row["data"]) for row in csv.DictReader(handle)]


def _fields_named_in_changelogs(issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    named: dict[str, str] = {}
    for issue in issues:
        for history in issue["changelog"]["histories"]:
            for item in history["items"]:
                if str(item.get("fieldId", "")).startswith("customfield_"):
                    named[item["fieldId"]] = item["field"]
    return [{"id": i, "name": n, "custom": True, "schema": {}} for i, n in named.items()]


def _people_strings(value: Any, found: set[str]) -> set[str]:
    """Every displayName and emailAddress string anywhere in the payload."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in ("displayName", "emailAddress") and isinstance(inner, str) and inner:
                found.add(inner)
            _people_strings(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _people_strings(inner, found)
    return found


class _Read(dict):
    """The payload and what the reader made of it; its repr stays out of test reports
    because the payload holds real people's names."""

    def __repr__(self) -> str:
        return "<DevLake issues and the tables read from them>"


@pytest.fixture
def devlake(real_fixtures: Path, pseudonymise: Pseudonymiser) -> dict[str, Any]:
    issues = _devlake_issues(real_fixtures)
    fields = _fields_named_in_changelogs(issues)
    page = {"startAt": 0, "maxResults": 100, "total": len(issues), "issues": issues}
    tables = read_issue_pages(
        [("jira/issues/page_0001.json", page)],
        field_map([*fields, STORY_POINTS_FIELD]),
        pseudonymise,
    )
    return _Read(issues=issues, fields=fields, tables=tables)


def test_the_changelogs_name_the_epic_link_and_sprint_fields(devlake: dict[str, Any]) -> None:
    names = {f["name"]: f["id"] for f in devlake["fields"]}
    assert names["Epic Link"] == "customfield_10014"
    assert names["Sprint"] == "customfield_10020"


def test_all_33_issues_are_read(devlake: dict[str, Any]) -> None:
    issues = devlake["tables"]["jira__issues"]
    assert issues.num_rows == 33
    assert len(set(issues.column("issue_id").to_pylist())) == 33


def test_plus0800_offsets_become_utc(devlake: dict[str, Any]) -> None:
    issues = {r["issue_key"]: r for r in devlake["tables"]["jira__issues"].to_pylist()}
    # "created": "2020-06-12T08:13:13.360+0800"
    assert issues["EE-1"]["created_at"] == datetime(2020, 6, 12, 0, 13, 13, 360000)
    assert all(r["created_at"] is not None and r["updated_at"] is not None for r in issues.values())


def test_story_points_by_field_name_whatever_their_json_type(devlake: dict[str, Any]) -> None:
    points = {
        r["issue_key"]: r["story_points"] for r in devlake["tables"]["jira__issues"].to_pylist()
    }
    assert points["EE-1"] is None  # sent as the string "-1": not estimated
    assert points["EE-2"] == 2.0  # sent as the number 2.0
    assert sum(p is not None for p in points.values()) == 1


def test_epics_from_epic_link_and_parents(devlake: dict[str, Any]) -> None:
    issues = {r["issue_key"]: r for r in devlake["tables"]["jira__issues"].to_pylist()}
    assert issues["K5-2"]["epic_key"] == "K5-1"
    # EE-25's parent EE-1 is a story (故事), so it is a parent, not an epic.
    assert (issues["EE-25"]["parent_key"], issues["EE-25"]["epic_key"]) == ("EE-1", None)


def test_every_changelog_item_lands(devlake: dict[str, Any]) -> None:
    expected = sum(len(h["items"]) for i in devlake["issues"] for h in i["changelog"]["histories"])
    changelog = devlake["tables"]["jira__changelog"]
    assert changelog.num_rows == expected
    assignee = [r for r in changelog.to_pylist() if r["field"] == "assignee"]
    assert assignee and all(r["from_string"] is None and r["to_string"] is None for r in assignee)
    assert any(r["to_value"] is not None for r in assignee)


def test_no_display_name_or_email_lands(devlake: dict[str, Any]) -> None:
    secrets = _people_strings(devlake["issues"], set())
    assert len(secrets) > 0  # the payload does carry people
    # Only table and column names are reported, never the leaked value itself.
    leaks = [
        (name, column)
        for name, table in devlake["tables"].items()
        for column in table.column_names
        if any(
            isinstance(v, str) and any(s in v for s in secrets)
            for v in table.column(column).to_pylist()
        )
    ]
    assert leaks == []
