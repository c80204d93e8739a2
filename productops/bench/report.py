"""The benchmark's results: `bench/results/<scale>.json` (exactly the issue's keys) and a
short markdown table with the context the numbers need to be read (machine load, the
profile, rows)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from productops.bench.profile import Timing

RESULT_KEYS = (
    "floor_s",
    "full_refresh_s",
    "incremental_s",
    "peak_rss_mb",
    "duckdb_memory_limit",
    "page_query_p95_ms",
    "rows_per_source",
    "rows_per_mart",
    "ratio_full",
    "ratio_incremental",
)
TOP_ITEMS = 10


@dataclass(frozen=True)
class BenchResult:
    """Everything one benchmark run measured; `results()` is what the JSON holds."""

    scale: str
    floor_s: float
    full_refresh_s: float
    incremental_s: float
    peak_rss_mb: float
    duckdb_memory_limit: str
    page_query_p95_ms: float
    rows_per_source: dict[str, dict[str, int]]
    rows_per_mart: dict[str, int]
    # Context for the markdown only.
    command: str = ""
    cpu_count: int = 0
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    generated_s: float | None = None
    appended: dict[str, int] = field(default_factory=dict)
    query_p95_ms: dict[str, float] = field(default_factory=dict)
    skipped_queries: dict[str, str] = field(default_factory=dict)
    full_steps: list[Timing] = field(default_factory=list)
    incremental_steps: list[Timing] = field(default_factory=list)
    dbt_nodes: list[Timing] = field(default_factory=list)
    dbt_threads: int | None = None
    full_refresh_cpu_s: float = 0.0
    incremental_cpu_s: float = 0.0
    input_mb: float = 0.0

    def results(self) -> dict[str, Any]:
        """The JSON of `bench/results/<scale>.json`: the issue's keys, in its order."""
        # The ratios are of the published (rounded) times, so a reader can recompute them.
        floor_s, full_s = round(self.floor_s, 2), round(self.full_refresh_s, 2)
        incremental_s = round(self.incremental_s, 2)
        return {
            "floor_s": floor_s,
            "full_refresh_s": full_s,
            "incremental_s": incremental_s,
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "duckdb_memory_limit": self.duckdb_memory_limit,
            "page_query_p95_ms": round(self.page_query_p95_ms, 1),
            "rows_per_source": self.rows_per_source,
            "rows_per_mart": self.rows_per_mart,
            "ratio_full": round(full_s / floor_s, 2),
            "ratio_incremental": round(incremental_s / full_s, 3),
        }


def _load(load: tuple[float, float, float]) -> str:
    return " / ".join(f"{value:.2f}" for value in load)


def _timings(title: str, timings: list[Timing], total: float | None = None) -> list[str]:
    lines = [
        f"**{title}**",
        "",
        "| item | s |" + (" share |" if total else ""),
        "|---|---:|" + ("---:|" if total else ""),
    ]
    for timing in timings[:TOP_ITEMS]:
        share = f" {timing.seconds / total:.0%} |" if total else ""
        lines.append(f"| `{timing.name}` | {timing.seconds:.2f} |{share}")
    return lines + [""]


def markdown(result: BenchResult) -> str:
    """The results table, the conditions it was measured under, and where the time went."""
    data = result.results()
    source_rows = {s: sum(t.values()) for s, t in result.rows_per_source.items()}
    lines = [
        f"# Benchmark: scale `{result.scale}`",
        "",
        (
            "| floor_s | full_refresh_s | incremental_s | ratio_full | ratio_incremental "
            "| peak_rss_mb | page_query_p95_ms | DuckDB memory_limit |"
        ),
        "|---:|---:|---:|---:|---:|---:|---:|---|",
        (
            f"| {data['floor_s']} | {data['full_refresh_s']} | {data['incremental_s']} "
            f"| {data['ratio_full']} | {data['ratio_incremental']} | {data['peak_rss_mb']:,.0f} "
            f"| {data['page_query_p95_ms']} | {data['duckdb_memory_limit']} |"
        ),
        "",
        (
            f"Command: `{result.command}`. Machine: {result.cpu_count} cores, shared with other "
            f"work while measuring — load average (1/5/15 min) {_load(result.load_before)} before "
            f"and {_load(result.load_after)} after, so times are noisy. "
            f"CPU time of the refresh's process tree (robust to the neighbours): full "
            f"{result.full_refresh_cpu_s:.0f}s, incremental {result.incremental_cpu_s:.0f}s. "
            f"Inputs: {result.input_mb:,.0f} MB. dbt threads: {result.dbt_threads}."
        ),
    ]
    if result.generated_s is not None:
        lines[-1] += f" Generating the company took {result.generated_s:.0f}s (not counted)."
    lines += [
        "",
        "Rows per source: "
        + ", ".join(f"{name} {rows:,}" for name, rows in sorted(source_rows.items()))
        + f". Marts: {len(result.rows_per_mart)} tables, "
        f"{sum(result.rows_per_mart.values()):,} rows.",
        "",
        "Incremental: one day appended to every source ("
        + ", ".join(f"{name} +{count:,}" for name, count in result.appended.items())
        + " records), then `productops refresh` again.",
        "",
    ]
    lines += _timings("Full refresh by step", result.full_steps, result.full_refresh_s)
    lines += _timings("Incremental refresh by step", result.incremental_steps, result.incremental_s)
    lines += _timings("Slowest dbt nodes (full refresh)", result.dbt_nodes)
    lines += [
        "**Dashboard queries, p95 of 20 cold calls (ms)**",
        "",
        "| query | p95 ms |",
        "|---|---:|",
    ]
    lines += [f"| `{name}` | {ms:.1f} |" for name, ms in sorted(result.query_p95_ms.items())]
    for name, reason in sorted(result.skipped_queries.items()):
        lines.append(f"| `{name}` | not measured: {reason} |")
    return "\n".join(lines) + "\n"


def write_results(result: BenchResult, results_dir: Path) -> tuple[Path, Path]:
    """Write `<scale>.json` and `<scale>.md` into `results_dir`; return both paths."""
    results_dir.mkdir(parents=True, exist_ok=True)
    json_path = results_dir / f"{result.scale}.json"
    md_path = results_dir / f"{result.scale}.md"
    json_path.write_text(json.dumps(result.results(), indent=1, sort_keys=False) + "\n")
    md_path.write_text(markdown(result))
    return json_path, md_path
