"""The landing step's quality gate: validate a source's export, then land it or refuse it.

Every table of the source is validated (orchestration/defs/sources/quality.py) against
the rows its previous load landed; the outcome of every check is written to
`<data>/quality/<source>.json`. If any check fails nothing of the source is landed:
an export is one unit, and the warehouse keeps the previous one whole.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyarrow as pa
from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, AssetKey, MetadataValue

from connectors.registry import RawTable, Source
from orchestration.defs.sources.file_manifest import ReadPlan
from orchestration.defs.sources.freshness import FRESH_CHECK, freshness
from orchestration.defs.sources.quality import (
    CheckOutcome,
    check_description,
    check_names,
    comparable_previous,
    validate_table,
)
from orchestration.landing_target import open_landing
from orchestration.quality_reports import SourceReport, check_reports, write_report


@dataclass(frozen=True)
class GateResult:
    """Every check outcome of a source's export, by table."""

    outcomes: Mapping[str, list[CheckOutcome]]

    @property
    def failed(self) -> list[CheckOutcome]:
        """The failed outcomes, table by table."""
        return [o for outcomes in self.outcomes.values() for o in outcomes if not o.passed]


def check_specs(key_of: Mapping[str, AssetKey], tables: Sequence[RawTable]) -> list[AssetCheckSpec]:
    """The blocking quality checks and the non-blocking freshness check of every table."""
    specs = []
    for table in tables:
        for name in check_names(table):
            specs.append(
                AssetCheckSpec(
                    name=name,
                    asset=key_of[table.name],
                    blocking=True,
                    description=check_description(table, name),
                )
            )
        specs.append(
            AssetCheckSpec(
                name=FRESH_CHECK,
                asset=key_of[table.name],
                description="the export is younger than its source's limit",
            )
        )
    return specs


def check_result(key: AssetKey, outcome: CheckOutcome) -> AssetCheckResult:
    """A blocking check's Dagster result, with its failures and sample rows as metadata."""
    metadata = {}
    if not outcome.passed:
        metadata = {
            "failures": MetadataValue.md("\n".join(f"- {f}" for f in outcome.failures)),
            "sample_rows": MetadataValue.json(list(outcome.sample_rows)),
        }
    return AssetCheckResult(
        asset_key=key,
        check_name=outcome.check,
        passed=outcome.passed,
        severity=AssetCheckSeverity.ERROR,
        metadata=metadata,
        description=outcome.message(),
    )


def freshness_result(
    key: AssetKey, source: str, exported_at: datetime | None, now: datetime
) -> AssetCheckResult:
    """The freshness warning of a table whose export was made at `exported_at`."""
    state = freshness(source, exported_at, now)
    metadata = {"age_hours": state.age_hours, "max_age_hours": state.max_age_hours}
    return AssetCheckResult(
        asset_key=key,
        check_name=FRESH_CHECK,
        passed=not state.stale,
        severity=AssetCheckSeverity.WARN,
        metadata={k: v for k, v in metadata.items() if v is not None},
        description=state.describe(),
    )


def run_gate(
    source: Source,
    tables: Mapping[str, pa.Table],
    warehouse_path: Path,
    batch_id: str,
    checked_at: datetime,
    plan: ReadPlan | None = None,
) -> GateResult:
    """Validate every table of `source` and record the outcome in the data folder.

    On an incremental landing (`plan` reads only new or changed files) the row count is
    compared with what the files read landed before, not with a whole export's.
    """
    # The settings' engine: `warehouse_path` is the DuckDB file, unused on PostgreSQL.
    with open_landing(warehouse_path) as target:
        if plan is None or plan.full:
            previous = target.previous_counts()
        else:
            read = sorted(plan.read)
            previous = {t.name: target.rows_from_files(t, read) for t in source.tables}
    outcomes = {}
    for table in source.tables:
        rows = tables.get(table.name, table.schema.empty_table())
        outcomes[table.name] = validate_table(
            table, rows, comparable_previous(rows, previous.get(table.name))
        )
    result = GateResult(outcomes)
    every = [o for table_outcomes in outcomes.values() for o in table_outcomes]
    write_report(
        SourceReport(
            source=source.name,
            batch_id=batch_id,
            checked_at=checked_at,
            landed=not result.failed,
            checks=check_reports(every),
        )
    )
    return result
