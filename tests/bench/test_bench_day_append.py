"""One appended day must reach the warehouse through the real readers, in every source,
and must never touch the generated files the working copy links to."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from connectors.pseudonymise import make_pseudonymiser
from connectors.registry import ReadContext
from connectors.sources import SOURCES
from orchestration.settings import PROJECT_ROOT
from productops.bench.day_append import append_one_day
from productops.bench.scratch import COMPLETE_MARKER, fresh_working_copy, scratch_paths

SEEDS = PROJECT_ROOT / "seeds"
NEW_DAY = date(2026, 11, 15)


def _rows(sources_dir: Path) -> dict[str, int]:
    context = ReadContext(sources_dir=sources_dir, pseudonymise=make_pseudonymiser(b"k"))
    return {
        table: rows.num_rows
        for source in SOURCES
        if source.name != "catalog"
        for table, rows in source.read(context).items()
    }


@pytest.fixture(scope="module")
def appended(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    paths = scratch_paths("demo", tmp_path_factory.mktemp("scratch"))
    shutil.copytree(SEEDS, paths.generated)
    (paths.generated / COMPLETE_MARKER).write_text("{}")
    fresh_working_copy(paths)
    return paths.root, append_one_day(paths.sources, NEW_DAY)


def test_every_source_gets_new_records_that_its_reader_lands(appended, truth) -> None:
    root, counts = appended
    rows = _rows(scratch_paths("demo", root.parent).sources)
    before = truth["row_counts"]
    # The demo's 21,761 issues fill 217 pages of 100; the last page, cloned, holds 61.
    assert counts["jira"] == 61
    assert rows["jira__issues"] == before["jira__issues"] + 61
    assert rows["jira__changelog"] > before["jira__changelog"]
    assert counts["hr"] == 1
    assert rows["hr__employees"] == before["hr__employees"] + 1
    assert rows["analytics__events"] == before["analytics__events"] + counts["analytics"]
    # A day of Amplitude is a thirtieth of the newest month's file.
    assert 100 < counts["analytics"] < before["analytics__events"] / 12
    added_finance = (rows["finance__gl_lines"] - before["finance__gl_lines"]) + (
        rows["finance__revenue"] - before["finance__revenue"]
    )
    assert rows["finance__revenue"] == before["finance__revenue"] + 3
    assert added_finance == counts["finance"]
    assert rows["roadmap__ideas"] == before["roadmap__ideas"] + 3
    assert rows["roadmap__history"] == before["roadmap__history"] + 3
    assert counts["roadmap"] == 6
    assert rows["okr__checkins"] == before["okr__checkins"] + counts["okrs"]
    assert counts["okrs"] > 0


def test_new_records_are_dated_on_the_new_day(appended) -> None:
    root, _ = appended
    sources = scratch_paths("demo", root.parent).sources
    context = ReadContext(sources_dir=sources, pseudonymise=make_pseudonymiser(b"k"))
    by_name = {source.name: source for source in SOURCES}
    issues = by_name["jira"].read(context)["jira__issues"].to_pylist()
    new = [row for row in issues if row["issue_id"].startswith("9000000")]
    assert len(new) == 61
    assert max(row["updated_at"].date() for row in new) == NEW_DAY
    assert max(row["updated_at"].date() for row in issues if row not in new) < NEW_DAY
    hires = by_name["hr"].read(context)["hr__employees"].to_pylist()
    assert max(row["hired_on"] for row in hires) == NEW_DAY


def test_the_generated_files_stay_as_generated(appended) -> None:
    root, _ = appended
    generated = scratch_paths("demo", root.parent).generated
    for relative in (
        "hr/headcount.csv",
        "finance/gl.csv",
        "finance/revenue.csv",
        "okrs/checkins.csv",
    ):
        assert (generated / relative).read_bytes() == (SEEDS / relative).read_bytes(), relative
    assert sorted(p.name for p in (generated / "jira" / "issues").iterdir()) == sorted(
        p.name for p in (SEEDS / "jira" / "issues").iterdir()
    )
