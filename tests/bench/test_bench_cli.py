"""`productops bench --scale m` and `make bench SCALE=m` reach the harness with the scale."""

from __future__ import annotations

import subprocess

import pytest

from orchestration.settings import PROJECT_ROOT
from productops.cli import build_parser


def test_bench_command_takes_a_scale_and_defaults_to_s() -> None:
    parser = build_parser()
    assert parser.parse_args(["bench", "--scale", "m"]).scale == "m"
    assert parser.parse_args(["bench"]).scale == "s"
    assert parser.parse_args(["bench"]).run.__name__ == "_cmd_bench"
    with pytest.raises(SystemExit):
        parser.parse_args(["bench", "--scale", "xxl"])


def test_make_bench_passes_scale_through() -> None:
    dry = subprocess.run(
        ["make", "-n", "bench", "SCALE=m"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "productops bench --scale m" in dry.stdout
    default = subprocess.run(
        ["make", "-n", "bench"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert "productops bench --scale s" in default.stdout
