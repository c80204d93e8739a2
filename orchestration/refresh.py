"""`run_refresh()`: land every source, build the dbt project and publish, in this process.

This is what `productops refresh` runs: the same Dagster graph `dagster dev` shows,
executed in-process on an ephemeral instance, with one progress line per finished
step. If any step fails it raises `RefreshFailed` and the serving copy is not replaced.
"""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Callable, Collection, Sequence
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dagster import (
    AssetCheckSeverity,
    AssetKey,
    AssetSelection,
    DagsterEventType,
    DagsterInstance,
    Definitions,
    EventLogEntry,
)

from orchestration.dagster_home import prepare_dagster_home
from orchestration.settings import get_settings

if TYPE_CHECKING:
    from dagster._utils.error import SerializableErrorInfo


class RefreshFailed(RuntimeError):
    """A refresh step failed; nothing was published. Names the step and the error.

    `details` holds the failing code's stack trace, for a verbose report.
    """

    def __init__(self, step: str, error: str, details: str = "") -> None:
        super().__init__(step, error)
        self.step = step
        self.error = error
        self.details = details
        self.log_path: Path | None = None

    def __str__(self) -> str:
        text = f"{self.step} failed: {self.error}"
        return f"{text} (full log: {self.log_path})" if self.log_path else text


@dataclass(frozen=True)
class StepReport:
    """One finished step: its name, how long it took and what it materialized."""

    step: str
    seconds: float
    assets: int
    rows: int | None
    checks_passed: int = 0
    checks_failed: int = 0
    checks_warned: int = 0


@dataclass(frozen=True)
class RefreshResult:
    """A successful refresh: its batch (= Dagster run id), its steps and the published marts."""

    batch_id: str
    serving_path: Path
    log_path: Path
    seconds: float
    steps: tuple[StepReport, ...]
    mart_rows: dict[str, int]

    @property
    def rows_by_source(self) -> dict[str, int]:
        """Rows landed per source (its `raw_<source>` step), in landing order."""
        return {
            step.step.removeprefix("raw_"): step.rows or 0
            for step in self.steps
            if step.step.startswith("raw_")
        }

    def checks(self) -> tuple[int, int, int]:
        """(passed, failed, failed as warnings only) over every step."""
        return (
            sum(step.checks_passed for step in self.steps),
            sum(step.checks_failed for step in self.steps),
            sum(step.checks_warned for step in self.steps),
        )


def format_summary(result: RefreshResult) -> list[str]:
    """The lines closing a refresh: rows per source, checks, marts published, time."""
    rows = result.rows_by_source
    passed, failed, warned = result.checks()
    checks = f"checks: {passed} passed, {failed} failed"
    if warned:
        checks += f" ({warned} of them warnings)"
    sources = f"{len(rows)} source{'s' if len(rows) != 1 else ''}"
    published = f"{len(result.mart_rows)} marts published in {result.seconds:.1f}s"
    lines = [f"summary: {sum(rows.values()):,} rows landed from {sources}; {checks}; {published}"]
    width = max((len(name) for name in rows), default=0)
    lines += [f"  {name:<{width}}  {count:>12,} rows" for name, count in rows.items()]
    return lines


def _innermost(error: SerializableErrorInfo) -> SerializableErrorInfo:
    # Dagster wraps user code errors ("Error occurred while executing op ..."); the
    # cause is what names the file, table or model.
    while error.cause is not None and error.cls_name.startswith("Dagster"):
        error = error.cause
    return error


def describe_error(error: SerializableErrorInfo | None) -> str:
    """The user's own error inside Dagster's wrappers, as `Type: message`."""
    if error is None:
        return "unknown error"
    error = _innermost(error)
    message = error.message.strip()
    # Python formats the exception as "package.module.Type: message"; keep just the type.
    qualified, sep, rest = message.partition(": ")
    if sep and qualified.rsplit(".", 1)[-1] == error.cls_name:
        message = rest
    return f"{error.cls_name}: {message}" if error.cls_name else message


def format_step_line(report: StepReport) -> str:
    """The progress line of a finished step."""
    what = f"{report.assets} asset{'s' if report.assets != 1 else ''}"
    if report.rows is not None:
        what += f", {report.rows:,} row{'s' if report.rows != 1 else ''}"
    if report.checks_passed or report.checks_failed:
        what += f", {report.checks_passed} checks passed"
    if report.checks_failed:
        what += f", {report.checks_failed} failed"
    if report.checks_warned:
        what += f" ({report.checks_warned} warnings)"
    return f"{report.step}: done, {what} ({report.seconds:.1f}s)"


@dataclass
class _ProgressListener:
    """Follows the run's events: reports each finished step, keeps the first failure."""

    progress: Callable[[str], None]
    assets: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    checks_passed: dict[str, int] = field(default_factory=dict)
    checks_failed: dict[str, int] = field(default_factory=dict)
    checks_warned: dict[str, int] = field(default_factory=dict)
    steps: list[StepReport] = field(default_factory=list)
    mart_rows: dict[str, int] = field(default_factory=dict)
    finished: set[str] = field(default_factory=set)
    failure: RefreshFailed | None = None

    def __call__(self, entry: EventLogEntry) -> None:
        event = entry.dagster_event
        if event is None or event.step_key is None:
            return
        step = event.step_key
        if event.event_type == DagsterEventType.ASSET_MATERIALIZATION:
            self.assets[step] = self.assets.get(step, 0) + 1
            metadata = event.step_materialization_data.materialization.metadata
            if "dagster/row_count" in metadata:
                self.rows[step] = self.rows.get(step, 0) + int(metadata["dagster/row_count"].value)
            if "row_counts" in metadata and entry.dagster_event.asset_key.path == ["publish"]:
                self.mart_rows = dict(metadata["row_counts"].value)
        elif event.event_type == DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            tally = self.checks_passed if evaluation.passed else self.checks_failed
            tally[step] = tally.get(step, 0) + 1
            if not evaluation.passed and evaluation.severity == AssetCheckSeverity.WARN:
                self.checks_warned[step] = self.checks_warned.get(step, 0) + 1
        elif event.event_type == DagsterEventType.STEP_SUCCESS:
            self.finished.add(step)
            report = StepReport(
                step=step,
                seconds=event.event_specific_data.duration_ms / 1000,
                assets=self.assets.get(step, 0),
                rows=self.rows.get(step),
                checks_passed=self.checks_passed.get(step, 0),
                checks_failed=self.checks_failed.get(step, 0),
                checks_warned=self.checks_warned.get(step, 0),
            )
            self.steps.append(report)
            self.progress(format_step_line(report))
        elif event.event_type == DagsterEventType.STEP_FAILURE:
            self.finished.add(step)
            error_info = event.event_specific_data.error
            error = describe_error(error_info)
            self.progress(f"{step}: FAILED: {error}")
            if self.failure is None:
                details = "".join(_innermost(error_info).stack) if error_info else ""
                self.failure = RefreshFailed(step, error, details)


# The progress lines and RefreshFailed report the run; Dagster's own console log of
# every event would bury them.
_QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


def _load_definitions() -> Definitions:
    from orchestration.defs.dbt.resources import DbtParseFailed, ensure_manifest

    try:
        ensure_manifest()
    except DbtParseFailed as error:
        raise RefreshFailed("dbt parse", str(error)) from error
    from orchestration.definitions import defs

    return defs


def run_refresh(
    progress: Callable[[str], None] = print,
    definitions: Definitions | None = None,
    select: Sequence[str] = (),
    asset_selection: Collection[AssetKey] | None = None,
) -> RefreshResult:
    """Materialize the assets of `definitions` (default: orchestration.definitions) in-process.

    Everything by default; `select` names sources, raw tables or models to refresh with
    everything downstream of them (orchestration/selection.py), `asset_selection` gives
    the asset keys directly (what a sensor's run request holds).
    Reports one line per step to `progress` as it finishes; everything the steps print
    (dbt's own log among it) goes to `<data_dir>/logs/refresh.log` instead of the
    terminal. Raises `RefreshFailed` naming the first failing step and its error; the
    serving copy is then left as it was.
    """
    started = time.monotonic()
    settings = get_settings()
    definitions = definitions if definitions is not None else _load_definitions()
    job = definitions.resolve_implicit_global_asset_job_def()
    if select:
        from orchestration.selection import resolve_selection

        asset_selection = resolve_selection(select, definitions.resolve_asset_graph())
    # A refresh never renders the board pack: only the quarter-end schedule selects it.
    from orchestration.defs.automation.schedules import BOARD_PACK_GROUP

    graph = definitions.resolve_asset_graph()
    held_back = AssetSelection.groups(BOARD_PACK_GROUP).resolve(graph)
    if held_back:
        chosen = graph.get_all_asset_keys() if asset_selection is None else asset_selection
        asset_selection = set(chosen) - held_back
    if asset_selection is not None:
        job = job.get_subset(asset_selection=set(asset_selection))
    prepare_dagster_home(settings.dagster_home)
    log_path = settings.data_dir / "logs" / "refresh.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    terminal = sys.stdout
    run_id = str(uuid.uuid4())
    with log_path.open("w") as log:

        def report(line: str) -> None:
            log.write(line + "\n")
            log.flush()
            with redirect_stdout(terminal):
                progress(line)

        listener = _ProgressListener(report)
        instance = DagsterInstance.ephemeral(tempdir=str(settings.dagster_home))
        instance.add_event_listener(run_id, listener)
        try:
            with redirect_stdout(log):
                result = job.execute_in_process(
                    run_config=_QUIET, instance=instance, run_id=run_id, raise_on_error=False
                )
        finally:
            instance.dispose()
        if not result.success:
            for node in job.graph.nodes_in_topological_order:
                if node.name not in listener.finished:
                    report(f"{node.name}: not run, a step it depends on failed")
            failure = listener.failure
            if failure is None:
                run_failure = result.get_run_failure_event()
                failure = RefreshFailed(
                    "refresh", run_failure.message if run_failure else "the run failed"
                )
            log.write(failure.details)
            failure.log_path = log_path
            raise failure
    return RefreshResult(
        batch_id=run_id,
        serving_path=settings.serving_path,
        log_path=log_path,
        seconds=time.monotonic() - started,
        steps=tuple(listener.steps),
        mart_rows=listener.mart_rows,
    )
