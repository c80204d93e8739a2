"""Where landing time goes, per source: reading the files, the quality gate, the merge.

Times are CPU seconds of this process (all threads), not wall time: on a shared
machine wall time says more about the neighbours than about the code.

`python -m productops.bench.landing_profile SOURCES_DIR [SOURCE ...]` runs the three
phases of a `raw_<source>` step one after another, outside Dagster, into a throwaway
DuckDB file, and prints seconds per phase. The refresh's own step line only gives the
sum; this says which phase to make faster.
"""

from __future__ import annotations

import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from connectors.pseudonymise import make_pseudonymiser
from connectors.registry import ReadContext, Source
from connectors.sources import SOURCES
from orchestration.defs.sources.quality import validate_table
from orchestration.warehouse import land, open_warehouse


@dataclass(frozen=True)
class LandingPhases:
    """CPU seconds of each phase of landing one source, and the rows it produced."""

    source: str
    rows: int
    read_s: float
    gate_s: float
    land_s: float
    # The process's peak resident memory (MiB) when each phase ended: a high-water mark,
    # so a rise from one phase to the next is what that phase added.
    read_peak_mb: float
    gate_peak_mb: float
    land_peak_mb: float


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def profile_source(source: Source, sources_dir: Path, warehouse: Path) -> LandingPhases:
    """Read, gate and land `source` from `sources_dir` into `warehouse`, timing each phase.

    Big tables are spilled beside the warehouse, as the landing asset has them.
    """
    spill_dir = warehouse.parent / "spill" / source.name
    shutil.rmtree(spill_dir, ignore_errors=True)
    try:
        return _profile(source, sources_dir, warehouse, spill_dir)
    finally:
        shutil.rmtree(spill_dir, ignore_errors=True)


def _profile(source: Source, sources_dir: Path, warehouse: Path, spill_dir: Path) -> LandingPhases:
    context = ReadContext(
        sources_dir=sources_dir,
        pseudonymise=make_pseudonymiser(b"productops-bench-key"),
        catalog_path=sources_dir / "catalog.yml",
        spill_dir=spill_dir,
    )
    started = time.process_time()
    tables = source.read(context)
    read_s = time.process_time() - started
    read_peak = _peak_mb()
    started = time.process_time()
    for table in source.tables:
        validate_table(table, tables.get(table.name, table.schema.empty_table()), None)
    gate_s = time.process_time() - started
    gate_peak = _peak_mb()
    started = time.process_time()
    now = datetime.now(UTC)
    with open_warehouse(warehouse) as con:
        for table in source.tables:
            land(con, table, tables.get(table.name, table.schema.empty_table()), "bench", now)
    land_s = time.process_time() - started
    rows = sum(t.num_rows for t in tables.values())
    return LandingPhases(
        source.name, rows, read_s, gate_s, land_s, read_peak, gate_peak, _peak_mb()
    )


def main(argv: list[str] | None = None) -> int:
    """Print a markdown table of the phases of every (or each named) source."""
    args = sys.argv[1:] if argv is None else argv
    sources_dir, wanted = Path(args[0]).resolve(), set(args[1:])
    print(
        "| source | rows | read CPU s | gate CPU s | land CPU s | peak MB after read / gate "
        "/ land |\n|---|---:|---:|---:|---:|---|"
    )
    with tempfile.TemporaryDirectory() as scratch:
        warehouse = Path(scratch) / "landing.duckdb"
        for source in SOURCES:
            if wanted and source.name not in wanted:
                continue
            phases = profile_source(source, sources_dir, warehouse)
            print(
                f"| {phases.source} | {phases.rows:,} | {phases.read_s:.1f} "
                f"| {phases.gate_s:.1f} | {phases.land_s:.1f} | {phases.read_peak_mb:,.0f} / "
                f"{phases.gate_peak_mb:,.0f} / {phases.land_peak_mb:,.0f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
