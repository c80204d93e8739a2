"""Reading a `jira/` folder of REST responses into the `jira__*` raw tables.

Layout (seeds/README.md): `fields.json`, `projects.json`, `statuses.json` and
`issues/page_NNNN.json`, each optionally gzipped. Issue pages may be Data Center
(`startAt`/`total`) or Cloud (`nextPageToken`/`isLast`) shaped: both carry `issues`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from connectors import schemas
from connectors.arrow_tables import TableBuilder
from connectors.errors import SourceFileError
from connectors.jira.fields import FieldMap, field_map
from connectors.jira.issues import JiraPeople, changelog_rows, issue_row
from connectors.pseudonymise import Pseudonymiser
from connectors.source_files import json_file, load_json, page_files, relative_name
from connectors.values import text


def _list_payload(payload: Any, source: str, list_key: str) -> list[Any]:
    """A JSON list, or the `list_key` list of a paged object (`/project/search`)."""
    if isinstance(payload, Mapping) and isinstance(payload.get(list_key), list):
        return payload[list_key]
    if isinstance(payload, list):
        return payload
    raise SourceFileError(
        source, None, None, f"expected a JSON list (or an object with {list_key!r})"
    )


def read_projects(payload: Any, source: str) -> pa.Table:
    """`jira__projects` from `GET /rest/api/2/project` (a list) or `/project/search`."""
    builder = TableBuilder(schemas.JIRA_PROJECTS)
    for index, project in enumerate(_list_payload(payload, source, "values")):
        project_id = text(project.get("id")) if isinstance(project, Mapping) else None
        if project_id is None:
            raise SourceFileError(source, None, f"[{index}].id", "expected the project id")
        builder.add(
            {
                "project_id": project_id,
                "project_key": text(project.get("key")),
                "project_name": text(project.get("name")),
                "_source": source,
            }
        )
    return builder.finish()


def read_statuses(payload: Any, source: str) -> pa.Table:
    """`jira__statuses` from `GET /rest/api/2/status`."""
    builder = TableBuilder(schemas.JIRA_STATUSES)
    for index, status in enumerate(_list_payload(payload, source, "values")):
        status_id = text(status.get("id")) if isinstance(status, Mapping) else None
        if status_id is None:
            raise SourceFileError(source, None, f"[{index}].id", "expected the status id")
        builder.add(
            {
                "status_id": status_id,
                "status_name": text(status.get("name")),
                "status_category": text((status.get("statusCategory") or {}).get("key")),
                "_source": source,
            }
        )
    return builder.finish()


def page_issues(page: Any, source: str) -> list[Mapping[str, Any]]:
    """The issues of one search page, Data Center or Cloud shaped."""
    if not isinstance(page, Mapping) or not isinstance(page.get("issues"), list):
        raise SourceFileError(
            source, None, "issues", "expected a search page: an object with an 'issues' list"
        )
    issues = page["issues"]
    for index, issue in enumerate(issues):
        if not isinstance(issue, Mapping):
            raise SourceFileError(source, None, f"issues[{index}]", "expected an issue object")
    return issues


def read_issue_pages(
    pages: list[tuple[str, Any]], fields: FieldMap, pseudonymise: Pseudonymiser
) -> dict[str, pa.Table]:
    """`jira__issues` and `jira__changelog` from parsed search pages `(source, page)`.

    An issue that appears on several pages (a Cloud search re-run while issues change)
    is kept once, from the page where it was most recently updated.
    """
    people = JiraPeople(pseudonymise)
    located: list[tuple[str, str, Mapping[str, Any]]] = []
    for source, page in pages:
        for index, issue in enumerate(page_issues(page, source)):
            people.learn_from_issue(issue)
            located.append((source, f"issues[{index}]", issue))

    latest: dict[str, dict[str, Any]] = {}
    origin: dict[str, tuple[str, str, Mapping[str, Any]]] = {}
    for source, where, issue in located:
        row = issue_row(issue, fields, people, source, where)
        previous = latest.get(row["issue_id"])
        if previous is None or (row["updated_at"] or datetime.min) >= (
            previous["updated_at"] or datetime.min
        ):
            latest[row["issue_id"]] = row
            origin[row["issue_id"]] = (source, where, issue)

    issues = TableBuilder(schemas.JIRA_ISSUES)
    changelog = TableBuilder(schemas.JIRA_CHANGELOG)
    for issue_id, row in latest.items():
        issues.add(row)
        source, where, issue = origin[issue_id]
        for item in changelog_rows(issue, fields, people, source, where):
            changelog.add(item)
    return {
        schemas.JIRA_ISSUES.name: issues.finish(),
        schemas.JIRA_CHANGELOG.name: changelog.finish(),
    }


def read_jira_folder(sources_dir: Path, pseudonymise: Pseudonymiser) -> dict[str, pa.Table]:
    """Every `jira__*` table from `<sources_dir>/jira/` (empty tables when it is absent)."""
    folder = sources_dir / "jira"
    tables = {t.name: t.schema.empty_table() for t in schemas.JIRA_TABLES}

    fields_path = json_file(folder, "fields")
    fields: list[Any] = []
    if fields_path is not None:
        source = relative_name(fields_path, sources_dir)
        fields = _list_payload(load_json(fields_path, source), source, "values")

    for stem, table, reader in (
        ("projects", schemas.JIRA_PROJECTS, read_projects),
        ("statuses", schemas.JIRA_STATUSES, read_statuses),
    ):
        path = json_file(folder, stem)
        if path is not None:
            source = relative_name(path, sources_dir)
            tables[table.name] = reader(load_json(path, source), source)

    page_paths = page_files(folder / "issues", "page")
    if page_paths:
        pages = []
        for path in page_paths:
            source = relative_name(path, sources_dir)
            pages.append((source, load_json(path, source)))
        tables.update(read_issue_pages(pages, field_map(fields), pseudonymise))
    return tables
