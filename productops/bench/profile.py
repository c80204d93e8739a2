"""Where a refresh's time goes, from what it already prints.

`productops refresh` prints one line per finished Dagster step
(`raw_jira: done, 2 assets, 123 rows (4.2s)`), and its log (`<data>/logs/refresh.log`)
holds dbt's own lines, one per model or test (`... OK created sql table model
marts.x ... [OK in 1.23s]`). Both are read here rather than instrumenting the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

STEP_LINE = re.compile(r"^(?P<step>[\w.]+): done, .*\((?P<seconds>[\d.]+)s\)\s*$")
DBT_LINE = re.compile(
    r"\d+ of \d+ (?:OK|PASS|WARN|ERROR|FAIL)\b.*?\s(?P<name>[\w.]+)\s*\.*\s*"
    r"\[\w+(?: \d+)? in (?P<seconds>[\d.]+)s\]"
)
# dbt colours its status words when it thinks it writes to a terminal.
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Timing:
    """One timed item of a refresh: a Dagster step or a dbt node."""

    name: str
    seconds: float


def step_timings(output: str) -> list[Timing]:
    """Seconds per Dagster step from the refresh's progress lines, slowest first."""
    found = [
        Timing(match["step"], float(match["seconds"]))
        for line in output.splitlines()
        if (match := STEP_LINE.match(line.strip()))
    ]
    return sorted(found, key=lambda t: -t.seconds)


def dbt_node_timings(log: str) -> list[Timing]:
    """Seconds per dbt model, snapshot or test from dbt's result lines, slowest first."""
    found = [
        Timing(match["name"], float(match["seconds"]))
        for line in ANSI.sub("", log).splitlines()
        if (match := DBT_LINE.search(line))
    ]
    return sorted(found, key=lambda t: -t.seconds)
