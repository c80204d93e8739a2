"""A refresh killed with SIGKILL during ingestion, during dbt and during publish.

The demo warehouse the session built is copied into a data folder of this module's own
(the "previous good version"). Refreshes are then started the way a user starts them
and killed, process group and all, as a container or systemd stop would kill them:

1. while the sources land (after the first landing step reports done);
2. while `dbt build` runs (a dbt process is alive, every source has landed);
3. while publish writes the new serving copy (its temporary file has appeared).

After each kill the serving copy must open read-only and be a complete version, every
mart holding the rows its publish recorded: the previous one, or, if the kill came just
after publish's atomic rename, the new one. Each run starts after the previous one was
killed, so each shows recovery from the one before; a last refresh must then succeed,
remove what the killed publish left and publish the numbers the demo generator planted.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from demo_build import BuiltWarehouse, run_refresh_cli
from fault_inputs import query

from orchestration.settings import PROJECT_ROOT

SOURCES = ("analytics", "catalog", "finance", "hr", "jira", "okrs", "roadmap")
STEP_TIMEOUT = 600.0


class RefreshProcess:
    """`productops refresh` in its own process group, its output lines collected live."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "productops"), "refresh"],
            cwd=PROJECT_ROOT,
            env={**env, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_until(self, condition: Callable[[], bool], what: str) -> None:
        """Poll `condition` every few milliseconds; fail if the refresh ends first."""
        deadline = time.monotonic() + STEP_TIMEOUT
        while not condition():
            if self.process.poll() is not None:
                pytest.fail(f"the refresh ended before {what}:\n" + "\n".join(self.lines))
            if time.monotonic() > deadline:
                self.kill()
                pytest.fail(f"no {what} within {STEP_TIMEOUT}s:\n" + "\n".join(self.lines))
            time.sleep(0.002)

    def done(self, step: str) -> bool:
        """Whether the refresh reported `step` finished."""
        return any(line.startswith(f"{step}: done") for line in self.lines)

    def group(self) -> list[str]:
        """The command lines of every live process in the refresh's process group."""
        commands = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) == self.process.pid and fields[0] != "Z":
                    cmdline = (stat.parent / "cmdline").read_bytes()
                    commands.append(cmdline.replace(b"\0", b" ").decode(errors="replace"))
            except (OSError, IndexError, ValueError):
                continue
        return commands

    def kill(self) -> None:
        """SIGKILL the whole process group and wait until none of it is left."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=60)
        deadline = time.monotonic() + 30
        while self.group() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not self.group(), "processes of the killed refresh are still running"
        self._reader.join(timeout=10)


@dataclass(frozen=True)
class Served:
    """What the serving copy holds: its batch and each mart's row count."""

    batch_id: str
    row_counts: dict[str, int]


def served(serving_path: Path) -> Served:
    """The serving copy, checked complete: every mart holds the rows its publish recorded."""
    recorded = query(serving_path, "select batch_id, mart, row_count from meta.refresh")
    batches = {batch for batch, _, _ in recorded}
    assert len(batches) == 1, f"the serving copy mixes batches {batches}"
    counts = {mart: rows for _, mart, rows in recorded}
    marts = query(
        serving_path,
        "select table_name from information_schema.tables where table_schema = 'marts'",
    )
    assert sorted(name for (name,) in marts) == sorted(counts)
    for mart, rows in counts.items():
        assert query(serving_path, f"select count(*) from marts.{mart}") == [(rows,)], mart
    return Served(batches.pop(), counts)


@pytest.fixture(scope="module")
def killed_folder(demo_warehouse: BuiltWarehouse, tmp_path_factory) -> tuple[Path, dict]:
    """A data folder holding a copy of the session's good demo warehouse and serving copy."""
    data_dir = tmp_path_factory.mktemp("killed-data")
    shutil.copy(demo_warehouse.warehouse_path, data_dir / "warehouse.duckdb")
    shutil.copy(demo_warehouse.serving_path, data_dir / "serving.duckdb")
    env = {**demo_warehouse.env, "PRODUCTOPS_DATA_DIR": str(data_dir)}
    return data_dir, env


def _kill_during(env: dict, data_dir: Path, phase: str) -> list[str]:
    refresh = RefreshProcess(env)
    if phase == "ingestion":
        refresh.wait_until(
            lambda: any(refresh.done(f"raw_{s}") for s in SOURCES), "a first landed source"
        )
        assert not all(refresh.done(f"raw_{s}") for s in SOURCES)
    elif phase == "dbt":
        refresh.wait_until(lambda: all(refresh.done(f"raw_{s}") for s in SOURCES), "landing")
        refresh.wait_until(lambda: any("dbt" in c and "build" in c for c in refresh.group()), "dbt")
        # Let dbt get well into its models before pulling the plug.
        time.sleep(3)
        assert not refresh.done("dbt_models")
    else:
        refresh.wait_until(
            lambda: any(data_dir.glob("serving.duckdb.tmp-*")), "publish's temporary copy"
        )
    refresh.kill()
    return refresh.lines


def test_a_refresh_killed_in_each_phase_always_leaves_a_complete_serving_copy(killed_folder, truth):
    data_dir, env = killed_folder
    serving = data_dir / "serving.duckdb"
    previous = served(serving)

    for phase in ("ingestion", "dbt"):
        lines = _kill_during(env, data_dir, phase)
        assert served(serving) == previous, f"killed during {phase}:\n" + "\n".join(lines)
        assert not any(line.startswith("publish: done") for line in lines)

    lines = _kill_during(env, data_dir, "publish")
    after_publish_kill = served(serving)
    # Killed before the atomic rename: the previous copy beside the half-built one;
    # just after it: the new one, complete.
    if after_publish_kill == previous:
        assert list(data_dir.glob("serving.duckdb.tmp-*")), "\n".join(lines)
    else:
        assert after_publish_kill.row_counts == previous.row_counts, "\n".join(lines)

    result = run_refresh_cli(env)

    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    recovered = served(serving)
    assert recovered.batch_id not in (previous.batch_id, after_publish_kill.batch_id)
    assert recovered.row_counts == previous.row_counts
    assert not list(data_dir.glob("serving.duckdb.tmp-*")), "a killed publish's copy is left"

    planted_revenue = sum(sum(m.values()) for m in truth["revenue_by_product_month"].values())
    planted_revenue += sum(truth["unmapped_revenue_by_month"].values())
    planted_people = sum(
        sum(m.values()) for m in truth["people_cost_allocated_by_product_month"].values()
    )
    planted_other = sum(sum(m.values()) for m in truth["other_rnd_cost_by_product_month"].values())
    planted_other += sum(truth["unmapped_rnd_cost_by_month"].values())
    ((revenue, people, other),) = query(
        serving,
        "select sum(revenue), sum(people_cost), sum(other_rnd_cost) "
        "from marts.fct_product_cost_revenue",
    )
    assert revenue == pytest.approx(planted_revenue, abs=1.0)
    assert people == pytest.approx(planted_people, abs=1.0)
    assert other == pytest.approx(planted_other, abs=1.0)
