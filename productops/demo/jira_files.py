"""Jira REST responses rendered from the simulated issues.

`fields.json`, `projects.json` and `statuses.json` are what `GET /rest/api/2/field`,
`/project` and `/status` return; issue pages are `GET /rest/api/2/search
?expand=changelog` pages in the Data Center shape. Company-managed projects link
issues to epics with the "Epic Link" custom field and estimate in "Story Points";
team-managed ones use `parent` and "Story point estimate", as Jira Cloud does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from productops.demo.calendar import jira_timestamp
from productops.demo.org import Company, Project
from productops.demo.people import Person
from productops.demo.work import Issue
from productops.demo.writers import (
    DEFAULT_GZIP_LEVEL,
    PagedJsonWriter,
    compact_json,
    jira_page,
    write_json,
)

BASE_URL = "https://lumen-platform.atlassian.net"
EPIC_LINK_FIELD = "customfield_10014"
STORY_POINT_ESTIMATE_FIELD = "customfield_10016"
SPRINT_FIELD = "customfield_10020"
STORY_POINTS_FIELD = "customfield_10026"
TEAM_FIELD = "customfield_10001"

STATUS_CATEGORIES = {
    "new": {"id": 2, "key": "new", "colorName": "blue-gray", "name": "To Do"},
    "indeterminate": {
        "id": 4,
        "key": "indeterminate",
        "colorName": "yellow",
        "name": "In Progress",
    },
    "done": {"id": 3, "key": "done", "colorName": "green", "name": "Done"},
}
# status name -> (id, category key)
STATUSES = {
    "To Do": ("10000", "new"),
    "In Progress": ("3", "indeterminate"),
    "In Review": ("10001", "indeterminate"),
    "Done": ("10002", "done"),
    "Won't Do": ("10003", "done"),
}
RESOLUTIONS = {"Done": "10000", "Won't Do": "10001"}
ISSUE_TYPES = {  # name -> (id, hierarchy level)
    "Epic": ("10000", 1),
    "Story": ("10001", 0),
    "Task": ("10002", 0),
    "Bug": ("10004", 0),
}
AUTOMATION = {
    "accountId": "557058:0f5c8a2e-6b1d-4c3e-9a7f-2d4e6b8c1a3f",
    "accountType": "app",
    "active": True,
    "displayName": "Automation for Jira",
}
_AUTOMATION_JSON = compact_json(AUTOMATION)


def _field(field_id: str, name: str, schema: dict[str, Any] | None, custom: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": field_id,
        "key": field_id,
        "name": name,
        "custom": custom,
        "orderable": True,
        "navigable": True,
        "searchable": True,
        "clauseNames": [name.lower()] if not custom else [f"cf[{field_id.split('_')[1]}]", name],
    }
    if schema is not None:
        entry["schema"] = schema
    return entry


def fields_payload() -> list[dict[str, Any]]:
    """`GET /rest/api/2/field`: system fields and the custom fields the issues use."""
    system = [
        ("summary", "Summary", {"type": "string", "system": "summary"}),
        ("issuetype", "Issue Type", {"type": "issuetype", "system": "issuetype"}),
        ("project", "Project", {"type": "project", "system": "project"}),
        ("status", "Status", {"type": "status", "system": "status"}),
        ("resolution", "Resolution", {"type": "resolution", "system": "resolution"}),
        ("resolutiondate", "Resolved", {"type": "datetime", "system": "resolutiondate"}),
        ("priority", "Priority", {"type": "priority", "system": "priority"}),
        ("assignee", "Assignee", {"type": "user", "system": "assignee"}),
        ("reporter", "Reporter", {"type": "user", "system": "reporter"}),
        ("creator", "Creator", {"type": "user", "system": "creator"}),
        ("created", "Created", {"type": "datetime", "system": "created"}),
        ("updated", "Updated", {"type": "datetime", "system": "updated"}),
        ("labels", "Labels", {"type": "array", "items": "string", "system": "labels"}),
        (
            "components",
            "Components",
            {"type": "array", "items": "component", "system": "components"},
        ),
        ("parent", "Parent", None),
    ]
    custom = [
        (
            TEAM_FIELD,
            "Team",
            {
                "type": "team",
                "custom": "com.atlassian.jira.plugin.system.customfieldtypes:atlassian-team",
                "customId": 10001,
            },
        ),
        (
            EPIC_LINK_FIELD,
            "Epic Link",
            {"type": "any", "custom": "com.pyxis.greenhopper.jira:gh-epic-link", "customId": 10014},
        ),
        (
            STORY_POINT_ESTIMATE_FIELD,
            "Story point estimate",
            {
                "type": "number",
                "custom": "com.pyxis.greenhopper.jira:jsw-story-points",
                "customId": 10016,
            },
        ),
        (
            SPRINT_FIELD,
            "Sprint",
            {
                "type": "array",
                "items": "json",
                "custom": "com.pyxis.greenhopper.jira:gh-sprint",
                "customId": 10020,
            },
        ),
        (
            STORY_POINTS_FIELD,
            "Story Points",
            {
                "type": "number",
                "custom": "com.atlassian.jira.plugin.system.customfieldtypes:float",
                "customId": 10026,
            },
        ),
    ]
    return [_field(i, n, s, False) for i, n, s in system] + [
        _field(i, n, s, True) for i, n, s in custom
    ]


def _project_ref(project: Project) -> dict[str, Any]:
    return {
        "id": project.id,
        "key": project.key,
        "name": project.name,
        "projectTypeKey": "software",
        "simplified": project.style == "team",
    }


def projects_payload(company: Company) -> list[dict[str, Any]]:
    """`GET /rest/api/2/project`."""
    return [
        {
            "self": f"{BASE_URL}/rest/api/2/project/{project.id}",
            **_project_ref(project),
            "expand": "description,lead,issueTypes,url,projectKeys",
            "style": "next-gen" if project.style == "team" else "classic",
            "isPrivate": False,
        }
        for project in sorted(company.projects.values(), key=lambda p: p.key)
    ]


def _status(name: str) -> dict[str, Any]:
    status_id, category = STATUSES[name]
    return {"id": status_id, "name": name, "statusCategory": STATUS_CATEGORIES[category]}


def statuses_payload() -> list[dict[str, Any]]:
    """`GET /rest/api/2/status`."""
    return [
        {
            "self": f"{BASE_URL}/rest/api/2/status/{STATUSES[name][0]}",
            "untranslatedName": name,
            **_status(name),
        }
        for name in STATUSES
    ]


def user(person: Person | None) -> dict[str, Any] | None:
    """A Jira user object; the instance shows e-mail addresses (they join with HR)."""
    if person is None:
        return None
    return {
        "accountId": person.account_id,
        "accountType": "atlassian",
        "active": person.terminated_on is None,
        "displayName": person.display_name,
        "emailAddress": person.email,
    }


def _item(name: str, before: object, after: object, style: str) -> dict[str, Any]:
    if name == "status":
        return {
            "field": "status",
            "fieldtype": "jira",
            "fieldId": "status",
            "from": STATUSES[str(before)][0],
            "fromString": before,
            "to": STATUSES[str(after)][0],
            "toString": after,
        }
    if name == "assignee":
        b, a = before, after
        return {
            "field": "assignee",
            "fieldtype": "jira",
            "fieldId": "assignee",
            "from": b.account_id if b else None,  # type: ignore[attr-defined]
            "fromString": b.display_name if b else None,  # type: ignore[attr-defined]
            "to": a.account_id if a else None,  # type: ignore[attr-defined]
            "toString": a.display_name if a else None,
        }  # type: ignore[attr-defined]
    if name == "resolution":
        return {
            "field": "resolution",
            "fieldtype": "jira",
            "fieldId": "resolution",
            "from": RESOLUTIONS.get(str(before)) if before else None,
            "fromString": before,
            "to": RESOLUTIONS.get(str(after)) if after else None,
            "toString": after,
        }
    if name == "epic":
        b, a = before, after
        ends = {
            "from": b.id if b else None,
            "fromString": b.key if b else None,  # type: ignore[attr-defined]
            "to": a.id if a else None,
            "toString": a.key if a else None,
        }  # type: ignore[attr-defined]
        if style == "company":
            return {"field": "Epic Link", "fieldtype": "custom", "fieldId": EPIC_LINK_FIELD, **ends}
        return {"field": "IssueParentAssociation", "fieldtype": "jira", **ends}
    raise ValueError(f"unknown changelog field {name}")


class JiraIssueWriter:
    """Renders issues into search pages, counting issues and changelog items."""

    def __init__(self, folder: Path, gzip_level: int = DEFAULT_GZIP_LEVEL) -> None:
        self._pages = PagedJsonWriter(
            folder / "issues", "page", jira_page, page_size=100, gz=True, level=gzip_level
        )
        self._history_id = 500000
        self.changelog_items = 0
        # Changelog authors and status items repeat: rendered to JSON once each.
        self._authors: dict[int, str] = {}
        self._items: dict[tuple[str, object, object], str] = {}
        # Field values that repeat, built once (json.dumps writes a shared dict as any other).
        self._users: dict[int, dict[str, Any]] = {}
        self._statuses = {name: _status(name) for name in STATUSES}

    def _author_json(self, person: Person | None) -> str:
        if person is None:
            return _AUTOMATION_JSON
        rendered = self._authors.get(person.employee_no)
        if rendered is None:
            rendered = self._authors[person.employee_no] = compact_json(user(person))
        return rendered

    def _user(self, person: Person | None) -> dict[str, Any] | None:
        if person is None:
            return None
        rendered = self._users.get(person.employee_no)
        if rendered is None:
            rendered = self._users[person.employee_no] = user(person)  # type: ignore[assignment]
        return rendered

    def _item_json(self, name: str, before: object, after: object, style: str) -> str:
        if name == "epic":  # epic items name issue ids: seldom the same twice
            return compact_json(_item(name, before, after, style))
        # Items of the other fields are the same for the same (field, from, to).
        key = (name, _identity(before), _identity(after))
        rendered = self._items.get(key)
        if rendered is None:
            rendered = self._items[key] = compact_json(_item(name, before, after, style))
        return rendered

    def add(self, issue: Issue) -> None:
        """Render one issue with its changelog."""
        style = issue.project.style
        type_id, level = ISSUE_TYPES[issue.issue_type]
        resolved = issue.resolved_at
        fields: dict[str, Any] = {
            "summary": issue.summary,
            "issuetype": {
                "id": type_id,
                "name": issue.issue_type,
                "subtask": False,
                "hierarchyLevel": level,
            },
            "project": _project_ref(issue.project),
            "status": self._statuses[issue.status],
            "resolution": (
                {"id": RESOLUTIONS[issue.resolution], "name": issue.resolution}
                if issue.resolution
                else None
            ),
            "resolutiondate": jira_timestamp(resolved) if resolved else None,
            "priority": {
                "id": "2" if issue.issue_type == "Bug" else "3",
                "name": "High" if issue.issue_type == "Bug" else "Medium",
            },
            "assignee": self._user(issue.assignee),
            "reporter": self._user(issue.reporter),
            "creator": self._user(issue.reporter),
            "created": jira_timestamp(issue.created_at),
            "updated": jira_timestamp(issue.updated_at),
            "labels": list(issue.labels),
            "components": [{"id": str(hash_component(c)), "name": c} for c in issue.components],
        }
        points_field = STORY_POINTS_FIELD if style == "company" else STORY_POINT_ESTIMATE_FIELD
        fields[points_field] = issue.story_points
        if style == "company":
            fields[EPIC_LINK_FIELD] = issue.epic.key if issue.epic else None
        elif issue.epic is not None:
            epic = issue.epic
            fields["parent"] = {
                "id": epic.id,
                "key": epic.key,
                "self": f"{BASE_URL}/rest/api/2/issue/{epic.id}",
                "fields": {
                    "summary": epic.summary,
                    "status": self._statuses[epic.status],
                    "issuetype": {
                        "id": ISSUE_TYPES["Epic"][0],
                        "name": "Epic",
                        "subtask": False,
                        "hierarchyLevel": 1,
                    },
                },
            }
        # The changelog is assembled as text from the rendered pieces: the same bytes
        # compact_json() gives for the whole record, a good deal faster.
        histories = []
        for change in issue.changes:
            self._history_id += 1
            items = [
                self._item_json(name, before, after, style) for name, before, after in change.items
            ]
            self.changelog_items += len(items)
            histories.append(
                f'{{"id":"{self._history_id}","author":{self._author_json(change.author)},'
                f'"created":"{jira_timestamp(change.at)}","items":[{",".join(items)}]}}'
            )
        record = compact_json(
            {
                "expand": "operations,versionedRepresentations,editmeta,changelog,renderedFields",
                "id": issue.id,
                "self": f"{BASE_URL}/rest/api/2/issue/{issue.id}",
                "key": issue.key,
                "fields": fields,
            }
        )
        total = len(histories)
        self._pages.add_json(
            f'{record[:-1]},"changelog":{{"startAt":0,"maxResults":{total},"total":{total},'
            f'"histories":[{",".join(histories)}]}}}}'
        )

    def close(self) -> int:
        """Write the pages; returns the number of issues."""
        return self._pages.close()


def _identity(value: object) -> object:
    """A hashable stand-in for a changelog item end: a person's number, else the value."""
    return value.employee_no if isinstance(value, Person) else value


def hash_component(name: str) -> int:
    """A stable component id from its name (Python's hash() is salted per process)."""
    value = 0
    for char in name:
        value = (value * 131 + ord(char)) % 90000
    return 10000 + value


def write_static_files(folder: Path, company: Company) -> dict[str, int]:
    """fields.json, projects.json, statuses.json; returns row counts of their raw tables."""
    write_json(folder / "fields.json", fields_payload())
    projects = projects_payload(company)
    write_json(folder / "projects.json", projects)
    statuses = statuses_payload()
    write_json(folder / "statuses.json", statuses)
    return {"jira__projects": len(projects), "jira__statuses": len(statuses)}
