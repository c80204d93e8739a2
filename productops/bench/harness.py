"""`run_bench(scale)`: generate if needed, then measure everything on the same files.

One run: the floor (DuckDB reading every input once), a full `productops refresh` from
an empty data folder (peak RSS of its whole process tree sampled), rows per source and
mart, every dashboard query 20 times on the serving copy, then one day appended to every
source and a second, incremental refresh. Each refresh runs in a child process exactly
as a user runs it, so nothing of the benchmark's own process is measured.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import yaml

from orchestration.settings import (
    DBT_PROJECT_DIR,
    DEFAULT_DUCKDB_MEMORY_LIMIT,
    DUCKDB_MEMORY_LIMIT_VAR,
    PROJECT_ROOT,
)
from productops.bench.day_append import append_one_day
from productops.bench.floor import read_floor
from productops.bench.page_queries import p95
from productops.bench.process_tree import TreeRun, run_measured
from productops.bench.profile import dbt_node_timings, step_timings
from productops.bench.report import BenchResult
from productops.bench.scratch import (
    SCRATCH_ROOT,
    ensure_generated,
    fresh_working_copy,
    input_files,
    scratch_paths,
)
from productops.bench.warehouse_facts import duckdb_memory_limit, rows_per_mart, rows_per_source

# A fixed key: pseudonyms only need to be stable within one run. Not a secret.
BENCH_PSEUDONYM_KEY = "productops-bench-key"
REFRESH_TIMEOUT_S = 4 * 3600
QUERY_TIMEOUT_S = 1800


class BenchFailed(RuntimeError):
    """A step of the benchmark failed; the message names it and ends with its output."""


def _env(sources: Path, data: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "PRODUCTOPS_SOURCES_DIR": str(sources),
        "PRODUCTOPS_DATA_DIR": str(data),
        "PRODUCTOPS_PSEUDONYM_KEY": BENCH_PSEUDONYM_KEY,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    for inherited in (
        "PRODUCTOPS_CATALOG",
        "PRODUCTOPS_DROP_DIR",
        "JIRA_BASE_URL",
        "AHA_DOMAIN",
        "PRODUCTOPS_WAREHOUSE",
    ):
        env.pop(inherited, None)
    return env


def _refresh(env: dict[str, str], log: Path) -> TreeRun:
    command = [str(Path(sys.executable).parent / "productops"), "refresh"]
    run = run_measured(command, env, PROJECT_ROOT, log, REFRESH_TIMEOUT_S)
    if run.returncode != 0:
        raise BenchFailed(f"productops refresh failed (log {log}):\n{run.output[-4000:]}")
    return run


def _page_queries(env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "productops.bench.page_queries"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=QUERY_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        raise BenchFailed(f"timing the dashboard queries failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout)


def _dbt_threads(profiles_dir: Path = DBT_PROJECT_DIR) -> int | None:
    profiles = yaml.safe_load((profiles_dir / "profiles.yml").read_text()) or {}
    for profile in profiles.values():
        for output in (profile or {}).get("outputs", {}).values():
            return output.get("threads")
    return None


def _new_day(generated: Path) -> date:
    # Exports hold what happened before the as-of date, so the as-of date is the new day.
    return date.fromisoformat(json.loads((generated / "truth.json").read_text())["as_of"])


def run_bench(
    scale: str,
    seed: int = 42,
    scratch_root: Path = SCRATCH_ROOT,
    progress: Callable[[str], None] = print,
) -> BenchResult:
    """Measure `scale` end to end (see the module docstring); raises BenchFailed."""
    paths = scratch_paths(scale, scratch_root)
    started = time.monotonic()
    generated_s = None
    if ensure_generated(scale, paths, seed, progress):
        generated_s = time.monotonic() - started
        progress(f"generated the {scale} company in {generated_s:.0f}s")
    fresh_working_copy(paths)
    load_before = os.getloadavg()
    env = _env(paths.sources, paths.data)
    input_mb = sum(p.stat().st_size for p in input_files(paths.sources)) / 2**20

    started = time.monotonic()
    floor = read_floor(paths.sources)
    floor_s = time.monotonic() - started
    progress(
        f"floor: read {sum(r.files for r in floor)} files ({input_mb:,.0f} MB) in {floor_s:.1f}s"
    )

    full = _refresh(env, paths.logs / "full_refresh.out")
    refresh_log = paths.data / "logs" / "refresh.log"
    dbt_nodes = dbt_node_timings(refresh_log.read_text(errors="replace"))
    refresh_log.replace(paths.logs / "full_refresh.log")
    progress(f"full refresh: {full.seconds:.1f}s, peak RSS {full.peak_rss_mb:,.0f} MB")

    warehouse, serving = paths.data / "warehouse.duckdb", paths.data / "serving.duckdb"
    sources, marts = rows_per_source(warehouse), rows_per_mart(serving)
    memory_limit = duckdb_memory_limit(
        env.get(DUCKDB_MEMORY_LIMIT_VAR) or DEFAULT_DUCKDB_MEMORY_LIMIT
    )
    queries = _page_queries(env)
    all_samples = [ms for samples in queries["timings_ms"].values() for ms in samples]
    progress(
        f"dashboard queries: {len(queries['timings_ms'])} functions, p95 {p95(all_samples):.1f} ms"
    )

    appended = append_one_day(paths.sources, _new_day(paths.generated))
    incremental = _refresh(env, paths.logs / "incremental_refresh.out")
    progress(f"incremental refresh: {incremental.seconds:.1f}s")

    return BenchResult(
        scale=scale,
        floor_s=floor_s,
        full_refresh_s=full.seconds,
        incremental_s=incremental.seconds,
        peak_rss_mb=max(full.peak_rss_mb, incremental.peak_rss_mb),
        duckdb_memory_limit=memory_limit,
        page_query_p95_ms=p95(all_samples),
        rows_per_source=sources,
        rows_per_mart=marts,
        command=f"make bench SCALE={scale}",
        cpu_count=os.cpu_count() or 0,
        load_before=load_before,
        load_after=os.getloadavg(),
        generated_s=generated_s,
        appended=appended,
        query_p95_ms={name: p95(s) for name, s in queries["timings_ms"].items()},
        skipped_queries=queries["skipped"],
        full_steps=step_timings(full.output),
        incremental_steps=step_timings(incremental.output),
        dbt_nodes=dbt_nodes,
        dbt_threads=_dbt_threads(),
        full_refresh_cpu_s=full.cpu_s,
        incremental_cpu_s=incremental.cpu_s,
        input_mb=input_mb,
    )
