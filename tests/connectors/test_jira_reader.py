"""Jira REST pages → jira__* tables: fields by name, epics, UTC times, pseudonymous people."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from connectors import schemas
from connectors.errors import SourceFileError
from connectors.jira import read_jira_folder
from connectors.jira.fields import field_map
from connectors.jira.files import read_issue_pages
from connectors.pseudonymise import Pseudonymiser, person_key

FIELDS = [
    {"id": "summary", "name": "Summary", "custom": False, "schema": {"type": "string"}},
    {
        "id": "customfield_10777",
        "name": "Story point estimate",
        "custom": True,
        "schema": {"type": "number"},
    },
    # A look-alike field: its value must not be taken for story points.
    {
        "id": "customfield_10016",
        "name": "Story point legacy",
        "custom": True,
        "schema": {"type": "number"},
    },
    {"id": "customfield_10888", "name": "Epic Link", "custom": True, "schema": {"type": "any"}},
    {"id": "customfield_12000", "name": "Reviewer", "custom": True, "schema": {"type": "user"}},
]
GRACE = {"accountId": "acc-grace", "displayName": "Grace Hopper"}
ADA = {"accountId": "acc-ada", "displayName": "Ada Lovelace", "emailAddress": "Ada@Example.com"}
NAMES_AND_EMAILS = (
    "Grace Hopper",
    "Ada Lovelace",
    "Bob Unknown",
    "Ada@Example.com",
    "ada@example.com",
)


def _issue(issue_id: str, key: str, issue_type: str, **fields: Any) -> dict[str, Any]:
    changelog = fields.pop("changelog", [])
    return {
        "id": issue_id,
        "key": key,
        "fields": {
            "project": {"id": "100", "key": "PAY", "name": "Payments"},
            "issuetype": {"name": issue_type},
            "summary": f"Work item {key}",
            "status": {"name": "In Progress", "statusCategory": {"key": "indeterminate"}},
            "labels": [],
            "components": [],
            "created": "2025-01-06T09:00:00.000+0000",
            "updated": "2025-01-06T09:00:00.000+0000",
            "resolutiondate": None,
            **fields,
        },
        "changelog": {
            "startAt": 0,
            "maxResults": len(changelog),
            "total": len(changelog),
            "histories": changelog,
        },
    }


def _pages() -> tuple[dict[str, Any], dict[str, Any]]:
    epic = _issue("10001", "PAY-1", "Epic")
    story = _issue(
        "10002",
        "PAY-2",
        "Story",
        parent={
            "id": "10001",
            "key": "PAY-1",
            "fields": {"issuetype": {"name": "Epic", "hierarchyLevel": 1}},
        },
        customfield_10777=5,
        customfield_10016=99,
        created="2025-01-07T17:30:00.000+0800",
        assignee=GRACE,
        labels=["customer-commitment", "api"],
        components=[{"name": "Checkout"}, {"name": "Payouts"}],
        changelog=[
            {
                "id": "500",
                "author": GRACE,
                "created": "2025-01-08T10:00:00.000+08:00",
                "items": [
                    {
                        "field": "status",
                        "fieldtype": "jira",
                        "fieldId": "status",
                        "from": "10000",
                        "fromString": "To Do",
                        "to": "3",
                        "toString": "In Progress",
                    },
                    {
                        "field": "assignee",
                        "fieldtype": "jira",
                        "fieldId": "assignee",
                        "from": None,
                        "fromString": None,
                        "to": "acc-ada",
                        "toString": "Ada Lovelace",
                    },
                ],
            },
            {
                "id": "501",
                "author": ADA,
                "created": "2025-01-09T08:00:00Z",
                "items": [
                    {
                        "field": "assignee",
                        "fieldtype": "jira",
                        "fieldId": "assignee",
                        "from": "acc-ada",
                        "fromString": "Ada Lovelace",
                        "to": "acc-bob",
                        "toString": "Bob Unknown",
                    },
                    {
                        "field": "Reviewer",
                        "fieldtype": "custom",
                        "fieldId": "customfield_12000",
                        "from": None,
                        "fromString": None,
                        "to": "acc-grace",
                        "toString": "Grace Hopper",
                    },
                ],
            },
        ],
    )
    bug = _issue(
        "10003",
        "PAY-3",
        "Bug",
        parent={"id": "10002", "key": "PAY-2", "fields": {"issuetype": {"name": "Story"}}},
        customfield_10888="PAY-9",
        created="2025-01-09T10:00:00Z",
        resolutiondate="2025-01-10T12:00:00.000+0000",
        status={"name": "Done", "statusCategory": {"key": "done"}},
        assignee=ADA,  # Ada's address is only ever shown here, on the second page.
    )
    data_center = {"startAt": 0, "maxResults": 2, "total": 3, "issues": [epic, story]}
    cloud = {"issues": [bug], "isLast": True}
    return data_center, cloud


@pytest.fixture
def jira_dir(tmp_path: Path, write_json: Callable[[Path, Any], Path]) -> Path:
    folder = tmp_path / "jira"
    write_json(folder / "fields.json", FIELDS)
    write_json(folder / "projects.json", [{"id": "100", "key": "PAY", "name": "Payments"}])
    write_json(
        folder / "statuses.json.gz",
        [
            {"id": "3", "name": "In Progress", "statusCategory": {"key": "indeterminate"}},
            {"id": "10001", "name": "Done", "statusCategory": {"key": "done"}},
        ],
    )
    data_center, cloud = _pages()
    write_json(folder / "issues" / "page_0001.json", data_center)
    write_json(folder / "issues" / "page_0002.json.gz", cloud)
    return tmp_path


def _by_key(table: Any, key: str) -> dict[str, dict[str, Any]]:
    return {row[key]: row for row in table.to_pylist()}


def test_tables_have_the_contract_schemas(jira_dir: Path, pseudonymise: Pseudonymiser) -> None:
    tables = read_jira_folder(jira_dir, pseudonymise)
    assert set(tables) == {t.name for t in schemas.JIRA_TABLES}
    for table in schemas.JIRA_TABLES:
        assert tables[table.name].schema == table.schema


def test_data_center_and_cloud_pages_are_both_read(
    jira_dir: Path, pseudonymise: Pseudonymiser
) -> None:
    issues = _by_key(read_jira_folder(jira_dir, pseudonymise)["jira__issues"], "issue_key")
    assert sorted(issues) == ["PAY-1", "PAY-2", "PAY-3"]
    assert issues["PAY-2"]["_source"] == "jira/issues/page_0001.json"
    assert issues["PAY-3"]["_source"] == "jira/issues/page_0002.json.gz"


def test_custom_fields_are_found_by_name(jira_dir: Path, pseudonymise: Pseudonymiser) -> None:
    issues = _by_key(read_jira_folder(jira_dir, pseudonymise)["jira__issues"], "issue_key")
    assert issues["PAY-2"]["story_points"] == 5.0
    assert issues["PAY-1"]["story_points"] is None
    # Epic from the parent when the parent is an Epic; else from the field named "Epic Link".
    assert issues["PAY-2"]["epic_key"] == "PAY-1"
    assert issues["PAY-3"]["parent_key"] == "PAY-2"
    assert issues["PAY-3"]["epic_key"] == "PAY-9"


def test_issue_attributes(jira_dir: Path, pseudonymise: Pseudonymiser) -> None:
    issues = _by_key(read_jira_folder(jira_dir, pseudonymise)["jira__issues"], "issue_key")
    story, bug = issues["PAY-2"], issues["PAY-3"]
    assert story["labels"] == "customer-commitment,api"
    assert story["components"] == "Checkout,Payouts"
    assert (story["project_key"], story["issue_type"], story["status_category"]) == (
        "PAY",
        "Story",
        "indeterminate",
    )
    assert (bug["status"], bug["status_category"]) == ("Done", "done")
    assert story["created_at"] == datetime(2025, 1, 7, 9, 30)  # 17:30 +0800
    assert bug["created_at"] == datetime(2025, 1, 9, 10, 0)
    assert bug["resolved_at"] == datetime(2025, 1, 10, 12, 0)
    assert story["resolved_at"] is None


def test_assignees_are_person_keys(jira_dir: Path, pseudonymise: Pseudonymiser) -> None:
    issues = _by_key(read_jira_folder(jira_dir, pseudonymise)["jira__issues"], "issue_key")
    # With an e-mail address: the same key HR gives that person.
    assert issues["PAY-3"]["assignee_key"] == person_key(pseudonymise, "ada@example.com")
    # Without one: keyed by the Jira account id.
    assert issues["PAY-2"]["assignee_key"] == pseudonymise("jira:acc-grace")
    assert issues["PAY-1"]["assignee_key"] is None


def test_changelog_has_a_row_per_item_with_people_pseudonymised(
    jira_dir: Path, pseudonymise: Pseudonymiser
) -> None:
    rows = read_jira_folder(jira_dir, pseudonymise)["jira__changelog"].to_pylist()
    by_item = {(r["history_id"], r["item_index"]): r for r in rows}
    assert sorted(by_item) == [("500", 0), ("500", 1), ("501", 0), ("501", 1)]
    ada, grace = person_key(pseudonymise, "ada@example.com"), pseudonymise("jira:acc-grace")

    status = by_item[("500", 0)]
    assert (status["field"], status["from_string"], status["to_string"]) == (
        "status",
        "To Do",
        "In Progress",
    )
    assert status["changed_at"] == datetime(2025, 1, 8, 2, 0)  # 10:00 +08:00
    assert status["author_key"] == grace
    assert status["issue_id"] == "10002"

    # The account id in the item resolves to Ada's e-mail, seen on another page.
    took = by_item[("500", 1)]
    assert (took["field"], took["from_value"], took["to_value"]) == ("assignee", None, ada)
    assert (took["from_string"], took["to_string"]) == (None, None)

    handed_over = by_item[("501", 0)]
    assert handed_over["from_value"] == ada
    assert handed_over["to_value"] == pseudonymise("jira:acc-bob")
    assert handed_over["author_key"] == ada
    assert handed_over["changed_at"] == datetime(2025, 1, 9, 8, 0)

    # A custom user field is a person too.
    reviewer = by_item[("501", 1)]
    assert (reviewer["to_value"], reviewer["to_string"]) == (grace, None)


def test_no_name_or_email_lands(jira_dir: Path, pseudonymise: Pseudonymiser) -> None:
    leaks = [
        (name, column)
        for name, table in read_jira_folder(jira_dir, pseudonymise).items()
        for column in table.column_names
        if any(s in str(v) for v in table.column(column).to_pylist() for s in NAMES_AND_EMAILS)
    ]
    assert leaks == []


def test_projects_and_statuses(jira_dir: Path, pseudonymise: Pseudonymiser) -> None:
    tables = read_jira_folder(jira_dir, pseudonymise)
    assert tables["jira__projects"].to_pylist() == [
        {
            "project_id": "100",
            "project_key": "PAY",
            "project_name": "Payments",
            "_source": "jira/projects.json",
        }
    ]
    statuses = _by_key(tables["jira__statuses"], "status_name")
    assert statuses["Done"]["status_category"] == "done"
    assert statuses["Done"]["_source"] == "jira/statuses.json.gz"


def test_an_issue_on_two_pages_is_kept_once_as_last_updated(
    tmp_path: Path, write_json: Callable[[Path, Any], Path], pseudonymise: Pseudonymiser
) -> None:
    older = _issue("7", "PAY-7", "Task", updated="2025-02-01T00:00:00Z", summary="old title")
    newer = _issue("7", "PAY-7", "Task", updated="2025-02-02T00:00:00Z", summary="new title")
    write_json(tmp_path / "jira" / "issues" / "page_0001.json", {"issues": [newer]})
    write_json(tmp_path / "jira" / "issues" / "page_0002.json", {"issues": [older]})
    [row] = read_jira_folder(tmp_path, pseudonymise)["jira__issues"].to_pylist()
    assert row["summary"] == "new title"


def test_no_jira_folder_gives_empty_tables(tmp_path: Path, pseudonymise: Pseudonymiser) -> None:
    tables = read_jira_folder(tmp_path, pseudonymise)
    for table in schemas.JIRA_TABLES:
        assert tables[table.name].num_rows == 0
        assert tables[table.name].schema == table.schema


def test_broken_json_names_the_file_and_line(
    tmp_path: Path, write_text: Callable[[Path, str], Path], pseudonymise: Pseudonymiser
) -> None:
    write_text(tmp_path / "jira" / "issues" / "page_0001.json.gz", '{"issues": [\n  {"id": "1",\n}')
    with pytest.raises(SourceFileError) as caught:
        read_jira_folder(tmp_path, pseudonymise)
    assert caught.value.path == "jira/issues/page_0001.json.gz"
    assert caught.value.line == 3


def test_a_bad_timestamp_names_the_issue_field(
    tmp_path: Path, write_json: Callable[[Path, Any], Path], pseudonymise: Pseudonymiser
) -> None:
    issue = _issue("1", "PAY-1", "Task", created="yesterday")
    write_json(tmp_path / "jira" / "issues" / "page_0001.json", {"issues": [issue]})
    with pytest.raises(SourceFileError, match="expected a timestamp") as caught:
        read_jira_folder(tmp_path, pseudonymise)
    assert caught.value.column == "issues[0].fields.created"


def test_a_page_without_issues_is_refused(
    tmp_path: Path, write_json: Callable[[Path, Any], Path], pseudonymise: Pseudonymiser
) -> None:
    write_json(tmp_path / "jira" / "issues" / "page_0001.json", {"values": []})
    with pytest.raises(SourceFileError, match="'issues' list"):
        read_jira_folder(tmp_path, pseudonymise)


def test_field_map_finds_every_field_productops_reads_by_name() -> None:
    fields = field_map(
        [
            {"id": "customfield_1", "name": "Story Points", "schema": {"type": "number"}},
            {"id": "customfield_2", "name": "Story point estimate", "schema": {"type": "number"}},
            {"id": "customfield_3", "name": "Epic Link", "schema": {"type": "any"}},
            {"id": "customfield_4", "name": "Sprint", "schema": {"type": "array"}},
            {"id": "customfield_5", "name": "Team", "schema": {"type": "any"}},
            {
                "id": "customfield_6",
                "name": "Watchers",
                "schema": {"type": "array", "items": "user"},
            },
        ]
    )
    assert fields.story_points == ("customfield_1", "customfield_2")
    assert (fields.epic_link, fields.sprint, fields.team) == (
        ("customfield_3",),
        ("customfield_4",),
        ("customfield_5",),
    )
    assert {"customfield_6", "Watchers"} <= fields.multi_person_fields
    # Team-managed issues fill only "Story point estimate": it is used when the other is empty.
    assert fields.first_value({"customfield_1": None, "customfield_2": 3}, fields.story_points) == 3


def test_multi_user_field_changes_become_lists_of_person_keys(pseudonymise: Pseudonymiser) -> None:
    fields = field_map(
        [{"id": "customfield_6", "name": "Approvers", "schema": {"type": "array", "items": "user"}}]
    )
    issue = _issue("1", "PAY-1", "Task", assignee=ADA)
    issue["changelog"]["histories"] = [
        {
            "id": "9",
            "created": "2025-01-01T00:00:00Z",
            "items": [
                {
                    "field": "Approvers",
                    "fieldId": "customfield_6",
                    "from": "[acc-grace]",
                    "fromString": "[Grace Hopper]",
                    "to": "[acc-grace, acc-ada]",
                    "toString": "[Grace Hopper, Ada Lovelace]",
                }
            ],
        }
    ]
    tables = read_issue_pages([("p.json", {"issues": [issue]})], fields, pseudonymise)
    [item] = tables["jira__changelog"].to_pylist()
    grace, ada = pseudonymise("jira:acc-grace"), person_key(pseudonymise, "ada@example.com")
    assert (item["from_value"], item["to_value"]) == (grace, f"{grace},{ada}")
    assert (item["from_string"], item["to_string"]) == (None, None)
    assert item["author_key"] is None
