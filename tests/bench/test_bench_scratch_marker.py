"""A generated scratch company is reused only if the same generator made it with the same sizes.

`generate` is replaced by a recorder, so these tests check the marker logic without
generating anything.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import productops.demo
from productops.bench.scratch import (
    COMPLETE_MARKER,
    ensure_generated,
    generation_marker,
    scratch_paths,
)

SEED = 42


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    made: list[tuple[str, int]] = []

    def fake_generate(scale: str, out: Path, seed: int = 42, progress: Any = None) -> dict:
        out.mkdir(parents=True)
        (out / "truth.json").write_text("{}")
        made.append((scale, seed))
        return {}

    monkeypatch.setattr(productops.demo, "generate", fake_generate)
    return made


def test_a_complete_folder_with_the_current_marker_is_reused(tmp_path: Path, calls) -> None:
    paths = scratch_paths("m", tmp_path)
    assert ensure_generated("m", paths, SEED, print) is True
    marker = json.loads((paths.generated / COMPLETE_MARKER).read_text())
    assert marker["generator_version"] == productops.demo.GENERATOR_VERSION
    assert marker["parameters"]["issue_days_factor"] == 0.36
    assert marker["parameters"]["end_users"] == 120_000
    assert ensure_generated("m", paths, SEED, print) is False
    assert calls == [("m", SEED)]


def test_a_folder_from_the_old_generator_is_made_again(tmp_path: Path, calls) -> None:
    paths = scratch_paths("m", tmp_path)
    paths.generated.mkdir(parents=True)
    # The marker the benchmark wrote before generator version 2: the old, smaller m.
    (paths.generated / COMPLETE_MARKER).write_text(json.dumps({"scale": "m", "seed": SEED}))
    (paths.generated / "stale.json").write_text("{}")
    assert ensure_generated("m", paths, SEED, print) is True
    assert calls == [("m", SEED)]
    assert not (paths.generated / "stale.json").exists()


def test_other_parameters_or_seed_make_it_again(tmp_path: Path, calls) -> None:
    paths = scratch_paths("m", tmp_path)
    paths.generated.mkdir(parents=True)
    older = generation_marker("m", SEED)
    older["parameters"]["review_rounds_max"] = 3
    (paths.generated / COMPLETE_MARKER).write_text(json.dumps(older))
    assert ensure_generated("m", paths, SEED, print) is True
    assert ensure_generated("m", paths, 7, print) is True
    assert calls == [("m", SEED), ("m", 7)]


def test_a_folder_without_the_marker_is_a_cut_short_run(tmp_path: Path, calls) -> None:
    paths = scratch_paths("s", tmp_path)
    paths.generated.mkdir(parents=True)
    (paths.generated / "truth.json").write_text("{}")
    assert ensure_generated("s", paths, SEED, print) is True
    assert calls == [("s", SEED)]
