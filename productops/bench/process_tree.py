"""Run a command and measure its whole process tree: wall time and peak resident memory.

`resource.getrusage(RUSAGE_CHILDREN)` only knows the largest single descendant, and
only once it has been waited for; the refresh is a Python process plus a dbt child
running at the same time, so the tree's memory is sampled from /proc and summed.
"""

from __future__ import annotations

import resource
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
SAMPLE_SECONDS = 0.1


@dataclass(frozen=True)
class TreeRun:
    """A finished command: exit code, wall seconds, peak RSS of its tree, its output, and
    the CPU seconds (user + system) its whole tree used."""

    returncode: int
    seconds: float
    peak_rss_mb: float
    output: str
    cpu_s: float = 0.0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    task_dir = PROC / str(pid) / "task"
    try:
        tasks = list(task_dir.iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def tree_pids(root: int) -> list[int]:
    """`root` and every live descendant of it (read from /proc/<pid>/task/*/children)."""
    pids, queue = [], [root]
    while queue:
        pid = queue.pop()
        pids.append(pid)
        queue += _children(pid)
    return pids


def rss_kb(pid: int) -> int:
    """Resident memory of one process in KiB (0 when it has gone)."""
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(root: int) -> int:
    """Resident memory of `root` and its descendants, summed, in KiB."""
    return sum(rss_kb(pid) for pid in tree_pids(root))


def run_measured(
    command: Sequence[str],
    env: Mapping[str, str],
    cwd: Path,
    log_path: Path,
    timeout_s: float,
) -> TreeRun:
    """Run `command`, sampling its tree's RSS every 0.1 s; its output goes to `log_path`.

    Peak RSS is the larger of the sampled tree sum and the kernel's peak of the largest
    waited-for descendant, so a spike shorter than a sample is still counted once.
    """
    usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = usage_before.ru_maxrss
    log_path.parent.mkdir(parents=True, exist_ok=True)
    peak_kb = 0
    started = time.monotonic()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            list(command), cwd=cwd, env=dict(env), stdout=log, stderr=subprocess.STDOUT
        )
        try:
            while process.poll() is None:
                if time.monotonic() - started > timeout_s:
                    process.kill()
                    process.wait()
                    raise TimeoutError(f"{' '.join(command)} ran longer than {timeout_s:.0f}s")
                peak_kb = max(peak_kb, tree_rss_kb(process.pid))
                time.sleep(SAMPLE_SECONDS)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    seconds = time.monotonic() - started
    usage_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    after = usage_after.ru_maxrss
    # Children's CPU counts every descendant its parent waited for (dbt included).
    cpu_s = (usage_after.ru_utime + usage_after.ru_stime) - (
        usage_before.ru_utime + usage_before.ru_stime
    )
    # ru_maxrss is a high-water mark over all children ever waited for: only a rise
    # during this run says something about this run.
    if after > before:
        peak_kb = max(peak_kb, after)
    return TreeRun(
        returncode=process.returncode,
        seconds=seconds,
        peak_rss_mb=peak_kb / 1024,
        output=log_path.read_text(errors="replace"),
        cpu_s=cpu_s,
    )
