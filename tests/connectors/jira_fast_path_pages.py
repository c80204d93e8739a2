"""Jira search pages in every shape the reader handles, for the DuckDB fast-path tests.

Data Center and Cloud pages; a localised Epic (by untranslatedName and by hierarchy
level) and the Agile API's `epic`; Epic Link as text and as an object; story points as
numbers, text, -1 and blank; single and multi-user fields; Data Center users known by
`name`/`key`; account ids whose e-mail shows only on another page or never; an issue
on two pages (newer first, and a tie); padded and unicode-blank text; offsets written
+0800, +08:00, Z or not at all; histories without items; missing fields and changelog.
"""

from __future__ import annotations

import copy
from typing import Any

FIELDS: list[dict[str, Any]] = [
    {"id": "summary", "name": "Summary", "schema": {"type": "string"}},
    {"id": "customfield_10016", "name": "Story Points", "schema": {"type": "number"}},
    {"id": "customfield_10777", "name": "Story point estimate", "schema": {"type": "number"}},
    {"id": "customfield_10014", "name": "Epic Link", "schema": {"type": "any"}},
    {"id": "customfield_12000", "name": "Reviewer", "schema": {"type": "user"}},
    {
        "id": "customfield_12001",
        "name": "Approvers",
        "schema": {"type": "array", "items": "user"},
    },
]

ADA = {"accountId": "acc-ada", "displayName": "A", "emailAddress": " Ada@Example.com "}
GRACE = {"accountId": "acc-grace", "displayName": "G"}  # never shows an e-mail
LIN = {"accountId": "acc-lin", "displayName": "L"}  # e-mail only on page 3
LIN_WITH_EMAIL = {**LIN, "emailAddress": "lin@example.com"}
DC_USER = {"name": "jdoe", "key": "JIRAUSER10100", "emailAddress": "jdoe@example.com"}
CACHED = {"accountId": "acc-cached"}  # its e-mail is only in the `known` cache


def _issue(issue_id: str, key: str, **fields: Any) -> dict[str, Any]:
    histories = fields.pop("histories", [])
    base = {
        "project": {"id": "1", "key": "PAY"},
        "issuetype": {"name": "Story", "hierarchyLevel": 0},
        "summary": f"Work item {key}",
        "status": {"name": "In Progress", "statusCategory": {"key": "indeterminate"}},
        "labels": [],
        "components": [],
        "created": "2025-01-06T09:00:00.000+0000",
        "updated": "2025-01-06T09:00:00.000+0000",
        "resolutiondate": None,
    }
    return {
        "id": issue_id,
        "key": key,
        "fields": {**base, **fields},
        "changelog": {"startAt": 0, "total": len(histories), "histories": histories},
    }


def _item(field: str, field_id: str, old: Any, new: Any, **strings: Any) -> dict[str, Any]:
    return {
        "field": field,
        "fieldtype": "custom" if field_id.startswith("customfield") else "jira",
        "fieldId": field_id,
        "from": old,
        "fromString": strings.get("old_string"),
        "to": new,
        "toString": strings.get("new_string"),
    }


def _page_one() -> dict[str, Any]:
    epic_zh = _issue(
        "1",
        "PAY-1",
        issuetype={"name": "长篇故事", "untranslatedName": "Epic", "hierarchyLevel": 1},
        summary="\u3000Padded",
        labels=["customer-commitment", "api\u2003", "", None, "\u00a0"],
        components=[{"name": "Checkout"}, {"name": " "}, None, {"id": "9"}],
        assignee=ADA,
        reporter=LIN,
        creator=DC_USER,
    )
    story = _issue(
        "2",
        "PAY-2",
        parent={"key": "PAY-1", "fields": {"issuetype": {"name": "长篇故事", "hierarchyLevel": 1}}},
        customfield_10016=None,
        customfield_10777="3.5",
        created="2025-01-07T17:30:00.5+0800",
        updated="2025-01-08T10:00:00.123456+08:00",
        resolutiondate="2025-01-09 08:00:00Z",
        assignee=GRACE,
        histories=[
            {
                "id": "500",
                "author": GRACE,
                "created": "2025-01-08T10:00:00.000+08:00",
                "items": [
                    _item("status", "status", "10000", "3", old_string="To Do", new_string="Doing"),
                    _item("assignee", "assignee", None, "acc-lin", new_string="L"),
                    _item("Reviewer", "customfield_12000", "acc-ada", "acc-cached"),
                    _item("Approvers", "customfield_12001", "[acc-grace]", "[acc-grace, acc-lin]"),
                ],
            },
            {"id": "501", "author": None, "created": "2025-01-09T08:00:00Z", "items": []},
            {"id": "502", "author": DC_USER, "created": "2025-01-10T08:00:00", "items": None},
        ],
    )
    bug = _issue(
        "3",
        "PAY-3",
        parent={"key": "PAY-2", "fields": {"issuetype": {"name": "Story"}}},
        customfield_10014="PAY-9",
        customfield_10016="-1",
        assignee=CACHED,
        status={"name": "Done", "statusCategory": {"key": "done"}},
    )
    # The same issue again further down the page, older: the first copy stays.
    stale = _issue("3", "PAY-3", summary="stale copy", updated="2025-01-01T00:00:00Z")
    return {"startAt": 0, "maxResults": 4, "total": 9, "issues": [epic_zh, story, bug, stale]}


def _page_two() -> dict[str, Any]:
    agile = _issue(
        "4",
        "OPS-4",
        project=None,
        customfield_10014={"key": "OPS-1", "id": "77"},
        customfield_10016=-2,
        customfield_10777=8,
        assignee=DC_USER,
        histories=[
            {
                "id": "600",
                "author": LIN,
                "created": "2025-02-01T00:00:00.000-0530",
                "items": [
                    _item("assignee", "assignee", "jdoe", "acc-ada"),
                    _item("Approvers", "customfield_12001", "[]", None),
                    _item("Story Points", "customfield_10016", "1", "2", old_string="1"),
                ],
            }
        ],
    )
    sub = _issue("5", "NODASH", project={}, epic={"key": "OPS-2"}, customfield_10016=0)
    bare = {"id": "6", "key": "OPS-6", "fields": None}
    # Issue 7 twice with the same `updated`: the later page wins (page 3).
    tie = _issue("7", "OPS-7", summary="tie, page 2", updated="2025-03-01T00:00:00Z")
    return {"issues": [agile, sub, bare, tie], "isLast": False, "nextPageToken": "x"}


def _page_three() -> dict[str, Any]:
    newer_three = _issue(
        "3",
        "PAY-3",
        summary="newest copy",
        updated="2025-02-01T00:00:00Z",
        assignee=LIN_WITH_EMAIL,
        histories=[
            {
                "id": "700",
                "author": ADA,
                "created": "2025-02-01T00:00:00Z",
                "items": [_item("Reviewer", "customfield_12000", None, "acc-grace")],
            }
        ],
    )
    tie = _issue("7", "OPS-7", summary="tie, page 3", updated="2025-03-01T00:00:00.000+0000")
    return {"issues": [newer_three, tie], "isLast": True}


def pages() -> list[dict[str, Any]]:
    """Three search pages (Data Center, then Cloud), fresh copies for each test."""
    return copy.deepcopy([_page_one(), _page_two(), _page_three()])


def known_people(pseudonymise: Any, person_key: Any) -> dict[str, str]:
    """The incremental cache: `acc-cached`'s e-mail, learned from an earlier landing."""
    return {pseudonymise("jira:acc-cached"): person_key(pseudonymise, "cached@example.com")}
