"""The latest quality-gate result of every source, kept as JSON in the data folder.

Written by each landing step whether its checks pass or fail, so a failure that kept
the last good serving copy in place is still visible: on the data-health page, which
reads `latest_reports()`, and to anyone looking in `<data>/quality/`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from orchestration.settings import get_settings

REPORTS_DIR = "quality"


@dataclass(frozen=True)
class CheckReport:
    """One check of one raw table in a source's latest run."""

    table: str
    check: str
    passed: bool
    failures: tuple[str, ...]
    sample_rows: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class SourceReport:
    """A source's latest quality gate: its batch, when, and every check's outcome."""

    source: str
    batch_id: str
    checked_at: datetime
    landed: bool
    checks: tuple[CheckReport, ...]

    @property
    def failed(self) -> tuple[CheckReport, ...]:
        """The checks that failed."""
        return tuple(check for check in self.checks if not check.passed)


def reports_dir(data_dir: Path | None = None) -> Path:
    """`<data>/quality`."""
    return (data_dir or get_settings().data_dir) / REPORTS_DIR


def write_report(report: SourceReport, data_dir: Path | None = None) -> Path:
    """Replace `<data>/quality/<source>.json` with `report`, atomically."""
    folder = reports_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{report.source}.json"
    payload = {**asdict(report), "checked_at": report.checked_at.isoformat()}
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(payload, indent=1, default=str))
    os.replace(tmp, path)
    return path


def _report(payload: dict[str, Any]) -> SourceReport:
    return SourceReport(
        source=payload["source"],
        batch_id=payload["batch_id"],
        checked_at=datetime.fromisoformat(payload["checked_at"]),
        landed=bool(payload["landed"]),
        checks=tuple(
            CheckReport(
                table=c["table"],
                check=c["check"],
                passed=bool(c["passed"]),
                failures=tuple(c["failures"]),
                sample_rows=tuple(c["sample_rows"]),
            )
            for c in payload["checks"]
        ),
    )


def latest_reports(data_dir: Path | None = None) -> list[SourceReport]:
    """Every source's latest report, by source name; unreadable files are skipped."""
    folder = reports_dir(data_dir)
    if not folder.is_dir():
        return []
    reports = []
    for path in sorted(folder.glob("*.json")):
        try:
            reports.append(_report(json.loads(path.read_text())))
        except (ValueError, KeyError, TypeError):
            continue
    return reports


def check_reports(outcomes: Sequence[Any]) -> tuple[CheckReport, ...]:
    """`CheckReport`s of quality-gate outcomes (anything with the same fields)."""
    return tuple(
        CheckReport(o.table, o.check, o.passed, tuple(o.failures), tuple(o.sample_rows))
        for o in outcomes
    )
