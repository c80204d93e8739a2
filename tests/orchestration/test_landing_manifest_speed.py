"""The file manifest's fast paths give exactly what the plain ones gave.

`RelativeNames` (one resolve per folder) must name every file as `relative_name` (one
resolve per file) does, symlinks and files outside the sources folder included, and
`record_files` (one set-based insert) must store the rows the row-by-row insert stored.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from connectors.source_files import relative_name
from orchestration.defs.sources.file_manifest import (
    FILES_TABLE,
    READS_TABLE,
    LandedFile,
    ReadPlan,
    RelativeNames,
    ensure_manifest_tables,
    fingerprint,
    landed_files,
    record_files,
    source_files,
)


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A sources folder with nested exports, a symlinked file and a symlinked folder."""
    root = tmp_path / "exports"
    (root / "jira" / "issues").mkdir(parents=True)
    for number in range(1, 4):
        (root / "jira" / "issues" / f"page_{number:04d}.json").write_text("{}")
    (root / "hr").mkdir()
    (root / "hr" / "headcount.csv").write_text("a\n")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "pages").mkdir(parents=True)
    (elsewhere / "pages" / "page_0009.json").write_text("{}")
    (elsewhere / "gl.csv").write_text("b\n")
    # A linked file resolves outside the folder; a linked folder's files as well.
    (root / "hr" / "linked.csv").symlink_to(elsewhere / "gl.csv")
    (root / "jira" / "linked_pages").symlink_to(elsewhere / "pages")
    # A link inside the folder to another of its files resolves to that file.
    (root / "hr" / "alias.csv").symlink_to(root / "hr" / "headcount.csv")
    return root


def test_manifest_fast_names_equal_relative_name_for_every_kind_of_path(
    sources: Path, tmp_path: Path
) -> None:
    paths = sorted(sources.rglob("*"))
    paths += [
        tmp_path / "elsewhere" / "gl.csv",  # outside the sources folder
        sources / "jira" / "missing.json",  # not (yet) there
        sources / "jira" / ".." / "hr" / "headcount.csv",
        sources / "jira" / "linked_pages" / "page_0009.json",
        sources,
    ]
    names = RelativeNames(sources)
    assert [names(p) for p in paths] == [relative_name(p, sources) for p in paths]
    # Spelled-out answers, so both cannot be wrong the same way.
    assert names(sources / "jira" / "issues" / "page_0002.json") == "jira/issues/page_0002.json"
    assert names(sources / "hr" / "alias.csv") == "hr/headcount.csv"
    linked = sources / "hr" / "linked.csv"
    assert names(linked) == linked.as_posix()
    # A sources folder reached through a link names files as the folder itself does.
    via_link = tmp_path / "via_link"
    via_link.symlink_to(sources)
    linked_paths = sorted(via_link.rglob("*"))
    assert [RelativeNames(via_link)(p) for p in linked_paths] == [
        relative_name(p, via_link) for p in linked_paths
    ]
    assert RelativeNames(via_link)(via_link / "hr" / "headcount.csv") == "hr/headcount.csv"


def test_manifest_fast_names_follow_a_relative_sources_folder(
    sources: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(sources.parent)
    relative = Path("exports")
    paths = [relative / "hr" / "headcount.csv", sources / "jira" / "issues" / "page_0001.json"]
    names = RelativeNames(relative)
    assert [names(p) for p in paths] == ["hr/headcount.csv", "jira/issues/page_0001.json"]


def _row_by_row(con: duckdb.DuckDBPyConnection, plan: ReadPlan, batch_id: str) -> None:
    # The insert record_files made before it went set-based: the reference answer.
    con.execute(f"DELETE FROM {FILES_TABLE} WHERE source = ?", [plan.source])
    con.executemany(
        f"INSERT INTO {FILES_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            [plan.source, f.path, f.size, f.mtime_ns, f.sha256, plan.context, batch_id]
            for f in plan.files.values()
        ],
    )


def _manifest(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(f"SELECT * FROM {FILES_TABLE} ORDER BY source, path").fetchall()


def test_manifest_record_files_stores_what_the_row_by_row_insert_stored(sources: Path) -> None:
    files = fingerprint(source_files("jira", sources, None), sources, {})
    files["jira/issues/page_0003.json"] = LandedFile(
        "jira/issues/page_0003.json", 2**40, 2**62, "f" * 64
    )
    plan = ReadPlan("jira", "ctx-1", files, frozenset({"jira/issues/page_0003.json"}), "1 new")
    hr_files = fingerprint(source_files("hr", sources, None), sources, {})
    other = ReadPlan("hr", "ctx-1", hr_files, None, "x")
    answers = []
    for store in (_row_by_row, record_files):
        with duckdb.connect() as con:
            ensure_manifest_tables(con)
            record_files(con, other, "batch-0")
            # A previous jira manifest with a file since gone: replaced, not kept.
            was = {"jira/gone.json": LandedFile("jira/gone.json", 1, 1, "0")}
            gone = ReadPlan("jira", "ctx-0", was, None, "x")
            record_files(con, gone, "batch-0")
            store(con, plan, "batch-1")
            answers.append(_manifest(con))
            if store is record_files:
                assert landed_files(con, "jira") == ("ctx-1", files)
                reads = con.execute(
                    f"SELECT files_read, files_skipped, reason FROM {READS_TABLE} "
                    "WHERE batch_id = 'batch-1'"
                ).fetchall()
                assert reads == [(0, 3, "1 new")]
    assert answers[0] == answers[1]
    jira = [row for row in answers[1] if row[0] == "jira"]
    assert [row[1] for row in jira] == sorted(files)
    assert (
        "jira",
        "jira/issues/page_0003.json",
        2**40,
        2**62,
        "f" * 64,
        "ctx-1",
        "batch-1",
    ) in jira
    assert {row[0] for row in answers[1]} == {"hr", "jira"}


def test_manifest_record_files_of_no_files_clears_the_source(sources: Path) -> None:
    with duckdb.connect() as con:
        record_files(con, ReadPlan("okrs", "c", {}, None, "none"), "b")
        files = fingerprint(source_files("hr", sources, None), sources, {})
        record_files(con, ReadPlan("hr", "c", files, None, "all"), "b")
        record_files(con, ReadPlan("hr", "c", {}, None, "none"), "b2")
        assert _manifest(con) == []
        assert landed_files(con, "hr") == (None, {})
