"""Jira issues and their changelogs (REST JSON, `expand=changelog`) as raw rows.

Pure functions over parsed JSON, shared by the file reader and an API client. People
are pseudonymised here: `person_key` from the e-mail address when the instance shows
one, else from `"jira:" + accountId`; display names and addresses never leave.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from connectors.errors import SourceFileError
from connectors.jira.fields import FieldMap
from connectors.pseudonymise import Pseudonymiser, person_key
from connectors.values import parse_number, parse_timestamp, text

EPIC_TYPE_NAME = "Epic"
EPIC_HIERARCHY_LEVEL = 1


def user_ids(user: Mapping[str, Any]) -> list[str]:
    """Every id a user object may be referred to by (Cloud accountId, DC name/key)."""
    ids = [user.get("accountId"), user.get("name"), user.get("key")]
    return [i for i in ids if isinstance(i, str) and i.strip()]


class JiraPeople:
    """Turns Jira users into person keys.

    Learns accountId → e-mail from every user object seen (assignees, reporters,
    changelog authors), so a changelog item that names only an account id gets the
    same key as the HR row of that person.
    """

    def __init__(self, pseudonymise: Pseudonymiser) -> None:
        self._pseudonymise = pseudonymise
        self._emails: dict[str, str] = {}

    def learn(self, user: Any) -> None:
        """Remember the e-mail of a user object, if it shows one."""
        if not isinstance(user, Mapping):
            return
        email = text(user.get("emailAddress"))
        if email is None:
            return
        for user_id in user_ids(user):
            self._emails[user_id] = email

    def learn_from_issue(self, issue: Mapping[str, Any]) -> None:
        """Remember the e-mails of every user object in an issue and its changelog."""
        fields = issue.get("fields") or {}
        for name in ("assignee", "reporter", "creator"):
            self.learn(fields.get(name))
        for history in (issue.get("changelog") or {}).get("histories") or []:
            self.learn(history.get("author"))

    def key_of_id(self, user_id: str | None) -> str | None:
        """The person key of an account id (or DC user name) as changelog items give it."""
        user_id = text(user_id)
        if user_id is None:
            return None
        email = self._emails.get(user_id)
        if email is not None:
            return person_key(self._pseudonymise, email)
        return self._pseudonymise("jira:" + user_id)

    def key_of(self, user: Any) -> str | None:
        """The person key of a user object (None when there is no user)."""
        if not isinstance(user, Mapping):
            return None
        email = text(user.get("emailAddress"))
        if email is not None:
            return person_key(self._pseudonymise, email)
        ids = user_ids(user)
        return self.key_of_id(ids[0]) if ids else None


def _is_epic(issue_type: Any) -> bool:
    if not isinstance(issue_type, Mapping):
        return False
    # Localised instances rename "Epic" (e.g. to Chinese); the untranslated name and the
    # hierarchy level still say what it is.
    return (
        issue_type.get("name") == EPIC_TYPE_NAME
        or issue_type.get("untranslatedName") == EPIC_TYPE_NAME
        or issue_type.get("hierarchyLevel") == EPIC_HIERARCHY_LEVEL
    )


def _epic_key(fields: Mapping[str, Any], field_map: FieldMap) -> str | None:
    parent = fields.get("parent")
    if isinstance(parent, Mapping) and _is_epic((parent.get("fields") or {}).get("issuetype")):
        return text(parent.get("key"))
    link = field_map.first_value(fields, field_map.epic_link)
    if isinstance(link, Mapping):
        return text(link.get("key"))
    if link is not None:
        return text(link)
    # The Agile API (/rest/agile/1.0/.../issue) adds an "epic" object of its own.
    agile_epic = fields.get("epic")
    if isinstance(agile_epic, Mapping):
        return text(agile_epic.get("key"))
    return None


def _names(values: Any, attribute: str | None = None) -> str | None:
    if not isinstance(values, list):
        return None
    names = [text(v.get(attribute) if attribute and isinstance(v, Mapping) else v) for v in values]
    joined = ",".join(n for n in names if n)
    return joined or None


def _timestamp(value: Any, source: str, where: str) -> Any:
    try:
        return parse_timestamp(value)
    except ValueError as error:
        raise SourceFileError(source, None, where, str(error)) from None


def issue_row(
    issue: Mapping[str, Any],
    field_map: FieldMap,
    people: JiraPeople,
    source: str,
    where: str,
) -> dict[str, Any]:
    """One `jira__issues` row; `where` (e.g. `issues[3]`) locates the issue in errors."""
    issue_id = text(issue.get("id"))
    if issue_id is None:
        raise SourceFileError(source, None, f"{where}.id", "expected the issue id")
    fields = issue.get("fields") or {}
    key = text(issue.get("key"))
    project = fields.get("project") or {}
    status = fields.get("status") or {}
    points = field_map.first_value(fields, field_map.story_points)
    try:
        story_points = parse_number(points)
    except ValueError as error:
        raise SourceFileError(source, None, f"{where}.fields.story points", str(error)) from None
    if story_points is not None and story_points < 0:
        # Some Jira setups (and tools syncing them) write -1 for "not estimated".
        story_points = None
    parent = fields.get("parent")
    return {
        "issue_id": issue_id,
        "issue_key": key,
        "project_key": text(project.get("key")) or (key.rsplit("-", 1)[0] if key else None),
        "issue_type": text((fields.get("issuetype") or {}).get("name")),
        "summary": text(fields.get("summary")),
        "status": text(status.get("name")),
        "status_category": text((status.get("statusCategory") or {}).get("key")),
        "assignee_key": people.key_of(fields.get("assignee")),
        "parent_key": text(parent.get("key")) if isinstance(parent, Mapping) else None,
        "epic_key": _epic_key(fields, field_map),
        "labels": _names(fields.get("labels")),
        "components": _names(fields.get("components"), "name"),
        "story_points": story_points,
        "created_at": _timestamp(fields.get("created"), source, f"{where}.fields.created"),
        "updated_at": _timestamp(fields.get("updated"), source, f"{where}.fields.updated"),
        "resolved_at": _timestamp(
            fields.get("resolutiondate"), source, f"{where}.fields.resolutiondate"
        ),
        "_source": source,
    }


def person_values(value: Any, people: JiraPeople, multiple: bool) -> str | None:
    """The person key(s) of a person field's changelog value (`from` or `to`)."""
    if not multiple:
        return people.key_of_id(value)
    # Multi-user fields log their ids as "[id1, id2]".
    raw = text(value)
    if raw is None:
        return None
    ids = [part.strip() for part in raw.strip("[]").split(",")]
    keys = [people.key_of_id(i) for i in ids if i]
    return ",".join(k for k in keys if k) or None


def changelog_rows(
    issue: Mapping[str, Any],
    field_map: FieldMap,
    people: JiraPeople,
    source: str,
    where: str,
) -> Iterator[dict[str, Any]]:
    """One `jira__changelog` row per history item of an issue.

    For person fields (assignee, reporter, user custom fields) the from/to values are
    person keys and the from/to strings, which hold display names, are null.
    """
    issue_id = text(issue.get("id"))
    histories: Iterable[Any] = (issue.get("changelog") or {}).get("histories") or []
    for h_index, history in enumerate(histories):
        history_where = f"{where}.changelog.histories[{h_index}]"
        history_id = text(history.get("id"))
        if history_id is None:
            raise SourceFileError(source, None, f"{history_where}.id", "expected the history id")
        changed_at = _timestamp(history.get("created"), source, f"{history_where}.created")
        author_key = people.key_of(history.get("author"))
        for item_index, item in enumerate(history.get("items") or []):
            field_name = text(item.get("field"))
            field_id = text(item.get("fieldId"))
            single = field_name in field_map.person_fields or field_id in field_map.person_fields
            multiple = (
                field_name in field_map.multi_person_fields
                or field_id in field_map.multi_person_fields
            )
            row = {
                "issue_id": issue_id,
                "history_id": history_id,
                "field": field_name,
                "from_value": text(item.get("from")),
                "from_string": text(item.get("fromString")),
                "to_value": text(item.get("to")),
                "to_string": text(item.get("toString")),
                "author_key": author_key,
                "item_index": item_index,
                "changed_at": changed_at,
                "_source": source,
            }
            if single or multiple:
                row["from_value"] = person_values(item.get("from"), people, multiple)
                row["to_value"] = person_values(item.get("to"), people, multiple)
                row["from_string"] = None
                row["to_string"] = None
            yield row
