"""The DuckDB reader of Jira issue pages makes exactly the Python reader's tables.

Each input is landed both ways: `read_pages_duckdb` (which must not decline it) and
`read_pages_learning` over the same files. The tables are compared row for row, sorted
by their keys, as are the e-mail keys each learned for the incremental cache. Inputs
the fast path cannot be sure of must be declined, so `read_jira_folder` gives the
Python path's rows, or its exact `SourceFileError`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from jira_fast_path_pages import FIELDS, known_people, pages
from jira_fixture_payloads import expected_counts, load_payloads

from connectors import schemas
from connectors.errors import SourceFileError
from connectors.jira import read_jira_folder
from connectors.jira.fields import FieldMap, field_map
from connectors.jira.files import DeferredPeople, read_pages_learning
from connectors.jira.pages_duckdb import read_pages_duckdb
from connectors.pseudonymise import Pseudonymiser, person_key
from connectors.source_files import load_json, page_files, relative_name
from connectors.spilled import SpilledTable

PROJECT_ROOT = Path(__file__).resolve().parents[2]
KEYS = {
    schemas.JIRA_ISSUES.name: ["issue_id"],
    schemas.JIRA_CHANGELOG.name: ["issue_id", "history_id", "item_index"],
}

Writer = Callable[[Path, Any], Path]


def _python_pages(paths: list[Path], sources_dir: Path) -> Iterator[tuple[str, Any]]:
    for path in paths:
        source = relative_name(path, sources_dir)
        yield source, load_json(path, source)


class Landed(dict):
    """Both readers' tables; the repr stays short because real payloads hold names."""

    def __repr__(self) -> str:
        return "<tables landed by both Jira readers>"


def _land_both_ways(
    sources_dir: Path,
    fields: FieldMap,
    pseudonymise: Pseudonymiser,
    known: dict[str, str] | None = None,
) -> Landed:
    paths = page_files(sources_dir / "jira" / "issues", "page")
    people = DeferredPeople(pseudonymise, known or {})
    fast = read_pages_duckdb(paths, sources_dir, fields, people)
    assert fast is not None, "the fast path declined input it should read"
    slow, slow_learned = read_pages_learning(
        _python_pages(paths, sources_dir), fields, pseudonymise, known
    )
    return Landed(fast=fast, slow=slow, fast_learned=people.learned(), slow_learned=slow_learned)


def _differences(fast: pa.Table, slow: pa.Table, keys: list[str]) -> list[str]:
    """Columns whose sorted values differ: names and counts only, never values."""
    if fast.schema != slow.schema:
        return [f"schema: {fast.schema} != {slow.schema}"]
    if fast.num_rows != slow.num_rows:
        return [f"rows: {fast.num_rows} != {slow.num_rows}"]
    order = [(k, "ascending") for k in keys]
    fast, slow = fast.sort_by(order), slow.sort_by(order)
    found = []
    for name in fast.column_names:
        a, b = fast.column(name).to_pylist(), slow.column(name).to_pylist()
        wrong = sum(x != y for x, y in zip(a, b, strict=True))
        if wrong:
            found.append(f"{name}: {wrong} rows differ")
    return found


def _assert_same(landed: Landed) -> None:
    for name, keys in KEYS.items():
        assert _differences(landed["fast"][name], landed["slow"][name], keys) == [], name
    assert landed["fast_learned"] == landed["slow_learned"]


def _write_pages(root: Path, write_json: Writer, payloads: list[Any]) -> Path:
    for number, payload in enumerate(payloads, start=1):
        suffix = ".json.gz" if number % 2 else ".json"
        write_json(root / "jira" / "issues" / f"page_{number:04d}{suffix}", payload)
    return root


# --- equal tables ---------------------------------------------------------------------


def test_the_demo_company_lands_the_same_both_ways(
    pseudonymise: Pseudonymiser, truth: dict[str, Any]
) -> None:
    seeds = PROJECT_ROOT / "seeds"
    fields = field_map(load_json(seeds / "jira" / "fields.json", "jira/fields.json"))
    landed = _land_both_ways(seeds, fields, pseudonymise)
    _assert_same(landed)
    for name in KEYS:
        assert landed["fast"][name].num_rows == truth["row_counts"][name]  # 21,761 and 91,873
    assert len(landed["fast_learned"]) > 0


def test_every_page_shape_lands_the_same_both_ways(
    tmp_path: Path, write_json: Writer, pseudonymise: Pseudonymiser
) -> None:
    root = _write_pages(tmp_path, write_json, pages())
    landed = _land_both_ways(root, field_map(FIELDS), pseudonymise)
    _assert_same(landed)
    issues = {r["issue_id"]: r for r in landed["fast"]["jira__issues"].to_pylist()}
    # Hand-checked facts of the shapes, so equal tables cannot both be wrong alike.
    assert sorted(issues) == ["1", "2", "3", "4", "5", "6", "7"]
    assert issues["1"]["summary"] == "Padded"
    assert (issues["1"]["labels"], issues["1"]["components"]) == (
        "customer-commitment,api",
        "Checkout",
    )
    assert issues["2"]["epic_key"] == "PAY-1"  # parent is a localised Epic (hierarchy 1)
    assert issues["2"]["story_points"] == 3.5  # "Story point estimate", sent as text
    assert issues["2"]["created_at"] == datetime(2025, 1, 7, 9, 30, 0, 500000)
    assert issues["2"]["resolved_at"] == datetime(2025, 1, 9, 8, 0)
    assert issues["3"]["summary"] == "newest copy"  # the copy on page 3 is the newest
    assert issues["4"]["epic_key"] == "OPS-1"  # Epic Link as an object
    assert issues["4"]["story_points"] is None  # -2 is "not estimated", 8 is not looked at
    assert (issues["4"]["project_key"], issues["5"]["project_key"]) == ("OPS", "NODASH")
    assert issues["5"]["epic_key"] == "OPS-2"  # the Agile API's epic object
    assert issues["7"]["summary"] == "tie, page 3"
    assert issues["4"]["assignee_key"] == person_key(pseudonymise, "jdoe@example.com")
    changelog = landed["fast"]["jira__changelog"].to_pylist()
    assert len(changelog) == 8  # issue 3's superseded copies bring none of theirs
    approvers = next(r for r in changelog if r["field"] == "Approvers" and r["history_id"] == "500")
    lin = person_key(pseudonymise, "lin@example.com")  # e-mail only on page 3
    assert approvers["to_value"] == f"{pseudonymise('jira:acc-grace')},{lin}"


def test_the_incremental_people_cache_is_used_the_same_way(
    tmp_path: Path, write_json: Writer, pseudonymise: Pseudonymiser
) -> None:
    root = _write_pages(tmp_path, write_json, pages()[:1])
    known = known_people(pseudonymise, person_key)
    landed = _land_both_ways(root, field_map(FIELDS), pseudonymise, known)
    _assert_same(landed)
    issues = {r["issue_id"]: r for r in landed["fast"]["jira__issues"].to_pylist()}
    assert issues["3"]["assignee_key"] == person_key(pseudonymise, "cached@example.com")


def test_real_jira_cloud_payloads_land_the_same_both_ways(
    tmp_path: Path, write_json: Writer, pseudonymise: Pseudonymiser, real_fixtures: Path
) -> None:
    payloads = load_payloads()
    issues = payloads.issues
    half = len(issues) // 2
    data_center = {"startAt": 0, "maxResults": half, "total": len(issues), "issues": issues[:half]}
    cloud = {"issues": issues[half:], "isLast": True}
    root = _write_pages(tmp_path, write_json, [data_center, cloud])
    landed = _land_both_ways(root, field_map(payloads.fields), pseudonymise)
    _assert_same(landed)
    counts = expected_counts(issues)
    assert landed["fast"]["jira__issues"].num_rows == counts["issues"] == 33
    assert landed["fast"]["jira__changelog"].num_rows == counts["changelog_items"]


# --- declined input: the Python path's rows or its exact error ------------------------


def _bad_issue(**changes: Any) -> dict[str, Any]:
    issue = pages()[0]["issues"][1]
    for path, value in changes.items():
        target = issue
        parts = path.split("__")
        for part in parts[:-1]:
            target = target[int(part)] if isinstance(target, list) else target[part]
        target[parts[-1]] = value
    return {"issues": [issue]}


MALFORMED: dict[str, str | Any] = {
    "truncated JSON": '{"issues": [\n  {"id": "1",\n}',
    "trailing garbage": '{"issues": []} {"issues": []}',
    # DuckDB's parser accepts these two; Python's refuses them, and so must landing.
    "a trailing comma": '{"issues": [{"id": "1", "key": "PAY-1",}]}',
    "a lowercase nan": '{"issues": [{"id": "1", "fields": {"customfield_10777": nan}}]}',
    "a list, not a page": [{"issues": []}],
    "no issues list": {"values": []},
    "issues not a list": {"issues": {"id": "1"}},
    "an issue that is not an object": {"issues": [1]},
    "an issue without id": _bad_issue(id=None),
    "a bad created time": _bad_issue(fields__created="yesterday"),
    "a bad updated time": _bad_issue(fields__updated="2025-02-30T00:00:00Z"),
    "story points that are not a number": _bad_issue(fields__customfield_10777="lots"),
    "a history without id": _bad_issue(changelog__histories__0__id=" "),
    "a bad history time": _bad_issue(changelog__histories__1__created="soon"),
    "an empty file": "",
}


def _write_raw(path: Path, content: str | Any, write_json: Writer, write_text: Any) -> None:
    if isinstance(content, str):
        write_text(path, content)
    else:
        write_json(path, content)


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_pages_raise_the_python_readers_error(
    name: str, tmp_path: Path, write_json: Writer, write_text: Any, pseudonymise: Pseudonymiser
) -> None:
    write_json(tmp_path / "jira" / "fields.json", FIELDS)
    page = tmp_path / "jira" / "issues" / "page_0001.json.gz"
    _write_raw(page, MALFORMED[name], write_json, write_text)
    people = DeferredPeople(pseudonymise, {})
    assert read_pages_duckdb([page], tmp_path, field_map(FIELDS), people) is None
    with pytest.raises(SourceFileError) as python_error:
        read_pages_learning(_python_pages([page], tmp_path), field_map(FIELDS), pseudonymise)
    with pytest.raises(SourceFileError) as landed_error:
        read_jira_folder(tmp_path, pseudonymise)
    expected, got = python_error.value, landed_error.value
    assert (got.path, got.line, got.column, str(got)) == (
        expected.path,
        expected.line,
        expected.column,
        str(expected),
    )
    assert got.path == "jira/issues/page_0001.json.gz"


ODD_BUT_READABLE: dict[str, dict[str, Any]] = {
    "a summary that is a number": _bad_issue(fields__summary=5),
    "a label that is a number": _bad_issue(fields__labels=["a", 7]),
    "story points with a thousands separator": _bad_issue(fields__customfield_10777="1,234"),
    "a date without a time": _bad_issue(fields__resolutiondate="2025-01-09"),
    "an id that shows two e-mails": {
        "issues": [
            _bad_issue(fields__assignee={"accountId": "x", "emailAddress": "a@example.com"})[
                "issues"
            ][0],
            {
                **_bad_issue(fields__assignee={"accountId": "x", "emailAddress": "b@example.com"})[
                    "issues"
                ][0],
                "id": "99",
            },
        ]
    },
}


@pytest.mark.parametrize("name", sorted(ODD_BUT_READABLE))
def test_values_sql_cannot_mirror_are_read_by_python(
    name: str, tmp_path: Path, write_json: Writer, pseudonymise: Pseudonymiser
) -> None:
    write_json(tmp_path / "jira" / "fields.json", FIELDS)
    page = write_json(tmp_path / "jira" / "issues" / "page_0001.json", ODD_BUT_READABLE[name])
    people = DeferredPeople(pseudonymise, {})
    assert read_pages_duckdb([page], tmp_path, field_map(FIELDS), people) is None
    expected, _ = read_pages_learning(
        _python_pages([page], tmp_path), field_map(FIELDS), pseudonymise
    )
    landed = read_jira_folder(tmp_path, pseudonymise)
    for table, keys in KEYS.items():
        assert _differences(landed[table], expected[table], keys) == []
    assert landed["jira__issues"].num_rows >= 1


def test_the_fast_path_rows_are_what_read_jira_folder_lands(
    tmp_path: Path, write_json: Writer, pseudonymise: Pseudonymiser
) -> None:
    write_json(tmp_path / "jira" / "fields.json", FIELDS)
    root = _write_pages(tmp_path, write_json, pages())
    landed = _land_both_ways(root, field_map(FIELDS), pseudonymise)
    folder = read_jira_folder(root, pseudonymise)
    for table, keys in KEYS.items():
        assert _differences(folder[table], landed["fast"][table], keys) == []
    assert json.dumps(sorted(landed["fast_learned"])) == json.dumps(sorted(landed["slow_learned"]))


def test_custom_field_ids_with_quotes_are_read(
    tmp_path: Path, write_json: Writer, pseudonymise: Pseudonymiser
) -> None:
    odd_id = "customfield_1'\"0"
    fields = field_map([{"id": odd_id, "name": "Story Points", "schema": {"type": "number"}}])
    page = pages()[1]
    page["issues"][1]["fields"][odd_id] = 4
    root = _write_pages(tmp_path, write_json, [page])
    landed = _land_both_ways(root, fields, pseudonymise)
    _assert_same(landed)
    points = {r["issue_id"]: r["story_points"] for r in landed["fast"]["jira__issues"].to_pylist()}
    assert points["5"] == 4.0


# --- chunked reads: the same rows whatever the chunk size -----------------------------


@pytest.mark.parametrize("chunk_pages", [1, 2])
def test_pages_read_in_chunks_land_as_one_read(
    chunk_pages: int, tmp_path: Path, write_json: Writer, pseudonymise: Pseudonymiser
) -> None:
    # Page 1 holds a stale copy of issue 3 and uses acc-lin, whose e-mail shows only on
    # page 3; issue 7 ties on pages 2 and 3. With 1 or 2 pages per chunk the winning
    # copy and the e-mail are in another chunk than what they settle.
    root = _write_pages(tmp_path, write_json, pages())
    paths = page_files(root / "jira" / "issues", "page")
    fields = field_map(FIELDS)
    whole_people = DeferredPeople(pseudonymise, {})
    whole = read_pages_duckdb(paths, root, fields, whole_people, chunk_pages=len(paths))
    chunked_people = DeferredPeople(pseudonymise, {})
    chunked = read_pages_duckdb(paths, root, fields, chunked_people, chunk_pages=chunk_pages)
    assert whole is not None and chunked is not None
    slow, slow_learned = read_pages_learning(_python_pages(paths, root), fields, pseudonymise)
    for name, keys in KEYS.items():
        assert _differences(chunked[name], whole[name], keys) == [], name
        assert _differences(chunked[name], slow[name], keys) == [], name
    assert chunked_people.learned() == whole_people.learned() == slow_learned
    issues = {r["issue_id"]: r for r in chunked["jira__issues"].to_pylist()}
    assert issues["3"]["summary"] == "newest copy"
    assert issues["7"]["summary"] == "tie, page 3"
    assert len(chunked["jira__changelog"]) == 8
    approvers = next(
        r
        for r in chunked["jira__changelog"].to_pylist()
        if r["field"] == "Approvers" and r["history_id"] == "500"
    )
    lin = person_key(pseudonymise, "lin@example.com")
    assert approvers["to_value"] == f"{pseudonymise('jira:acc-grace')},{lin}"


def test_a_malformed_page_in_a_later_chunk_declines_the_whole_read(
    tmp_path: Path, write_json: Writer, write_text: Any, pseudonymise: Pseudonymiser
) -> None:
    root = _write_pages(tmp_path, write_json, pages())
    write_text(root / "jira" / "issues" / "page_0004.json", '{"issues": [\n  {"id": "1",\n}')
    paths = page_files(root / "jira" / "issues", "page")
    people = DeferredPeople(pseudonymise, {})
    assert read_pages_duckdb(paths, root, field_map(FIELDS), people, chunk_pages=2) is None
    with pytest.raises(SourceFileError) as landed_error:
        read_jira_folder(root, pseudonymise)
    assert landed_error.value.path == "jira/issues/page_0004.json"


def test_pages_spilled_to_files_are_the_same_rows(
    tmp_path: Path, write_json: Writer, pseudonymise: Pseudonymiser
) -> None:
    write_json(tmp_path / "jira" / "fields.json", FIELDS)
    root = _write_pages(tmp_path, write_json, pages())
    paths = page_files(root / "jira" / "issues", "page")
    fields = field_map(FIELDS)
    spill_dir = tmp_path / "spill"
    held = read_pages_duckdb(paths, root, fields, DeferredPeople(pseudonymise, {}), chunk_pages=2)
    spilled = read_pages_duckdb(
        paths, root, fields, DeferredPeople(pseudonymise, {}), chunk_pages=2, spill_dir=spill_dir
    )
    assert held is not None and spilled is not None

    for name, keys in KEYS.items():
        table = spilled[name]
        assert isinstance(table, SpilledTable) and table.schema == held[name].schema
        assert _differences(table.to_table(), held[name], keys) == []
        assert sorted(table.sources) == sorted(set(held[name].column("_source").to_pylist()))
    assert spilled[schemas.JIRA_CHANGELOG.name].num_rows == 8
    assert {p.name.split(".")[0] for p in spill_dir.iterdir()} == set(KEYS)
    # Through the folder reader too (the landing's path): the same tables.
    folder = read_jira_folder(root, pseudonymise, spill_dir=tmp_path / "spill-2")
    for name, keys in KEYS.items():
        assert _differences(folder[name].to_table(), held[name], keys) == []
