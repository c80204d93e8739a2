"""Reading a `jira/` folder of REST responses into the `jira__*` raw tables.

Layout (seeds/README.md): `fields.json`, `projects.json`, `statuses.json` and
`issues/page_NNNN.json`, each optionally gzipped. Issue pages may be Data Center
(`startAt`/`total`) or Cloud (`nextPageToken`/`isLast`) shaped: both carry `issues`.
"""

from __future__ import annotations

import json
import os
from array import array
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from connectors import schemas
from connectors.arrow_tables import TableBuilder
from connectors.errors import SourceFileError
from connectors.jira.fields import FieldMap, field_map
from connectors.jira.issues import JiraPeople, changelog_rows, issue_row, person_values, user_ids
from connectors.jira.pages_duckdb import read_pages_duckdb
from connectors.pseudonymise import Pseudonymiser, person_key
from connectors.registry import FileChoice, every_file
from connectors.source_files import json_file, load_json, page_files, relative_name
from connectors.spilled import RawRows
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


# Person ids whose e-mail may only show up on a later page are written as this marker
# plus the id, and resolved once every page has been read (`_resolve_people`).
_PENDING = "\x00"


class DeferredPeople(JiraPeople):
    """`JiraPeople` that defers keying bare account ids until every page is read.

    Pages are turned into rows one at a time, but an id on page 1 may have its e-mail
    only on page 900; the marker keeps the id until the end, when it gets the key the
    whole export implies.
    """

    def __init__(self, pseudonymise: Pseudonymiser, known: Mapping[str, str]) -> None:
        super().__init__(pseudonymise)
        self._known = known

    def key_of_id(self, user_id: str | None) -> str | None:
        """A marker for the id (None stays None), resolved by `resolve`."""
        user_id = text(user_id)
        return None if user_id is None else _PENDING + user_id

    def resolve_one(self, user_id: str) -> str | None:
        """The person key of a bare id: its e-mail, else what earlier landings learned."""
        key = super().key_of_id(user_id)
        if user_id in self._emails:
            return key
        return self._known.get(key, key) if key is not None else None

    def resolve(self, value: str) -> str | None:
        """A marked value (one id, or a multi-user field's comma-joined ids) as keys."""
        keys = [
            self.resolve_one(part[len(_PENDING) :]) if part.startswith(_PENDING) else part
            for part in value.split(",")
        ]
        return ",".join(k for k in keys if k) or None

    def settle(self, value: str | None) -> str | None:
        """The final key of a value `key_of`/`key_of_id` gave (markers resolved)."""
        return self.resolve(value) if value is not None and value.startswith(_PENDING) else value

    def person_values(self, value: str | None, multiple: bool) -> str | None:
        """`issues.person_values` with this object: marked ids, for `settle`."""
        return person_values(value, self, multiple)

    @staticmethod
    def user_ids(user: Mapping[str, Any]) -> list[str]:
        """Every id a user object may be referred to by (`issues.user_ids`)."""
        return user_ids(user)

    def email_of(self, user_id: str) -> str | None:
        """The e-mail learned for an id (as the user object spelled the id), if any."""
        return self._emails.get(user_id)

    def learned(self) -> dict[str, str]:
        """`pseudonymise("jira:" + id)` -> person key of every id seen with an e-mail.

        Only pseudonyms: a later incremental read of new pages keys an id whose e-mail
        was on an old page as a full read would, without ids or addresses being kept.
        """
        pseudonymise = self._pseudonymise
        return {
            pseudonymise("jira:" + user_id): person_key(pseudonymise, email)
            for user_id, email in self._emails.items()
        }  # type: ignore[misc]


def _resolve_column(column: pa.ChunkedArray, people: DeferredPeople) -> pa.ChunkedArray:
    pending = pc.fill_null(pc.starts_with(column, _PENDING), False)
    if not pc.any(pending).as_py():
        return column
    values = pc.unique(pc.filter(column, pending))
    resolved = pa.array([people.resolve(v) for v in values.to_pylist()], pa.string())
    replaced = pc.take(resolved, pc.index_in(column, value_set=values))
    return pc.if_else(pending, replaced, column)


def _resolve_people(table: pa.Table, columns: tuple[str, ...], people: DeferredPeople) -> pa.Table:
    for name in columns:
        index = table.schema.get_field_index(name)
        table = table.set_column(index, name, _resolve_column(table.column(index), people))
    return table


def _winners(issues: pa.Table) -> pa.Array | None:
    """The row numbers of the issue rows to keep, or None when no issue repeats.

    An issue on several pages is kept from the page where it was most recently updated
    (the later page on a tie), as a re-landing of the newer page would.
    """
    ids = issues.column("issue_id")
    if len(pc.unique(ids)) == issues.num_rows:
        return None
    counts = pc.value_counts(ids)
    repeated = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
    is_repeated = pc.is_in(ids, value_set=repeated)
    best: dict[str, tuple[datetime, int]] = {}
    candidates = issues.filter(is_repeated).select(["issue_id", "updated_at"])
    rows = pc.indices_nonzero(is_repeated).to_pylist()
    for row, issue_id, updated in zip(
        rows,
        candidates.column("issue_id").to_pylist(),
        candidates.column("updated_at").to_pylist(),
        strict=True,
    ):
        rank = (updated or datetime.min, row)
        if issue_id not in best or rank >= best[issue_id]:
            best[issue_id] = rank
    keep = pc.invert(is_repeated).to_pylist()
    for _, row in best.values():
        keep[row] = True
    return pa.array(keep)


def read_pages_learning(
    pages: Iterable[tuple[str, Any]],
    fields: FieldMap,
    pseudonymise: Pseudonymiser,
    known_people: Mapping[str, str] | None = None,
    spill_dir: Path | None = None,
) -> tuple[dict[str, RawRows], dict[str, str]]:
    """`jira__issues` and `jira__changelog` from parsed search pages `(source, page)`.

    Pages are consumed one at a time (pass a generator to hold one page's JSON at once)
    and turned into Arrow record batches. An issue that appears on several pages (a
    Cloud search re-run while issues change) is kept once, from the page where it was
    most recently updated. `known_people` maps `pseudonymise("jira:" + id)` to the
    person key earlier landings learned for it (see `read_jira_folder`).
    """
    people = DeferredPeople(pseudonymise, known_people or {})
    issues = TableBuilder(schemas.JIRA_ISSUES)
    changelog = TableBuilder(schemas.JIRA_CHANGELOG)
    # The issue row number of every changelog row, to drop those of superseded copies.
    changelog_issue = array("q")
    for source, page in pages:
        page_rows = page_issues(page, source)
        for issue in page_rows:
            people.learn_from_issue(issue)
        for index, issue in enumerate(page_rows):
            where = f"issues[{index}]"
            row_number = issues.num_rows
            issues.add(issue_row(issue, fields, people, source, where))
            for item in changelog_rows(issue, fields, people, source, where):
                changelog.add(item)
                changelog_issue.append(row_number)
        del page, page_rows
    issue_table = _resolve_people(issues.finish(), ("assignee_key",), people)
    changelog_table = _resolve_people(
        changelog.finish(), ("author_key", "from_value", "to_value"), people
    )
    keep = _winners(issue_table)
    if keep is not None:
        changelog_keep = pc.take(keep, pa.array(changelog_issue, pa.int64()))
        issue_table = issue_table.filter(keep)
        changelog_table = changelog_table.filter(changelog_keep)
    tables = {
        schemas.JIRA_ISSUES.name: issue_table,
        schemas.JIRA_CHANGELOG.name: changelog_table,
    }
    return tables, people.learned()


def read_issue_pages(
    pages: Iterable[tuple[str, Any]], fields: FieldMap, pseudonymise: Pseudonymiser
) -> dict[str, pa.Table]:
    """`jira__issues` and `jira__changelog` from parsed search pages (`read_pages_learning`)."""
    return read_pages_learning(pages, fields, pseudonymise)[0]


def _loaded_pages(paths: list[Path], sources_dir: Path) -> Iterator[tuple[str, Any]]:
    # One page's JSON at a time: the previous one is garbage by the time the next loads.
    for path in paths:
        source = relative_name(path, sources_dir)
        yield source, load_json(path, source)


def _load_people(path: Path | None) -> dict[str, str]:
    if path is None or not path.is_file():
        return {}
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        # A damaged cache only costs bare ids their e-mail key until the next full read.
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _save_people(path: Path | None, learned: Mapping[str, str], known: Mapping[str, str]) -> None:
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps({**known, **learned}, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def read_jira_folder(
    sources_dir: Path,
    pseudonymise: Pseudonymiser,
    wanted: FileChoice = every_file,
    people_cache: Path | None = None,
    spill_dir: Path | None = None,
) -> dict[str, RawRows]:
    """Every `jira__*` table from `<sources_dir>/jira/` (empty tables when it is absent).

    `wanted` narrows the issue pages read (an incremental landing reads new or changed
    pages; fields, projects and statuses are always read). `people_cache` is a JSON
    file of pseudonym -> person key pairs learned from pages read before: an account id
    whose e-mail was on a page not read this time still gets its e-mail's key. With
    `spill_dir`, issues and changelog read in DuckDB are written there as
    `SpilledTable`s (connectors/spilled.py) rather than held in memory.
    """
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

    all_pages = page_files(folder / "issues", "page")
    page_paths = wanted(all_pages)
    # A full read learns every e-mail itself; only a partial one needs the cache.
    known = _load_people(people_cache) if len(page_paths) < len(all_pages) else {}
    if page_paths:
        read, learned = read_page_files(
            page_paths, sources_dir, field_map(fields), pseudonymise, known, spill_dir
        )
        tables.update(read)
        _save_people(people_cache, learned, known)
    return tables


def read_page_files(
    paths: list[Path],
    sources_dir: Path,
    fields: FieldMap,
    pseudonymise: Pseudonymiser,
    known_people: Mapping[str, str] | None = None,
    spill_dir: Path | None = None,
) -> tuple[dict[str, RawRows], dict[str, str]]:
    """`read_pages_learning` over page files: in DuckDB when it can be sure, else Python.

    The DuckDB path (`pages_duckdb.py`) makes the same rows set-based; it declines any
    input where it might differ, and those pages are read in Python, which raises the
    usual file/record/field error for a malformed one.
    """
    people = DeferredPeople(pseudonymise, known_people or {})
    fast = read_pages_duckdb(paths, sources_dir, fields, people, spill_dir=spill_dir)
    if fast is not None:
        return fast, people.learned()
    return read_pages_learning(
        _loaded_pages(paths, sources_dir), fields, pseudonymise, known_people
    )
