"""Jira custom fields, found by name: `customfield_NNNNN` ids differ on every instance.

`GET /rest/api/2/field` lists every field with its id, name and schema; this module
picks out the ones productops reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Company-managed projects call it "Story Points", team-managed "Story point estimate";
# an instance may have both, and an issue uses one of them.
STORY_POINT_NAMES = ("Story Points", "Story point estimate")
EPIC_LINK_NAME = "Epic Link"
SPRINT_NAME = "Sprint"
TEAM_NAME = "Team"

# System fields holding one person; their changelog items carry account ids and names.
_SYSTEM_PERSON_FIELDS = frozenset({"assignee", "reporter", "creator"})


@dataclass(frozen=True)
class FieldMap:
    """Where this instance keeps the custom fields productops reads."""

    story_points: tuple[str, ...] = ()
    epic_link: tuple[str, ...] = ()
    sprint: tuple[str, ...] = ()
    team: tuple[str, ...] = ()
    # Changelog field names/ids whose values are people (system and custom user fields).
    person_fields: frozenset[str] = field(default=_SYSTEM_PERSON_FIELDS)
    multi_person_fields: frozenset[str] = frozenset()

    def first_value(self, issue_fields: Mapping[str, Any], ids: Iterable[str]) -> Any:
        """The first non-empty value among the fields `ids` of an issue."""
        for field_id in ids:
            value = issue_fields.get(field_id)
            if value not in (None, "", [], {}):
                return value
        return None


def field_map(fields: Iterable[Mapping[str, Any]]) -> FieldMap:
    """Build a `FieldMap` from the `/rest/api/2/field` list (empty list: no custom fields)."""
    ids_by_name: dict[str, list[str]] = {}
    person: set[str] = set(_SYSTEM_PERSON_FIELDS)
    multi_person: set[str] = set()
    for entry in fields:
        field_id, name = entry.get("id"), entry.get("name")
        if not isinstance(field_id, str) or not isinstance(name, str):
            continue
        ids_by_name.setdefault(name, []).append(field_id)
        schema = entry.get("schema") or {}
        if schema.get("type") == "user":
            person.update({field_id, name})
        elif schema.get("type") == "array" and schema.get("items") == "user":
            multi_person.update({field_id, name})

    def ids(*names: str) -> tuple[str, ...]:
        return tuple(field_id for name in names for field_id in ids_by_name.get(name, []))

    return FieldMap(
        story_points=ids(*STORY_POINT_NAMES),
        epic_link=ids(EPIC_LINK_NAME),
        sprint=ids(SPRINT_NAME),
        team=ids(TEAM_NAME),
        person_fields=frozenset(person),
        multi_person_fields=frozenset(multi_person),
    )
