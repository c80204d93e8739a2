"""Incremental Jira reads: an `updated` watermark, merge by issue id, resumable runs and a
periodic reconcile that finds deleted issues.

State lives in one SQLite file per Jira and scope under the data folder
(`<state_dir>/jira/<hash>.sqlite`). It holds the *pseudonymised* rows of every issue in
scope (never names or e-mails), merged by issue id, so every run returns the complete
current set of issues and changelogs and an incremental run equals a full one.

A run is one or more **phases**, each a JQL search paged to the end:

- `full` (first run): every issue in scope with its full changelog.
- `reconcile` (every `reconcile_days`): lists the id and `updated` of every issue in
  scope; issues missing from the list are re-checked by id and, when Jira no longer
  returns them, become **tombstones** (deleted or moved out of scope); issues whose
  `updated` differs from the stored one are re-read.
- `incremental`: issues updated since the watermark minus an overlap window.

Each page is written in one transaction together with the cursor of the next page, so
a run cut off half-way resumes at that page, losing and doubling nothing. The
watermark is the latest `updated` stored (Jira's clock, not ours).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Self

import pyarrow as pa

from connectors import schemas
from connectors.arrow_tables import TableBuilder
from connectors.http import HttpError
from connectors.jira.api import JiraClient, scope_jql
from connectors.jira.fields import FieldMap, field_map
from connectors.jira.files import read_projects, read_statuses
from connectors.jira.issues import JiraPeople, changelog_rows, issue_row
from connectors.pseudonymise import Pseudonymiser, person_key
from connectors.registry import RawTable
from connectors.values import parse_timestamp, text

FULL = "full"
RECONCILE = "reconcile"
INCREMENTAL = "incremental"
# Ids per `id in (...)` search when re-checking issues a listing did not return.
RECHECK_BATCH = 50
_LISTING_FIELDS = ("updated",)
# "Leave the phase's cursor where it is."
_KEEP = object()

_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS issues (
    issue_id TEXT PRIMARY KEY, updated_at TEXT, issue_row TEXT NOT NULL,
    changelog TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS seen (issue_id TEXT PRIMARY KEY, updated_at TEXT);
CREATE TABLE IF NOT EXISTS deleted (issue_id TEXT PRIMARY KEY, detected_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS people (fallback_key TEXT PRIMARY KEY, person_key TEXT NOT NULL);
"""


def store_path(state_dir: Path, base_url: str, scope: str) -> Path:
    """The state file of one Jira and scope: another scope starts from scratch."""
    digest = hashlib.sha256(f"{base_url.rstrip('/')}\n{scope}".encode()).hexdigest()[:16]
    return state_dir / "jira" / f"{digest}.sqlite"


def _encode(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}


def _decode(row: Mapping[str, Any], table: RawTable) -> dict[str, Any]:
    decoded = dict(row)
    for column in table.schema:
        if pa.types.is_timestamp(column.type) and decoded.get(column.name) is not None:
            decoded[column.name] = datetime.fromisoformat(decoded[column.name])
    return decoded


class JiraStateStore:
    """The SQLite file holding merged issue rows, tombstones, the watermark and cursors."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._con = sqlite3.connect(path)
        self._con.executescript(_SCHEMA_SQL)

    def close(self) -> None:
        """Close the file."""
        self._con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- meta ----------------------------------------------------------------------

    def get(self, key: str) -> str | None:
        """A meta value (watermark, last_reconcile, pending)."""
        row = self._con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def _set(self, key: str, value: str | None) -> None:
        if value is None:
            self._con.execute("DELETE FROM meta WHERE key = ?", [key])
        else:
            self._con.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    def watermark(self) -> datetime | None:
        """The latest `updated` stored (UTC), None before the first complete run."""
        value = self.get("watermark")
        return datetime.fromisoformat(value) if value else None

    def last_reconcile(self) -> datetime | None:
        """When the last full listing finished (UTC)."""
        value = self.get("last_reconcile")
        return datetime.fromisoformat(value) if value else None

    def pending(self) -> dict[str, Any] | None:
        """The phase a cut-off run left unfinished: phase, jql, cursor."""
        value = self.get("pending")
        return json.loads(value) if value else None

    def start_phase(self, phase: str, jql: str) -> None:
        """Record a new phase (a listing phase forgets the previous listing)."""
        with self._con:
            if phase in (FULL, RECONCILE):
                self._con.execute("DELETE FROM seen")
            self._set(
                "pending", json.dumps({"phase": phase, "jql": jql, "cursor": None, "done": False})
            )

    # --- pages ---------------------------------------------------------------------

    def save_page(
        self,
        rows: Iterable[tuple[dict[str, Any], list[dict[str, Any]]]],
        listed: Iterable[tuple[str, str | None]],
        learned: Mapping[str, str],
        next_cursor: Any = _KEEP,
    ) -> None:
        """Merge one page's issues by id, note listed ids, and move the cursor: atomically.

        `next_cursor` None marks the phase's search done; leave it out for pages of
        another search (the re-checks), which must not move the phase's cursor.
        """
        with self._con:
            for issue, changelog in rows:
                self._con.execute(
                    "INSERT INTO issues (issue_id, updated_at, issue_row, changelog) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (issue_id) DO UPDATE SET "
                    "updated_at = excluded.updated_at, issue_row = excluded.issue_row, "
                    "changelog = excluded.changelog",
                    [
                        issue["issue_id"],
                        issue["updated_at"].isoformat() if issue["updated_at"] else None,
                        json.dumps(_encode(issue)),
                        json.dumps([_encode(item) for item in changelog]),
                    ],
                )
                self._con.execute("DELETE FROM deleted WHERE issue_id = ?", [issue["issue_id"]])
            self._con.executemany(
                "INSERT INTO seen (issue_id, updated_at) VALUES (?, ?) ON CONFLICT (issue_id) "
                "DO UPDATE SET updated_at = excluded.updated_at",
                list(listed),
            )
            self._con.executemany(
                "INSERT INTO people (fallback_key, person_key) VALUES (?, ?) "
                "ON CONFLICT (fallback_key) DO UPDATE SET person_key = excluded.person_key",
                list(learned.items()),
            )
            pending = self.pending()
            if pending is not None and next_cursor is not _KEEP:
                pending["cursor"] = next_cursor
                pending["done"] = next_cursor is None
                self._set("pending", json.dumps(pending))

    def unseen_ids(self) -> list[str]:
        """Stored issues the finished listing did not return."""
        return [
            r[0]
            for r in self._con.execute(
                "SELECT issue_id FROM issues WHERE issue_id NOT IN (SELECT issue_id FROM seen) "
                "ORDER BY issue_id"
            )
        ]

    def stale_ids(self) -> list[str]:
        """Listed issues that are not stored or whose `updated` differs from the stored one."""
        return [
            r[0]
            for r in self._con.execute(
                "SELECT s.issue_id FROM seen AS s LEFT JOIN issues AS i USING (issue_id) "
                "WHERE i.issue_id IS NULL OR s.updated_at IS NOT i.updated_at "
                "ORDER BY s.issue_id"
            )
        ]

    def bury(self, issue_ids: Sequence[str], when: datetime) -> None:
        """Drop issues Jira no longer returns, keeping tombstones so raw can drop them too."""
        with self._con:
            for issue_id in issue_ids:
                self._con.execute("DELETE FROM issues WHERE issue_id = ?", [issue_id])
                self._con.execute(
                    "INSERT INTO deleted (issue_id, detected_at) VALUES (?, ?) "
                    "ON CONFLICT (issue_id) DO NOTHING",
                    [issue_id, when.isoformat()],
                )

    def finish_phase(self, phase: str, now: datetime) -> None:
        """Close the pending phase: advance the watermark, note a finished listing."""
        with self._con:
            latest = self._con.execute("SELECT max(updated_at) FROM issues").fetchone()[0]
            if latest is not None:
                self._set("watermark", latest)
            if phase in (FULL, RECONCILE):
                self._set("last_reconcile", now.isoformat())
                self._con.execute("DELETE FROM seen")
            self._set("pending", None)

    # --- reading back --------------------------------------------------------------

    def deleted_ids(self) -> list[str]:
        """Every tombstone: issues found deleted, reported on every run until they return."""
        return [r[0] for r in self._con.execute("SELECT issue_id FROM deleted ORDER BY 1")]

    def tables(self) -> dict[str, pa.Table]:
        """`jira__issues` and `jira__changelog` of every stored issue, people re-keyed.

        A changelog item that named a user only by account id was keyed
        `pseudonymise("jira:" + id)` unless that user's e-mail was known on the same
        page; once any page showed the e-mail, the key becomes the e-mail's person key,
        as the file reader (which sees every page at once) would have made it.
        """
        remap = dict(self._con.execute("SELECT fallback_key, person_key FROM people"))

        def rekey(value: str | None) -> str | None:
            if value is None or not remap:
                return value
            return ",".join(remap.get(part, part) for part in value.split(","))

        issues = TableBuilder(schemas.JIRA_ISSUES)
        changelog = TableBuilder(schemas.JIRA_CHANGELOG)
        for issue_json, changelog_json in self._con.execute(
            "SELECT issue_row, changelog FROM issues ORDER BY issue_id"
        ):
            row = _decode(json.loads(issue_json), schemas.JIRA_ISSUES)
            row["assignee_key"] = rekey(row["assignee_key"])
            issues.add(row)
            for item in json.loads(changelog_json):
                item = _decode(item, schemas.JIRA_CHANGELOG)
                for column in ("author_key", "from_value", "to_value"):
                    item[column] = rekey(item[column])
                changelog.add(item)
        return {
            schemas.JIRA_ISSUES.name: issues.finish(),
            schemas.JIRA_CHANGELOG.name: changelog.finish(),
        }


class _RecordingPeople(JiraPeople):
    """`JiraPeople` that also records, per user id, fallback key → e-mail person key."""

    def __init__(self, pseudonymise: Pseudonymiser) -> None:
        super().__init__(pseudonymise)
        self._keyer = pseudonymise
        self.learned: dict[str, str] = {}

    def learn(self, user: Any) -> None:
        """Remember the e-mail of a user object, and the key it replaces."""
        super().learn(user)
        if not isinstance(user, Mapping):
            return
        email = text(user.get("emailAddress"))
        key = person_key(self._keyer, email)
        if key is None:
            return
        for name in ("accountId", "name", "key"):
            user_id = text(user.get(name))
            fallback = self._keyer("jira:" + user_id) if user_id else None
            if fallback is not None:
                self.learned[fallback] = key


@dataclass(frozen=True)
class SyncResult:
    """What a run produced: every `jira__*` table (the complete current set) and the
    ids of issues Jira no longer returns."""

    tables: dict[str, pa.Table]
    deleted_issue_ids: list[str]
    phases: list[str]


def _rows(
    issues: Sequence[Mapping[str, Any]], fields: FieldMap, people: _RecordingPeople, source: str
) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    for issue in issues:
        people.learn_from_issue(issue)
    rows = []
    for index, issue in enumerate(issues):
        where = f"issues[{index}] ({text(issue.get('key')) or text(issue.get('id'))})"
        rows.append(
            (
                issue_row(issue, fields, people, source, where),
                list(changelog_rows(issue, fields, people, source, where)),
            )
        )
    return rows


class JiraSync:
    """One run of the incremental reader against one Jira and scope."""

    def __init__(
        self,
        client: JiraClient,
        store: JiraStateStore,
        scope: str,
        pseudonymise: Pseudonymiser,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.client = client
        self.store = store
        self.scope = scope
        self.pseudonymise = pseudonymise
        self._now = now or (lambda: datetime.now(UTC).replace(tzinfo=None))
        self._fields: FieldMap | None = None

    @property
    def fields(self) -> FieldMap:
        """This instance's custom fields, found by name."""
        if self._fields is None:
            self._fields = field_map(self.client.fields())
        return self._fields

    def _plan(self, force_full: bool) -> list[tuple[str, str | None]]:
        """The phases to run, as (phase, jql of a phase being resumed)."""
        pending = self.store.pending()
        if pending is not None and not force_full:
            resumed = [(pending["phase"], pending["jql"])]
            if pending["phase"] == RECONCILE:
                resumed.append((INCREMENTAL, None))
            return resumed
        if force_full or self.store.watermark() is None:
            return [(FULL, None)]
        last = self.store.last_reconcile()
        days = self.client.config.reconcile_days
        if last is None or self._now() - last >= timedelta(days=days):
            return [(RECONCILE, None), (INCREMENTAL, None)]
        return [(INCREMENTAL, None)]

    def _jql(self, phase: str) -> str:
        if phase == INCREMENTAL:
            watermark = self.store.watermark()
            if watermark is None:
                return f"({self.scope}) ORDER BY updated ASC"
            since = watermark - timedelta(hours=self.client.config.overlap_hours)
            # Oldest first: an issue updated while we page moves behind us, not past us.
            return f'({self.scope}) AND updated >= "{since:%Y/%m/%d %H:%M}" ORDER BY updated ASC'
        # `created` never changes, so a listing's order holds while issues are edited.
        return f"({self.scope}) ORDER BY created ASC"

    def run(self, force_full: bool = False) -> SyncResult:
        """Run the planned phases to the end and return the complete current tables."""
        phases = []
        for phase, resumed_jql in self._plan(force_full):
            if resumed_jql is None:
                jql = self._jql(phase)
                self.store.start_phase(phase, jql)
            else:
                jql = resumed_jql
            pending = self.store.pending() or {}
            if not pending.get("done"):
                try:
                    self._page_through(phase, jql, pending.get("cursor"))
                except HttpError as error:
                    # A saved Cloud page token may have expired: redo the phase from its
                    # first page (merging by id makes that safe), but only once.
                    if error.status != 400 or pending.get("cursor") is None:
                        raise
                    self.store.start_phase(phase, jql)
                    self._page_through(phase, jql, None)
            if phase in (FULL, RECONCILE):
                self._settle_listing()
            self.store.finish_phase(phase, self._now())
            phases.append(phase)

        tables = {
            schemas.JIRA_PROJECTS.name: read_projects(
                self.client.projects(), f"{self.client.http.base_url}{self.client.api}/project"
            ),
            schemas.JIRA_STATUSES.name: read_statuses(
                self.client.statuses(), f"{self.client.http.base_url}/rest/api/2/status"
            ),
            **self.store.tables(),
        }
        return SyncResult(tables, self.store.deleted_ids(), phases)

    def _page_through(self, phase: str, jql: str, cursor: Any) -> None:
        listing_only = phase == RECONCILE
        people = _RecordingPeople(self.pseudonymise)
        for page in self.client.search(
            jql,
            cursor,
            fields=_LISTING_FIELDS if listing_only else ("*all",),
            changelog=not listing_only,
        ):
            listed = [
                (str(issue["id"]), self._updated_iso(issue))
                for issue in page.issues
                if phase in (FULL, RECONCILE)
            ]
            rows = (
                [] if listing_only else _rows(page.issues, self.fields, people, self.client.source)
            )
            self.store.save_page(rows, listed, people.learned, page.next_cursor)

    @staticmethod
    def _updated_iso(issue: Mapping[str, Any]) -> str | None:
        updated = parse_timestamp((issue.get("fields") or {}).get("updated"))
        return updated.isoformat() if updated else None

    def _settle_listing(self) -> None:
        """After a complete listing: re-read stale issues, bury the ones Jira lost.

        An issue the listing skipped (pages shift when an issue is deleted mid-run) is
        not buried on that evidence alone: it is searched for by id first.
        """
        stale = self.store.stale_ids()
        missing = self.store.unseen_ids()
        found: set[str] = set()
        people = _RecordingPeople(self.pseudonymise)
        for start in range(0, len(stale) + len(missing), RECHECK_BATCH):
            batch = (stale + missing)[start : start + RECHECK_BATCH]
            jql = f"({self.scope}) AND id in ({', '.join(batch)}) ORDER BY created ASC"
            for page in self.client.search(jql):
                found.update(str(issue["id"]) for issue in page.issues)
                rows = _rows(page.issues, self.fields, people, self.client.source)
                self.store.save_page(rows, [], people.learned)
        self.store.bury([i for i in missing if i not in found], self._now())


def sync_jira(
    client: JiraClient,
    state_dir: Path,
    project_keys: Sequence[str],
    pseudonymise: Pseudonymiser,
    force_full: bool = False,
    now: Callable[[], datetime] | None = None,
) -> SyncResult:
    """Bring the local state of `client`'s Jira up to date and return every table.

    Scope: the configured JQL, else the catalog's `project_keys`.
    """
    scope = scope_jql(client.config.jql, project_keys)
    path = store_path(state_dir, client.config.base_url, scope)
    with closing(JiraStateStore(path)) as store:
        return JiraSync(client, store, scope, pseudonymise, now).run(force_full)
