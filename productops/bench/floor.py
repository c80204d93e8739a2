"""The physical floor: DuckDB reading every input file once with its native reader.

No refresh can be faster than reading its inputs, so `floor_s` is what the refresh
is compared with (`ratio_full`). Files are grouped by folder and name pattern
(`page_0001.json.gz`, `page_0002.json.gz` ... are one group) so DuckDB reads a group in
one `count(*)` and may spread it over its threads, as it would for a real load.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import duckdb

from productops.bench.scratch import input_files


@dataclass(frozen=True)
class FloorRead:
    """One group of files read: its pattern, file count, rows DuckDB counted, seconds."""

    pattern: str
    files: int
    rows: int
    seconds: float


def _group_key(path: Path, sources_dir: Path) -> str:
    relative = path.relative_to(sources_dir).as_posix()
    return re.sub(r"\d+", "N", relative)


def _reader(paths: list[Path]) -> str:
    names = ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths)
    first = paths[0].name
    if first.endswith((".csv", ".csv.gz")):
        return f"read_csv([{names}], all_varchar = true)"
    if first.endswith((".yml", ".yaml")):
        # DuckDB has no YAML reader; a text read is the floor for the small catalog.
        return f"read_text([{names}])"
    if "/analytics/" in paths[0].as_posix() or first.endswith((".jsonl", ".jsonl.gz")):
        return f"read_json([{names}], format = 'newline_delimited')"
    return f"read_json([{names}])"


def _count(con: duckdb.DuckDBPyConnection, paths: list[Path]) -> int:
    (rows,) = con.execute(f"select count(*) from {_reader(paths)}").fetchone()
    return int(rows)


def read_floor(sources_dir: Path) -> list[FloorRead]:
    """Read every input file under `sources_dir` once; one `FloorRead` per file group."""
    groups: dict[str, list[Path]] = defaultdict(list)
    for path in input_files(sources_dir):
        groups[_group_key(path, sources_dir)].append(path)
    reads = []
    with duckdb.connect() as con:
        for pattern, paths in sorted(groups.items()):
            started = time.monotonic()
            try:
                rows = _count(con, paths)
            except duckdb.Error:
                # Files of one pattern whose JSON shapes differ (a page with an empty
                # list next to full ones) cannot share one inferred schema: read each.
                rows = sum(_count(con, [path]) for path in paths)
            reads.append(FloorRead(pattern, len(paths), int(rows), time.monotonic() - started))
    return reads
