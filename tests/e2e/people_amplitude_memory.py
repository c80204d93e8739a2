"""Measure the peak memory of landing a large Amplitude export (a script, not a test).

    .venv/bin/python tests/e2e/people_amplitude_memory.py --events 1000000 [--spill]

Writes an Amplitude-style export (hourly gzipped JSON-lines files, as the Export API
unzips) into a temporary folder, then reads it with the analytics source's reader and
lands it in a scratch warehouse in a child process, and prints that child's peak
resident memory (`ru_maxrss` of the child, measured by the kernel) next to the peak of
a child that only imports the same modules, so the difference is what the events cost.
With `--spill` the reader writes the events to a spill folder as the landing asset has
it do (connectors/spilled.py) and the landing reads them from there.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

_CHILD = """
import sys, time
from datetime import UTC, datetime
from pathlib import Path
from connectors import schemas
from connectors.analytics_sources import read_analytics_folder
from connectors.pseudonymise import make_pseudonymiser
from orchestration.warehouse import land, open_warehouse
if sys.argv[1] == "baseline":
    raise SystemExit(0)
sources, warehouse = Path(sys.argv[2]), Path(sys.argv[3])
spill_dir = Path(sys.argv[4]) if len(sys.argv) > 4 else None
started = time.monotonic()
tables = read_analytics_folder(sources, make_pseudonymiser(b"bench"), spill_dir=spill_dir)
read_s = time.monotonic() - started
with open_warehouse(warehouse) as con:
    for table in schemas.ANALYTICS_TABLES:
        land(con, table, tables[table.name], "bench", datetime.now(UTC))
    landed = con.execute("select count(*) from raw.analytics__events").fetchone()[0]
print(f"{landed} {read_s:.1f} {time.monotonic() - started:.1f}")
"""


def write_export(folder: Path, events: int, files: int, seed: int = 7) -> int:
    """`events` Amplitude events in `files` hourly gzipped files; returns bytes written."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    per_file = -(-events // files)
    written = 0
    for index in range(files):
        path = folder / f"123456_2025-03-{1 + index // 24:02d}_{index % 24}#0.json.gz"
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as handle:
            for n in range(index * per_file, min(events, (index + 1) * per_file)):
                user = rng.randrange(50_000)
                event = {
                    "$insert_id": f"ins-{n:09d}",
                    "uuid": f"uuid-{n:09d}",
                    "event_type": rng.choice(("Instant Payout Sent", "Screen Viewed", "Login")),
                    "event_time": f"2025-03-{1 + index // 24:02d} {index % 24:02d}:"
                    f"{rng.randrange(60):02d}:{rng.randrange(60):02d}.{rng.randrange(10**6):06d}",
                    "user_id": f"user-{user}",
                    "device_id": f"device-{user}",
                    "app": rng.choice(("payments", "wallet", "loyalty")),
                    "platform": rng.choice(("iOS", "Android", "Web")),
                    "country": rng.choice(("Germany", "United States", "Brazil")),
                    "groups": {"partner": f"partner_{user % 40}"},
                    "event_properties": {"amount": rng.randrange(1, 500), "currency": "EUR"},
                    "user_properties": {"plan": "pro"},
                }
                handle.write(json.dumps(event) + "\n")
        written += path.stat().st_size
    return written


def _child_peak_mb(args: list[str]) -> tuple[float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far (KiB on Linux): run baseline first.
    return max(peak, before) / 1024, result.stdout.strip()


def main() -> None:
    """Generate, load and report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=48)
    parser.add_argument("--spill", action="store_true", help="spill the events to files")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="amplitude-bench-") as tmp:
        sources = Path(tmp) / "exports"
        started = time.monotonic()
        size = write_export(sources / "analytics" / "amplitude", options.events, options.files)
        print(
            f"wrote {options.events:,} events, {size / 2**20:.1f} MiB gzipped, "
            f"in {time.monotonic() - started:.0f}s"
        )
        baseline, _ = _child_peak_mb(["baseline"])
        load = ["load", str(sources), str(Path(tmp) / "bench.duckdb")]
        if options.spill:
            load.append(str(Path(tmp) / "spill"))
        peak, out = _child_peak_mb(load)
        landed, read_s, total_s = out.splitlines()[-1].split()
        print(
            f"landed {int(landed):,} rows in raw.analytics__events: read {read_s}s, "
            f"read+land {total_s}s"
        )
        print(
            f"peak RSS of the loading process: {peak:.0f} MiB "
            f"(a process importing the same modules: {baseline:.0f} MiB)"
        )


if __name__ == "__main__":
    main()
