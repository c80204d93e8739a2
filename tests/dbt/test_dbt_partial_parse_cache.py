"""The refresh's dbt reuses its own partial-parse file, and a bad one only costs a parse.

dbt rejects a `partial_parse.msgpack` written for another warehouse path ("profile has
changed"), which is what every refresh used to get from `dbt_project/target/`. The file
kept per data folder (orchestration/defs/dbt/partial_parse.py) is accepted by the next
dbt run on the same warehouse; a corrupt one makes dbt parse everything and still work.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dbt_runner import DbtWarehouse, run_dbt

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
    # The refresh's own setting: the absolute warehouse path, no session parse reused.
    result = run_dbt(["parse", "--log-level-file", "debug"], warehouse, work_dir, reuse_parse=False)
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


def _project_nodes(manifest_path: Path) -> dict[str, object]:
    """What parsing made of the project: every node's code, config, inputs and relation."""
    manifest = json.loads(manifest_path.read_text())
    fields = ("checksum", "raw_code", "config", "depends_on", "relation_name", "fqn", "columns")
    nodes = {
        kind: {
            unique_id: {field: node.get(field) for field in fields}
            for unique_id, node in manifest[kind].items()
        }
        for kind in ("nodes", "sources", "unit_tests", "exposures")
    }
    nodes["macros"] = sorted(manifest["macros"])
    return nodes


def test_the_tests_reused_parse_is_the_full_parse(
    first_parse, dbt_warehouse: DbtWarehouse, tmp_path
):
    # The dbt tests' runs (dbt_runner.run_dbt, tests/dbt_parse_cache.py) reuse the
    # session's parse of a warehouse of the same name: it must be what a full parse makes.
    data_dir, _ = first_parse
    assert dbt_warehouse.path.name == "warehouse.duckdb"
    result = run_dbt(["parse"], tmp_path / "warehouse.duckdb", tmp_path)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    assert NOTHING_CHANGED in (tmp_path / "logs" / "dbt.log").read_text()
    full = _project_nodes(data_dir / "run_1" / "target" / "manifest.json")
    assert _project_nodes(tmp_path / "target" / "manifest.json") == full
    assert len(full["nodes"]) > 200
