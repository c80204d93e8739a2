"""The pieces of the benchmark on small, hand-checked inputs: process-tree memory, p95,
the profile parsers and the floor reader."""

from __future__ import annotations

import sys
from pathlib import Path

from productops.bench.floor import read_floor
from productops.bench.page_queries import arguments_for, p95, query_functions
from productops.bench.process_tree import run_measured
from productops.bench.profile import dbt_node_timings, step_timings
from productops.bench.warehouse_facts import duckdb_memory_limit

# A parent holding ~50 MB that starts a child holding ~300 MB, both alive together.
TREE_SCRIPT = """
import subprocess, sys, time
parent = bytearray(50 * 2**20)
child = subprocess.Popen([sys.executable, "-c",
    "import time; block = bytearray(300 * 2**20); sum(range(10**7)); time.sleep(1.5)"])
child.wait()
"""


def test_peak_rss_counts_the_children_of_the_refresh(tmp_path: Path) -> None:
    run = run_measured(
        [sys.executable, "-c", TREE_SCRIPT], {}, tmp_path, tmp_path / "out.log", timeout_s=60
    )
    assert run.returncode == 0
    # The child's 300 MB alone is over 300; both together (sampled) reach about 350+.
    # No upper bound: ru_maxrss of this test process's children also sees any other
    # child the suite reaps meanwhile, which a benchmark run (its own process) does not.
    assert run.peak_rss_mb > 340
    assert run.seconds >= 1.5
    # Summing ten million integers costs the grandchild well over 0.1 CPU seconds.
    assert run.cpu_s > 0.1


def test_p95_is_the_nearest_rank() -> None:
    assert p95([float(v) for v in range(1, 21)]) == 19.0
    assert p95([float(v) for v in range(1, 101)]) == 95.0
    assert p95([7.0]) == 7.0


def test_every_public_dashboard_query_is_timed() -> None:
    from dashboards import data

    functions = query_functions(data)
    assert {
        "totals",
        "product_summary",
        "monthly_totals",
        "unmapped_share",
        "unmapped_by_month",
        "products",
        "month_bounds",
        "basis",
        "mart_row_counts",
        "source_freshness",
    } <= set(functions)
    assert "row_counts_from_refresh" not in functions
    known = {"selection": object(), "start": 1, "end": 2, "now": None}
    assert arguments_for(data.unmapped_share, known) == {"start": 1, "end": 2}
    assert arguments_for(data.source_freshness, {}) == {}
    assert arguments_for(data.totals, {}) is None


def test_step_and_dbt_timings_are_read_from_the_refresh_output() -> None:
    output = (
        "refreshing from a into b\n"
        "raw_jira: done, 4 assets, 466,326 rows, 23 checks passed (22.1s)\n"
        "dbt_models: done, 71 assets, 403 checks passed (59.7s)\n"
        "publish: done, 1 asset, 22,182 rows (0.3s)\n"
    )
    assert [(t.name, t.seconds) for t in step_timings(output)] == [
        ("dbt_models", 59.7),
        ("raw_jira", 22.1),
        ("publish", 0.3),
    ]
    log = (
        "1 of 496 START sql view model staging.stg_jira__issues ....... [RUN]\n"
        "1 of 496 OK created sql view model staging.stg_jira__issues .. [\x1b[32mOK\x1b[0m in 0.10s]\n"
        "7 of 496 OK created sql table model marts.fct_x .............. [OK in 12.50s]\n"
        "9 of 496 PASS not_null_fct_x_month ........................... [PASS in 0.05s]\n"
        "10 of 496 OK snapshotted snapshots.roadmap_status_snapshot ... [OK in 0.26s]\n"
    )
    assert [(t.name, t.seconds) for t in dbt_node_timings(log)] == [
        ("marts.fct_x", 12.5),
        ("snapshots.roadmap_status_snapshot", 0.26),
        ("staging.stg_jira__issues", 0.1),
        ("not_null_fct_x_month", 0.05),
    ]


def test_the_floor_reads_every_file_and_counts_its_rows(tmp_path: Path) -> None:
    (tmp_path / "finance").mkdir()
    (tmp_path / "finance" / "gl.csv").write_text("Date,Amount\n2026-01-01,1\n2026-01-02,2\n")
    pages = tmp_path / "roadmap"
    pages.mkdir()
    for n in (1, 2, 3):
        (pages / f"ideas_page_000{n}.json").write_text('{"ideas": [{"id": "1"}]}')
    (tmp_path / "events.jsonl").write_text('{"a": 1}\n{"a": 2}\n{"a": 3}\n')
    (tmp_path / "truth.json").write_text("{}")
    reads = {read.pattern: (read.files, read.rows) for read in read_floor(tmp_path)}
    assert reads == {
        "finance/gl.csv": (1, 2),
        "roadmap/ideas_page_N.json": (3, 3),
        "events.jsonl": (1, 3),
    }


def test_landing_profile_times_each_phase_of_one_source(tmp_path: Path, truth) -> None:
    import duckdb

    from connectors.sources import source
    from orchestration.settings import PROJECT_ROOT
    from productops.bench.landing_profile import profile_source

    warehouse = tmp_path / "landing.duckdb"
    phases = profile_source(source("okrs"), PROJECT_ROOT / "seeds", warehouse)
    counts = truth["row_counts"]
    # 132 objectives, 406 key results and 4,859 check-ins in the demo company.
    assert (
        phases.rows
        == counts["okr__objectives"] + counts["okr__key_results"] + counts["okr__checkins"]
        == 5_397
    )
    assert min(phases.read_s, phases.gate_s, phases.land_s) >= 0
    assert 0 < phases.read_peak_mb <= phases.gate_peak_mb <= phases.land_peak_mb
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw.okr__checkins").fetchone()[0] == 4_859


def test_the_reported_memory_limit_says_what_duckdb_made_of_the_setting():
    # A share of RAM is shown with the size it came to; a size as DuckDB spells it.
    assert duckdb_memory_limit("50%").startswith("50% of RAM = ")
    assert duckdb_memory_limit("50%").endswith("GiB")
    assert duckdb_memory_limit("6gb") == "5.5 GiB"
    assert duckdb_memory_limit("512MiB") == "512.0 MiB"
