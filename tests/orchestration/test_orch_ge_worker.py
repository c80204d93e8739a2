"""The refresh's Great Expectations worker: the gate's verdicts are those it gives in-process,
the refresh's own process never imports Great Expectations, and a dead worker only costs
the in-process validation."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import pyarrow as pa
import pytest
from employee_rows import employees

from connectors.schemas import HR_EMPLOYEES
from connectors.spilled import spill
from orchestration.defs.sources import quality
from orchestration.defs.sources.ge_worker import active_worker, ge_worker
from orchestration.defs.sources.quality import validate_table
from orchestration.settings import PROJECT_ROOT


def _employees(*rows: tuple[str | None, float]) -> pa.Table:
    return employees([{"employee_key": key, "fte": fte} for key, fte in rows])


# A clean export, and one with a missing key, a repeated key, an fte out of range, and a
# row count far below the previous load's.
CLEAN = _employees(("e1", 1.0), ("e2", 0.5))
BAD = _employees(("e1", 1.0), ("e1", 1.0), (None, 1.0), ("e3", 2.0))


@pytest.fixture(scope="module")
def worker_verdicts(tmp_path_factory) -> dict[str, list[quality.CheckOutcome]]:
    # Big sources reach the gate spilled to Arrow files: the worker reads those itself.
    spilled = spill(tmp_path_factory.mktemp("spill"), HR_EMPLOYEES.name, BAD)
    with ge_worker() as worker:
        verdicts = {
            "clean": validate_table(HR_EMPLOYEES, CLEAN, previous_count=2),
            "bad": validate_table(HR_EMPLOYEES, BAD, previous_count=100),
            "bad spilled": validate_table(HR_EMPLOYEES, spilled, previous_count=100),
        }
        assert (worker.validated, worker.broken) == (3, False)
    assert active_worker() is None
    assert worker.process.returncode == 0
    return verdicts


def test_the_worker_passes_a_clean_export_as_the_gate_does_in_process(worker_verdicts) -> None:
    assert worker_verdicts["clean"] == validate_table(HR_EMPLOYEES, CLEAN, previous_count=2)
    assert all(outcome.passed for outcome in worker_verdicts["clean"])


def test_the_worker_fails_a_bad_export_with_the_same_messages_and_sample_rows(
    worker_verdicts,
) -> None:
    in_process = validate_table(HR_EMPLOYEES, BAD, previous_count=100)
    assert worker_verdicts["bad"] == in_process
    assert worker_verdicts["bad spilled"] == in_process
    failed = {outcome.check for outcome in in_process if not outcome.passed}
    assert failed == {"keys_not_null", "keys_unique", "value_ranges", "row_count_vs_previous"}
    assert all(
        o.sample_rows for o in in_process if o.check != "row_count_vs_previous" and not o.passed
    )


def test_a_dead_worker_leaves_the_validation_to_this_process() -> None:
    with ge_worker() as worker:
        worker.process.kill()
        worker.process.wait()
        outcomes = validate_table(HR_EMPLOYEES, BAD, previous_count=100)
        assert worker.broken
    assert {o.check for o in outcomes if not o.passed} == {
        "keys_not_null",
        "keys_unique",
        "value_ranges",
        "row_count_vs_previous",
    }


def test_a_worker_never_asked_is_stopped_without_waiting_for_its_import() -> None:
    with ge_worker() as worker:
        pass
    assert worker.process.returncode == -signal.SIGKILL


def test_with_a_worker_this_process_never_imports_great_expectations() -> None:
    script = (
        "import json, sys\n"
        "sys.path.insert(0, 'tests/orchestration')\n"
        "from test_orch_ge_worker import BAD, HR_EMPLOYEES\n"
        "from orchestration.defs.sources.ge_worker import ge_worker\n"
        "from orchestration.defs.sources.quality import validate_table\n"
        "with ge_worker():\n"
        "    outcomes = validate_table(HR_EMPLOYEES, BAD, previous_count=100)\n"
        "print(json.dumps({'failed': sorted(o.check for o in outcomes if not o.passed),\n"
        "    'imported': 'great_expectations' in sys.modules}))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(completed.stdout.splitlines()[-1]) == {
        "failed": ["keys_not_null", "keys_unique", "row_count_vs_previous", "value_ranges"],
        "imported": False,
    }
