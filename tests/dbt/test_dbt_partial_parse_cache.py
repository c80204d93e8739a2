"""The refresh's dbt reuses its own partial-parse file, and a bad one only costs a parse.

dbt rejects a `partial_parse.msgpack` written for another warehouse path ("profile has
changed"), which is what every refresh used to get from `dbt_project/target/`. The file
kept per data folder (orchestration/defs/dbt/partial_parse.py) is accepted by the next
dbt run on the same warehouse; a corrupt one makes dbt parse everything and still work.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from dbt_runner import run_dbt

from orchestration.defs.dbt.partial_parse import (
    PARTIAL_PARSE_FILE_NAME,
    keep_partial_parse,
    partial_parse_cache_path,
    seed_partial_parse,
)

PROFILE_CHANGED = "Unable to do partial parsing because profile has changed"
FULL_PARSE = "Starting full parse"
NOTHING_CHANGED = "Partial parsing enabled, no changes found, skipping parsing"


def _parse(warehouse: Path, work_dir: Path) -> str:
    """`dbt parse` with target and logs in `work_dir`; its debug log."""
    result = run_dbt(["parse", "--log-level-file", "debug"], warehouse, work_dir)
    if result.returncode != 0:
        pytest.fail(f"dbt parse failed:\n{(result.stdout + result.stderr)[-4000:]}")
    return (work_dir / "logs" / "dbt.log").read_text()


@pytest.fixture(scope="module")
def first_parse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(data folder, its kept partial-parse file) after one full parse of its warehouse."""
    data_dir = tmp_path_factory.mktemp("partial_parse_data")
    work_dir = data_dir / "run_1"
    log = _parse(data_dir / "warehouse.duckdb", work_dir)
    assert FULL_PARSE in log
    cache = partial_parse_cache_path(data_dir)
    assert keep_partial_parse(work_dir / "target", cache)
    return data_dir, cache


def test_the_kept_file_lets_the_next_run_skip_parsing(first_parse):
    data_dir, cache = first_parse
    work_dir = data_dir / "run_2"
    assert seed_partial_parse(cache, work_dir / "target")
    log = _parse(data_dir / "warehouse.duckdb", work_dir)
    assert NOTHING_CHANGED in log
    assert FULL_PARSE not in log


def test_a_file_written_for_another_warehouse_is_rejected(first_parse, tmp_path):
    # what a refresh got before: the project's file, parsed against some other path
    _, cache = first_parse
    assert seed_partial_parse(cache, tmp_path / "target")
    log = _parse(tmp_path / "elsewhere.duckdb", tmp_path)
    assert PROFILE_CHANGED in log


def test_a_corrupt_kept_file_costs_a_full_parse_not_a_failure(first_parse, tmp_path):
    data_dir, _ = first_parse
    corrupt = tmp_path / "state" / PARTIAL_PARSE_FILE_NAME
    corrupt.parent.mkdir(parents=True)
    corrupt.write_bytes(b"\x00not a msgpack manifest")
    assert seed_partial_parse(corrupt, tmp_path / "target")
    log = _parse(data_dir / "warehouse.duckdb", tmp_path)
    assert NOTHING_CHANGED not in log
    assert (tmp_path / "target" / "manifest.json").is_file()


def test_nothing_is_seeded_or_kept_when_there_is_no_file(tmp_path):
    assert not seed_partial_parse(tmp_path / "missing.msgpack", tmp_path / "target")
    assert not (tmp_path / "target" / PARTIAL_PARSE_FILE_NAME).exists()
    assert not keep_partial_parse(tmp_path / "target", tmp_path / "cache.msgpack")
    assert not (tmp_path / "cache.msgpack").exists()
