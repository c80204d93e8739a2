"""Incremental file landing: a second landing reads only new or changed export files, and
the raw tables equal a from-scratch landing of the final folder, row for row."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest
from dagster import materialize

from connectors.sources import source
from orchestration.defs.sources.assets import build_source_assets
from orchestration.settings import PROJECT_ROOT, get_settings
from productops.bench.day_append import append_one_day

SOURCES = ("jira", "hr", "analytics", "roadmap")
TABLES = {
    "jira__issues": "issue_id",
    "jira__changelog": "issue_id, history_id, item_index",
    "hr__employees": "employee_key",
    "analytics__events": "event_id",
    "roadmap__ideas": "idea_id",
    "roadmap__history": "audit_id, field",
}


def _land(data_dir: Path, sources_dir: Path, monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    monkeypatch.setenv("PRODUCTOPS_DATA_DIR", str(data_dir))
    monkeypatch.setenv("PRODUCTOPS_SOURCES_DIR", str(sources_dir))
    monkeypatch.setenv("PRODUCTOPS_PSEUDONYM_KEY", "landing-tests")
    monkeypatch.delenv("PRODUCTOPS_FULL_REFRESH", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        result = materialize(
            [build_source_assets(source(name)) for name in SOURCES], raise_on_error=False
        )
    finally:
        get_settings.cache_clear()
    assert result.success


def _rows(data_dir: Path, table: str) -> list[tuple]:
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(
            f"SELECT * EXCLUDE (_loaded_at, _batch_id) FROM raw.{table} ORDER BY {TABLES[table]}"
        ).fetchall()


def _reads(data_dir: Path, source_name: str) -> list[tuple]:
    """(files_read, files_skipped) of every landing of `source_name`, oldest first."""
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(
            "SELECT r.files_read, r.files_skipped FROM meta.landing_reads AS r "
            "JOIN (SELECT DISTINCT source, batch_id, loaded_at FROM meta.raw_loads) AS l "
            "USING (source, batch_id) WHERE r.source = ? ORDER BY l.loaded_at",
            [source_name],
        ).fetchall()


def _edit_page(path: Path, edit) -> None:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        page = json.load(handle)
    edit(page)
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump(page, handle)


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    shutil.copytree(PROJECT_ROOT / "seeds", folder)
    return folder


def _file_count(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())


def test_landing_incremental_reads_only_changed_files_and_equals_a_full_landing(
    tmp_path: Path, exports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    _land(data, exports, monkeypatch)
    jira_files = _file_count(exports / "jira")

    # Tomorrow's exports: a new Jira page, Amplitude file and Aha! pages, a rewritten HR
    # report; an issue edited on an old page; an old page touched but not changed.
    append_one_day(exports, date(2031, 1, 1))
    pages = sorted((exports / "jira" / "issues").glob("page_*.json.gz"))

    def rename_first_issue(page: dict) -> None:
        page["issues"][0]["fields"]["summary"] = "renamed after landing"

    _edit_page(pages[2], rename_first_issue)
    os.utime(pages[5], ns=(pages[5].stat().st_atime_ns, pages[5].stat().st_mtime_ns + 10**9))
    _land(data, exports, monkeypatch)

    # The new page and the edited one; the touched page has the same content.
    assert _reads(data, "jira") == [(jira_files, 0), (2, jira_files - 1)]
    # One new Amplitude file; the HR report (a snapshot) is read whole, once changed.
    amplitude = _file_count(exports / "analytics")
    assert _reads(data, "analytics")[-1] == (1, amplitude - 1)
    assert _reads(data, "hr")[-1] == (1, 0)

    scratch = tmp_path / "scratch"
    _land(scratch, exports, monkeypatch)
    for table in TABLES:
        assert _rows(data, table) == _rows(scratch, table), table
    summaries = {r[4] for r in _rows(data, "jira__issues")}
    assert "renamed after landing" in summaries


def test_landing_incremental_with_nothing_new_reads_nothing_and_keeps_freshness(
    tmp_path: Path, exports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    _land(data, exports, monkeypatch)
    _land(data, exports, monkeypatch)
    jira_files = _file_count(exports / "jira")
    assert _reads(data, "jira")[-1] == (0, jira_files)
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        exported = con.execute(
            "SELECT count(DISTINCT exported_at), count(*), min(row_count), max(row_count) "
            "FROM meta.raw_loads WHERE table_name = 'jira__issues'"
        ).fetchone()
    # Both loads carry the export's time; the second landed no rows.
    assert exported[0] == 1 and exported[1] == 2 and exported[2] == 0 and exported[3] > 0
    assert len(_rows(data, "jira__issues")) == exported[3]


def test_landing_full_refresh_and_a_changed_key_read_everything(
    tmp_path: Path, exports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    _land(data, exports, monkeypatch)
    jira_files = _file_count(exports / "jira")
    _land(data, exports, monkeypatch, PRODUCTOPS_FULL_REFRESH="1")
    assert _reads(data, "jira")[-1] == (jira_files, 0)
    # Another pseudonym key changes every person key: every file is read again.
    _land(data, exports, monkeypatch, PRODUCTOPS_PSEUDONYM_KEY="another-key")
    assert _reads(data, "jira")[-1] == (jira_files, 0)


def test_landing_incremental_gate_blocks_bad_rows_and_lands_nothing(
    tmp_path: Path, exports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    _land(data, exports, monkeypatch)
    append_one_day(exports, date(2031, 1, 1))
    newest = max((exports / "jira" / "issues").glob("page_*.json.gz"))

    def break_category(page: dict) -> None:
        page["issues"][0]["fields"]["status"]["statusCategory"]["key"] = "bogus"

    _edit_page(newest, break_category)
    before = len(_rows(data, "jira__issues"))
    monkeypatch.setenv("PRODUCTOPS_DATA_DIR", str(data))
    monkeypatch.setenv("PRODUCTOPS_SOURCES_DIR", str(exports))
    monkeypatch.setenv("PRODUCTOPS_PSEUDONYM_KEY", "landing-tests")
    get_settings.cache_clear()
    result = materialize([build_source_assets(source("jira"))], raise_on_error=False)
    get_settings.cache_clear()
    assert not result.success
    assert len(_rows(data, "jira__issues")) == before
    # The refused page is not marked landed: once fixed, the next landing reads it.
    _edit_page(
        newest,
        lambda page: page["issues"][0]["fields"]["status"].update(statusCategory={"key": "done"}),
    )
    _land(data, exports, monkeypatch)
    assert _reads(data, "jira")[-1][0] == 1
    assert len(_rows(data, "jira__issues")) > before
