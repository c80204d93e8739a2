"""Bad exports through the landing asset: the refresh stops naming the file, and what an
earlier refresh landed stays exactly as it was (same rows, same totals, same batch)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from dagster import materialize
from fault_inputs import CsvFile, copy_sources, gzip_truncated

from connectors.sources import source
from orchestration.defs.sources.assets import build_source_assets
from orchestration.settings import Settings, get_settings

AMPLITUDE = "analytics/amplitude/events_2026-01.json.gz"


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """Settings on a temporary data folder and a copy of the demo's finance and analytics."""
    sources_dir = copy_sources(tmp_path / "exports", "finance")
    copy_sources(sources_dir, "analytics", only=[AMPLITUDE])
    monkeypatch.setenv("PRODUCTOPS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PRODUCTOPS_SOURCES_DIR", str(sources_dir))
    monkeypatch.setenv("PRODUCTOPS_PSEUDONYM_KEY", "fault-suite")
    monkeypatch.delenv("PRODUCTOPS_CATALOG", raising=False)
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def _land(name: str) -> bool:
    result = materialize([build_source_assets(source(name))], raise_on_error=False)
    return result.success


def _error_text(name: str) -> str:
    result = materialize([build_source_assets(source(name))], raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    return str(failure.event_specific_data.error.to_string())


def _snapshot(settings: Settings, table: str, amount: str | None) -> tuple:
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        total = f"round(sum({amount}), 2)" if amount else "NULL"
        return con.execute(
            f"SELECT count(*), {total}, min(_batch_id), max(_batch_id) FROM raw.{table}"
        ).fetchone()
    finally:
        con.close()


def _semicolons(path: Path) -> None:
    CsvFile.load(path).write(path, delimiter=";")


def _header_only(path: Path) -> None:
    path.write_text(path.read_text().splitlines()[0] + "\n")


def _latin1_bom(path: Path) -> None:
    export = CsvFile.load(path)
    export.set(5, "Memo", "Dépenses")
    export.write(path, encoding="latin-1", bom=b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (_semicolons, "finance/gl.csv, line 1, column 'Date': expected comma-separated"),
        (_latin1_bom, "finance/gl.csv, line 7, column 'Memo': expected UTF-8"),
        (_header_only, "row_count_vs_previous"),
    ],
    ids=["semicolons", "latin1-behind-bom", "header-only"],
)
def test_a_bad_ledger_leaves_the_earlier_load_untouched(
    settings: Settings, damage: Callable[[Path], None], words: str
) -> None:
    assert _land("finance")
    before = _snapshot(settings, "finance__gl_lines", "amount")
    assert before[0] == 1375 and before[2] == before[3]

    damage(settings.sources_dir / "finance/gl.csv")

    assert words in _error_text("finance")
    assert _snapshot(settings, "finance__gl_lines", "amount") == before
    # The whole source stops: the good revenue file is not half-landed either.
    assert _snapshot(settings, "finance__revenue", "amount")[2] == before[2]


def test_a_cut_analytics_download_leaves_the_earlier_events(settings: Settings) -> None:
    assert _land("analytics")
    before = _snapshot(settings, "analytics__events", None)

    gzip_truncated(settings.sources_dir / AMPLITUDE)

    assert f"{AMPLITUDE}" in _error_text("analytics")
    assert _snapshot(settings, "analytics__events", None) == before


def test_an_excel_windows_1252_ledger_lands_the_same_total(settings: Settings) -> None:
    assert _land("finance")
    before = _snapshot(settings, "finance__gl_lines", "amount")
    path = settings.sources_dir / "finance/gl.csv"
    CsvFile.load(path).write(path, encoding="cp1252")

    assert _land("finance")
    after = _snapshot(settings, "finance__gl_lines", "amount")

    assert after[:2] == before[:2] == (1375, before[1])
    assert after[2] != before[2]  # a new batch replaced the rows, same numbers
