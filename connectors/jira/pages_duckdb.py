"""Jira issue pages landed set-based in DuckDB: the fast path of `files.py`.

DuckDB's `read_json` streams every page with an explicit type (no schema inference):
the issue, changelog and user objects are structs whose leaves are `JSON`, so a value
of any JSON type reads, and the SQL below checks each leaf's type before using it.
Issues, histories and items are unnested in SQL; only the distinct people (user
objects and person-field values) go to Python, where the reader's own `JiraPeople`
functions learn e-mails and pseudonymise them, and come back as a join.

Pages are parsed a chunk at a time (`CHUNK_PAGES`); each chunk's copies and items are
appended to tables stored compressed in a scratch database file, and DuckDB runs under
a memory limit: the reader's memory does not grow with the number of pages. The two
tables come out batch by batch, into Arrow tables or, given a spill folder, into files
(connectors/spilled.py).
Everything that spans pages (which copy of a repeated issue wins, the e-mail an
account id shows on another page) is settled after the last chunk, over all of them.

The result must equal `files.read_pages_learning` row for row, so this path declines
(returns None) wherever it could differ: a file DuckDB cannot read, a page that is not
one object with an `issues` list, a text field holding a number, a timestamp or story
point not in the plain forms below, a missing id, an id seen with two e-mails... The
caller then reads the pages in Python, which raises its usual file/record/field error
or reads the odd value as it always has.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from connectors import schemas
from connectors.jira.fields import FieldMap
from connectors.registry import RawTable
from connectors.source_files import relative_name
from connectors.spilled import RawRows, TableSpool
from connectors.strict_json import StrictJsonCheck

if TYPE_CHECKING:
    from connectors.jira.files import DeferredPeople

# `str.strip()` (inside `connectors.values.text`) removes every character Python calls
# whitespace; SQL `trim` must remove exactly the same set.
PYTHON_WHITESPACE = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())

# A page is one JSON object; a larger cap costs DuckDB buffer space on every file, and a
# page above it (the API pages at most 100 issues) is read by the Python path.
_MAX_PAGE_BYTES = 1 << 26

_USER = "STRUCT(accountId JSON, name JSON, key JSON, emailAddress JSON)"
_ISSUE_TYPE = "STRUCT(name JSON, untranslatedName JSON, hierarchyLevel JSON)"
# The issue fields the reader looks at; custom fields (story points, epic link) are
# added per instance from fields.json.
_FIELDS = {
    "summary": "JSON",
    "issuetype": _ISSUE_TYPE,
    "project": "STRUCT(key JSON)",
    "status": "STRUCT(name JSON, statusCategory STRUCT(key JSON))",
    "assignee": _USER,
    "reporter": _USER,
    "creator": _USER,
    "parent": f"STRUCT(key JSON, fields STRUCT(issuetype {_ISSUE_TYPE}))",
    "labels": "JSON[]",
    "components": "STRUCT(name JSON)[]",
    "created": "JSON",
    "updated": "JSON",
    "resolutiondate": "JSON",
    "epic": "JSON",
}
_HISTORY = (
    f"STRUCT(id JSON, created JSON, author {_USER}, items STRUCT(field JSON, fieldId JSON,"
    ' "from" JSON, fromString JSON, "to" JSON, toString JSON)[])'
)

# ISO 8601 as Jira writes it; anything else (a date alone, a comma, 7+ fraction
# digits...) is left to `parse_timestamp` through the Python path.
_TIMESTAMP = (
    r"^([12]\d{3}-\d{2}-\d{2})[T ]([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(?:\.(\d{1,6}))?"
    r"(Z|([+-])([01]\d|2[0-3]):?([0-5]\d))?$"
)
_PLAIN_NUMBER = r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?"


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _macros() -> list[str]:
    """SQL macros with the meaning of the `connectors.values` and `issues.py` helpers.

    Macros are inlined wherever they are used, so they stay shallow: the queries
    compute each leaf's text once, as a column, and parse that.
    """
    ws = _literal(PYTHON_WHITESPACE)
    return [
        # A JSON leaf holds its value as JSON text; JSON null arrives as SQL NULL.
        (
            "create or replace temp macro jkind(j) as case when j is null or j = 'null' then 'NULL'"
            " when starts_with(j, '\"') then 'VARCHAR' else json_type(j) end"
        ),
        (
            "create or replace temp macro jstr(j) as"
            " case when starts_with(j, '\"') then json_extract_string(j, '$') end"
        ),
        # `text()`: stripped, empty is null. Python would `str()` other JSON types
        # (True -> 'True'), which SQL cannot mirror: those are flagged instead. Every
        # character Python strips is below 33 or above 132, and trimming a set of
        # characters is slow, so only values ending in such a character are trimmed.
        (
            "create or replace temp macro ptext(s) as case"
            " when ascii(s) <= 32 or ascii(s) >= 133"
            " or ascii(right(s, 1)) <= 32 or ascii(right(s, 1)) >= 133"
            f" then nullif(trim(s, {ws}), '') else nullif(s, '') end"
        ),
        "create or replace temp macro jtext(j) as ptext(jstr(j))",
        (
            "create or replace temp macro jtext_bad(j) as"
            " j is not null and j <> 'null' and not starts_with(j, '\"')"
        ),
        # `parse_timestamp` for `s` = text in the pattern: a valid calendar date too.
        (
            "create or replace temp macro jts_valid(s) as s is null or ("
            f"regexp_full_match(s, {_literal(_TIMESTAMP)})"
            " and try_cast(left(s, 10) as date) is not null)"
        ),
        # A TIMESTAMP cast keeps the wall time and drops the offset (Z, +HHMM or +HH:MM,
        # the only forms `jts_valid` lets through), which is then taken off.
        (
            "create or replace temp macro joffset(t) as case"
            " when left(t, 1) in ('+', '-') then (case left(t, 1) when '-' then -1 else 1 end)"
            " * (cast(substr(t, 2, 2) as bigint) * 60 + cast(substr(t, 5, 2) as bigint))"
            " when substr(t, 2, 1) in ('+', '-') then (case substr(t, 2, 1) when '-' then -1 else 1 end)"
            " * (cast(substr(t, 3, 2) as bigint) * 60 + cast(substr(t, 5, 2) as bigint))"
            " else 0 end"
        ),
        (
            "create or replace temp macro jts_value(s) as"
            " try_cast(s as timestamp) - to_minutes(joffset(right(s, 6)))"
        ),
        # `FieldMap.first_value` skips None, "", [] and {}.
        (
            "create or replace temp macro jempty(j) as j is null or j = '\"\"'"
            " or (jkind(j) = 'ARRAY' and json_array_length(j) = 0)"
            " or (jkind(j) = 'OBJECT' and len(json_keys(j)) = 0)"
        ),
        # `parse_number`, for JSON numbers and plain-number strings only.
        (
            "create or replace temp macro jnum(j, s) as case"
            " when jkind(j) in ('UBIGINT', 'BIGINT', 'DOUBLE') then cast(j as double)"
            f" when regexp_full_match(s, {_literal(_PLAIN_NUMBER)}) then try_cast(s as double) end"
        ),
        # `_is_epic`: name or untranslatedName "Epic", or hierarchyLevel == 1 (Python's
        # == also holds for 1.0 and true).
        (
            "create or replace temp macro jepic_type(t) as coalesce("
            "jstr(t.name) = 'Epic' or jstr(t.untranslatedName) = 'Epic'"
            " or (jkind(t.hierarchyLevel) in ('UBIGINT', 'BIGINT', 'DOUBLE')"
            " and cast(t.hierarchyLevel as double) = 1)"
            " or t.hierarchyLevel = 'true', false)"
        ),
        # A user object's e-mail must be text; ids that are not text are skipped by
        # `user_ids`, so only the e-mail is checked.
        "create or replace temp macro juser_bad(u) as jtext_bad(u.emailAddress)",
        (
            "create or replace temp macro juser(u) as {'email': jstr(u.emailAddress),"
            " 'account_id': jstr(u.accountId), 'name': jstr(u.name), 'key': jstr(u.key)}"
        ),
    ]


def _first_value(ids: Sequence[str]) -> str:
    """SQL for `FieldMap.first_value` over the issue fields `ids` (a JSON value)."""
    if not ids:
        return "cast(null as json)"
    whens = " ".join(f"when not jempty(f.{_ident(i)}) then f.{_ident(i)}" for i in ids)
    return f"case {whens} end"


def _fields_type(fields: FieldMap) -> str | None:
    """The struct type of `fields`, or None when a custom id clashes with a system one."""
    members = dict(_FIELDS)
    for field_id in (*fields.story_points, *fields.epic_link):
        if field_id.lower() in {m.lower() for m in _FIELDS}:
            return None
        members[field_id] = "JSON"
    # DuckDB's struct names are case-insensitive; JSON keys are not.
    if len({m.lower() for m in members}) != len(members):
        return None
    return "STRUCT(" + ", ".join(f"{_ident(n)} {t}" for n, t in members.items()) + ")"


def _read_pages(struct: str) -> str:
    """`read_json` over the page files, each one record with an `issues` list."""
    return f"""read_json($paths, columns = {{issues: {_literal(struct + "[]")}}}, format = 'unstructured',
        records = true, filename = true, maximum_object_size = {_MAX_PAGE_BYTES})"""


def _raw_sql(fields: FieldMap, fields_type: str) -> str:
    """Every copy of every issue on the pages: the JSON leaves the reader looks at.

    The pages are read once; issues and changelog items are both made from this table.
    A page with no issues (or none at all) gives one row with `issue_no` 0, so every
    record of every file shows up once with `issue_no` <= 1.
    """
    issue = (
        f"STRUCT(id JSON, key JSON, fields {fields_type}, changelog STRUCT(histories {_HISTORY}[]))"
    )
    return f"""
    create or replace temp table jira_raw as
    with pages as (
        select s.file_no, issues is null as no_issues,
            unnest(coalesce(nullif(issues, []), [null])) as issue,
            unnest(case when len(issues) > 0 then range(1, len(issues) + 1) else [0] end)
                as issue_no
        from {_read_pages(issue)} join jira_sources s using (filename)
    )
    select file_no, no_issues, issue_no, issue_no > 0 and issue is null as null_issue,
        issue.id as id_j, issue.key as key_j, f.project.key as project_j,
        f.issuetype.name as type_j, f.summary as summary_j, f.status.name as status_j,
        f.status.statusCategory.key as category_j, f.parent.key as parent_j,
        jepic_type(f.parent.fields.issuetype) as parent_is_epic,
        {_first_value(fields.story_points)} as points_j,
        {_first_value(fields.epic_link)} as link_j, f.epic as agile_epic_j,
        f.created as created_j, f.updated as updated_j, f.resolutiondate as resolved_j,
        f.labels as labels_j, list_transform(f.components, lambda c: c.name) as components_j,
        f.assignee, f.reporter, f.creator, issue.changelog.histories as histories
    from (select *, issue.fields as f from pages)
    """


# Every copy of every issue as `jira__issues` columns, with a flag where SQL is not sure.
_COPIES = """
    create or replace temp table jira_chunk_copies as
    with
    texts as (
        select *,
            jtext(id_j) as issue_id, jtext(key_j) as issue_key, jtext(parent_j) as parent_key,
            case when jkind(link_j) = 'OBJECT' then link_j -> '$.key' end as link_key_j,
            case when jkind(agile_epic_j) = 'OBJECT' then agile_epic_j -> '$.key' end
                as agile_key_j,
            jtext(points_j) as points_s, jtext(created_j) as created_s,
            jtext(updated_j) as updated_s, jtext(resolved_j) as resolved_s
        from jira_raw
    ),
    numbers as (select *, jnum(points_j, points_s) as points_n from texts)
    select
        file_no, issue_no, no_issues, issue_id, issue_key,
        coalesce(jtext(project_j), case
            when strpos(issue_key, '-') > 0 then regexp_extract(issue_key, '(?s)^(.*)-', 1)
            else issue_key end) as project_key,
        jtext(type_j) as issue_type, jtext(summary_j) as summary, jtext(status_j) as status,
        jtext(category_j) as status_category, juser(assignee) as assignee, parent_key,
        case
            when parent_is_epic then parent_key
            when jkind(link_j) = 'OBJECT' then jtext(link_key_j)
            when link_j is not null then jtext(link_j)
            else jtext(agile_key_j)
        end as epic_key,
        nullif(array_to_string(list_filter(list_transform(labels_j, lambda x: jtext(x)),
            lambda x: x is not null), ','), '') as labels,
        nullif(array_to_string(list_filter(list_transform(components_j, lambda x: jtext(x)),
            lambda x: x is not null), ','), '') as components,
        case when points_n >= 0 then points_n end as story_points,
        jts_value(created_s) as created_at, jts_value(updated_s) as updated_at,
        jts_value(resolved_s) as resolved_at,
        [juser(reporter), juser(creator)] as other_users,
        null_issue or (issue_no > 0 and (
            issue_id is null or jtext_bad(id_j) or jtext_bad(key_j) or jtext_bad(project_j)
            or jtext_bad(type_j) or jtext_bad(summary_j) or jtext_bad(status_j)
            or jtext_bad(category_j) or jtext_bad(parent_j)
            or juser_bad(assignee) or juser_bad(reporter) or juser_bad(creator)
            or jtext_bad(link_key_j)
            or (link_j is not null and jkind(link_j) not in ('OBJECT', 'VARCHAR'))
            or jtext_bad(agile_key_j)
            or coalesce(list_bool_or(list_transform(labels_j, lambda x: jtext_bad(x))), false)
            or coalesce(list_bool_or(list_transform(components_j, lambda x: jtext_bad(x))),
                false)
            or not (points_j is null or (points_s is null and jkind(points_j) = 'VARCHAR')
                or coalesce(isfinite(points_n), false))
            or jtext_bad(created_j) or jtext_bad(updated_j) or jtext_bad(resolved_j)
            or not jts_valid(created_s) or not jts_valid(updated_s) or not jts_valid(resolved_s)
        )) as unsure
    from numbers
    """


# Every changelog item of every copy, with a flag where SQL is not sure. A history
# without items gives one row with `item_index` -1: it lands nothing, but its id and
# time are still checked, as `changelog_rows` checks them.
_ITEMS = """
    create or replace temp table jira_chunk_items as
    with
    histories as (
        select file_no, issue_no, id_j, unnest(histories) as h from jira_raw
    ),
    items as (
        select file_no, issue_no, id_j, h is null as null_history,
            h.id as history_j, h.created as created_j, juser(h.author) as author,
            juser_bad(h.author) as author_bad,
            unnest(coalesce(nullif(h.items, []), [null])) as it,
            unnest(case when len(h.items) > 0 then range(len(h.items)) else [-1] end)
                as item_index
        from histories
    ),
    texts as (
        select *, jtext(history_j) as history_id, jtext(created_j) as created_s,
            jtext(it.field) as field, jtext(it.fieldId) as field_id
        from items
    )
    select file_no, issue_no, jtext(id_j) as issue_id, item_index, history_id,
        field, jstr(it."from") as from_raw, jstr(it.fromString) as from_string_raw,
        jstr(it."to") as to_raw, jstr(it.toString) as to_string_raw, author,
        jts_value(created_s) as changed_at,
        list_contains($multi, field) or list_contains($multi, field_id) as multiple,
        list_contains($single, field) or list_contains($single, field_id)
            or list_contains($multi, field) or list_contains($multi, field_id) as is_person,
        null_history or history_id is null or jtext_bad(history_j) or jtext_bad(created_j)
            or not jts_valid(created_s) or author_bad
            or (item_index >= 0 and (it is null or jtext_bad(it.field)
                or jtext_bad(it.fieldId) or jtext_bad(it."from") or jtext_bad(it.fromString)
                or jtext_bad(it."to") or jtext_bad(it.toString))) as unsure
    from texts
    """


def _all_readable(con: duckdb.DuckDBPyConnection, expected_files: int) -> bool:
    """True when each of the chunk's files is one page object with an issues list of sure
    issues."""
    files, pages_ok, unsure = con.execute(
        """
        select count(*), coalesce(bool_and(pages = 1), true), coalesce(bool_or(unsure), false)
        from (
            select file_no,
                count(*) filter (where issue_no <= 1) as pages,
                bool_or(unsure or no_issues) as unsure
            from jira_chunk_copies group by file_no
        )
        """
    ).fetchone()
    return files == expected_files and pages_ok and not unsure


def _user_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    email, account_id, name, key = row
    return {"emailAddress": email, "accountId": account_id, "name": name, "key": key}


def _learn_people(
    con: duckdb.DuckDBPyConnection, people: DeferredPeople
) -> list[tuple[Any, ...]] | None:
    """Learn every user object's e-mail; the distinct users, or None on a conflict.

    The Python path keeps the last e-mail seen for an id, which depends on page order:
    when one id shows two e-mails with different keys, this path declines.
    """
    users = con.execute(
        """
        select distinct u.email, u.account_id, u.name, u.key from (
            select unnest([assignee, other_users[1], other_users[2]]) as u from jira_copies
            union all
            select author as u from jira_items
        )
        """
    ).fetchall()
    with_email = [_user_dict(u) for u in users if u[0] is not None]
    for user in with_email:
        people.learn(user)
    for user in with_email:
        key = people.key_of(user)
        for user_id in people.user_ids(user):
            if people.key_of({"emailAddress": people.email_of(user_id)}) != key:
                return None
    return users


def _register_people(
    con: duckdb.DuckDBPyConnection, people: DeferredPeople, users: list[tuple[Any, ...]]
) -> None:
    """Register the person key of every user object and every person-field value."""
    con.register(
        "jira_user_keys",
        pa.table(
            {
                "email": pa.array([u[0] for u in users], pa.string()),
                "account_id": pa.array([u[1] for u in users], pa.string()),
                "name": pa.array([u[2] for u in users], pa.string()),
                "key": pa.array([u[3] for u in users], pa.string()),
                "person_key": pa.array(
                    [people.settle(people.key_of(_user_dict(u))) for u in users], pa.string()
                ),
            }
        ),
    )
    values = con.execute(
        """
        select raw, multiple from jira_items, unnest([from_raw, to_raw]) as t(raw)
        where is_person and raw is not null
        group by all
        """
    ).fetchall()
    con.register(
        "jira_value_keys",
        pa.table(
            {
                "raw": pa.array([v[0] for v in values], pa.string()),
                "multiple": pa.array([v[1] for v in values], pa.bool_()),
                "person_key": pa.array(
                    [people.settle(people.person_values(raw, many)) for raw, many in values],
                    pa.string(),
                ),
            }
        ),
    )


_USER_JOIN = """left join jira_user_keys {alias}
    on {alias}.email is not distinct from {user}.email
    and {alias}.account_id is not distinct from {user}.account_id
    and {alias}.name is not distinct from {user}.name
    and {alias}.key is not distinct from {user}.key"""

_ISSUES = f"""
    select c.issue_id, c.issue_key, c.project_key, c.issue_type, c.summary, c.status,
        c.status_category, a.person_key as assignee_key, c.parent_key, c.epic_key, c.labels,
        c.components, c.story_points, c.created_at, c.updated_at, c.resolved_at,
        s.source as _source
    from jira_copies c
    join jira_kept using (file_no, issue_no)
    join jira_sources s using (file_no)
    {_USER_JOIN.format(alias="a", user="c.assignee")}
    """

_CHANGELOG = f"""
    select i.issue_id, i.history_id, i.field,
        case when i.is_person then f.person_key else ptext(i.from_raw) end as from_value,
        case when i.is_person then null else ptext(i.from_string_raw) end as from_string,
        case when i.is_person then t.person_key else ptext(i.to_raw) end as to_value,
        case when i.is_person then null else ptext(i.to_string_raw) end as to_string,
        a.person_key as author_key, i.item_index, i.changed_at, s.source as _source
    from jira_items i
    join jira_kept using (file_no, issue_no)
    join jira_sources s using (file_no)
    left join jira_value_keys f on f.raw = i.from_raw and f.multiple = i.multiple
    left join jira_value_keys t on t.raw = i.to_raw and t.multiple = i.multiple
    {_USER_JOIN.format(alias="a", user="i.author")}
    where i.item_index >= 0
    """

# An issue on several pages: the copy most recently updated, the later page (then the
# later place on the page) on a tie, as `files._winners` keeps.
_KEPT = """
    create temp table jira_kept as
    select file_no, issue_no from jira_copies
    where issue_no > 0
    qualify row_number() over (partition by issue_id
        order by updated_at desc nulls last, file_no desc, issue_no desc) = 1
    """

# What DuckDB raises for a file it cannot read as a page (bad JSON or gzip, a value of
# another shape than the struct, an unknown encoding).
_UNREADABLE = (duckdb.InvalidInputException, duckdb.IOException, duckdb.ConversionException)


# Pages per `read_json`: DuckDB holds one chunk's JSON leaves at a time, so the memory
# the read needs grows with the chunk, not with the export. Measured at scale m (14,210
# pages, the whole read): 1,000 pages under 2GB took 303 CPU-s and peaked at 4.0 GB,
# 3,000 under 3GB 259 CPU-s (158 s wall) and 4.2 GB, one read of every page 242 CPU-s
# (149 s wall) and 9.6 GB.
CHUNK_PAGES = 3000

# What DuckDB may hold in memory before it evicts or spills to the scratch folder.
_MEMORY_LIMIT = "3GB"


def _connect(scratch: Path) -> duckdb.DuckDBPyConnection:
    # A database file of our own rather than ":memory:": the gathered copies and items
    # are stored compressed (a tenth of their in-memory size) and evicted under the
    # memory limit instead of held whole; temporary tables spill beside it.
    con = duckdb.connect(
        str(scratch / "pages.duckdb"),
        config={
            "temp_directory": str(scratch),
            "preserve_insertion_order": False,
            "memory_limit": _MEMORY_LIMIT,
        },
    )
    con.execute("set enable_progress_bar = false")
    return con


# Columns only the per-chunk checks need: not stored, as storing costs compression time.
_CHECK_ONLY = {"jira_copies": "no_issues, unsure", "jira_items": "unsure"}


def _append(con: duckdb.DuckDBPyConnection, chunk: str, table: str, first: bool) -> None:
    """Move a chunk's rows into the (stored, compressed) table gathering every chunk's."""
    rows = f"select * exclude ({_CHECK_ONLY[table]}) from {chunk}"
    if first:
        con.execute(f"create table {table} as {rows}")
    else:
        con.execute(f"insert into {table} {rows}")
    con.execute(f"drop table {chunk}")


def _read_chunk(
    con: duckdb.DuckDBPyConnection,
    names: list[str],
    fields: FieldMap,
    fields_type: str,
    person: dict[str, list[str]],
) -> bool:
    """Copies and items of the pages `names` into the chunk tables; False to decline."""
    try:
        con.execute(_raw_sql(fields, fields_type), {"paths": names})
    except _UNREADABLE:
        return False
    con.execute(_COPIES)
    if not _all_readable(con, len(names)):
        return False
    con.execute(_ITEMS, person)
    con.execute("drop table jira_raw")
    (unsure,) = con.execute(
        "select coalesce(bool_or(unsure), false) from jira_chunk_items"
    ).fetchone()
    return not unsure


def _result_rows(
    con: duckdb.DuckDBPyConnection, sql: str, table: RawTable, spill_dir: Path | None
) -> RawRows:
    # Streamed batch by batch rather than materialised by DuckDB first and then copied.
    reader = con.sql(sql).to_arrow_reader(1 << 17)
    if spill_dir is not None:
        spool = TableSpool(spill_dir, table.name, table.schema)
        spool.write_all(reader)
        return spool.finish()
    return pa.Table.from_batches(list(reader), reader.schema).cast(table.schema)


def _read(
    con: duckdb.DuckDBPyConnection,
    paths: Sequence[Path],
    sources_dir: Path,
    fields: FieldMap,
    people: DeferredPeople,
    chunk_pages: int,
    spill_dir: Path | None,
) -> dict[str, RawRows] | None:
    fields_type = _fields_type(fields)
    if fields_type is None:
        return None
    for macro in _macros():
        con.execute(macro)
    names = [str(p) for p in paths]
    con.register(
        "jira_sources",
        pa.table(
            {
                "filename": pa.array(names, pa.string()),
                "file_no": pa.array(range(len(paths)), pa.int64()),
                "source": pa.array([relative_name(p, sources_dir) for p in paths], pa.string()),
            }
        ),
    )
    person = {"single": sorted(fields.person_fields), "multi": sorted(fields.multi_person_fields)}
    for start in range(0, len(names), chunk_pages):
        if not _read_chunk(con, names[start : start + chunk_pages], fields, fields_type, person):
            return None
        _append(con, "jira_chunk_copies", "jira_copies", start == 0)
        _append(con, "jira_chunk_items", "jira_items", start == 0)
    con.execute(_KEPT)
    users = _learn_people(con, people)
    if users is None:
        return None
    _register_people(con, people, users)
    return {
        table.name: _result_rows(con, sql, table, spill_dir)
        for table, sql in ((schemas.JIRA_ISSUES, _ISSUES), (schemas.JIRA_CHANGELOG, _CHANGELOG))
    }


def read_pages_duckdb(
    paths: Sequence[Path],
    sources_dir: Path,
    fields: FieldMap,
    people: DeferredPeople,
    chunk_pages: int = CHUNK_PAGES,
    spill_dir: Path | None = None,
) -> dict[str, RawRows] | None:
    """`jira__issues` and `jira__changelog` from issue page files, read in DuckDB.

    The same tables `files.read_pages_learning` makes from the pages in the order
    given, with `people` having learned every e-mail the pages show. None when this
    path cannot be sure to match: read the pages in Python then (it raises the precise
    error, if there is one). Pages are parsed `chunk_pages` at a time; the result does
    not depend on it (which copy of a repeated issue wins and who has which e-mail are
    settled over every chunk). With `spill_dir` the two tables are written there
    (`SpilledTable`s, connectors/spilled.py) instead of returned in memory.
    """
    if not paths:
        return None
    # The strict-JSON scan runs beside DuckDB in a child process (a scan thread holding
    # this process's GIL slowed DuckDB's read more than twofold).
    with StrictJsonCheck(paths) as strict:
        scratch = Path(tempfile.mkdtemp(prefix="jira-pages-"))
        try:
            with _connect(scratch) as con:
                tables = _read(con, paths, sources_dir, fields, people, chunk_pages, spill_dir)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return tables if tables is not None and strict.result() else None
