"""A malformed export fails its source's landing and leaves what was loaded untouched.

The finance source is landed through its real Dagster asset from a copy of the demo
company's exports; then the ledger gets a line in an unknown currency and the asset runs
again: the run fails naming the file, line and column, and every table of the source
still holds the good load, batch id included.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from dagster import materialize
from demo_build import SEEDS_DIR
from warehouse_reads import query

from connectors.errors import SourceFileError
from connectors.sources import source
from orchestration.defs.sources.assets import build_source_assets
from orchestration.settings import get_settings

TABLES = ("finance__gl_lines", "finance__revenue", "finance__fx_rates")


def _state(warehouse: Path) -> dict[str, list[tuple]]:
    return {
        table: query(
            warehouse,
            f"select count(*), count(distinct _batch_id), min(_batch_id) from raw.{table}",
        )
        for table in TABLES
    }


@pytest.fixture
def exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    sources = tmp_path / "exports"
    shutil.copytree(SEEDS_DIR / "finance", sources / "finance")
    shutil.copy(SEEDS_DIR / "catalog.yml", sources / "catalog.yml")
    monkeypatch.setenv("PRODUCTOPS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PRODUCTOPS_SOURCES_DIR", str(sources))
    monkeypatch.setenv("PRODUCTOPS_PSEUDONYM_KEY", "rollback-test")
    monkeypatch.delenv("PRODUCTOPS_CATALOG", raising=False)
    get_settings.cache_clear()
    return sources


def test_a_bad_ledger_line_fails_the_load_and_keeps_the_good_rows(exports: Path) -> None:
    finance = build_source_assets(source("finance"))
    assert materialize([finance]).success
    warehouse = get_settings().warehouse_path
    good = _state(warehouse)
    gl_lines = (exports / "finance" / "gl.csv").read_text(encoding="utf-8").splitlines()
    assert good["finance__gl_lines"][0][0] == len(gl_lines) - 1 > 0

    # Good lines first, then one in a currency that does not exist.
    bad_line = gl_lines[1].rsplit(",", 2)
    bad_line[1] = "XXY"
    gl_lines.append(",".join(bad_line))
    (exports / "finance" / "gl.csv").write_text("\n".join(gl_lines) + "\n", encoding="utf-8")
    with pytest.raises(SourceFileError) as caught:
        materialize([finance])
    assert (caught.value.path, caught.value.line, caught.value.column) == (
        "finance/gl.csv",
        len(gl_lines),
        "Currency",
    )
    assert _state(warehouse) == good
