"""Pendo feature-event CSVs (`analytics/pendo/*.csv[.gz]`) into
`analytics__daily_feature_usage`.

Pendo's feature events are already aggregated: one line per visitor, account, feature
and day (or hour) with the number of events, as its Data Explorer and `featureEvents`
aggregation export them. Columns are recognised by these names (first present wins):

| usage column | Pendo column |
|---|---|
| date | `Day`, `Date`, `day` (`YYYY-MM-DD`; an hourly `2025-03-04 10:00:00` counts on its day) |
| feature | `Feature`, `Feature Name`, `featureId` |
| user | `Visitor ID`, `visitorId` → `pseudonymise("user:" + id)`; one user per line |
| account_id | `Account ID`, `accountId` |
| app | `App`, `App Name`, `appId` |
| events | `Number of Events`, `Events`, `numEvents` |

The visitor id is pseudonymised like every analytics user, so a user seen in Pendo and
in Amplitude is one `user_key`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa

from connectors.feature_usage_csv import csv_files, read_usage_files
from connectors.pseudonymise import Pseudonymiser
from connectors.registry import FileChoice, every_file
from connectors.values import parse_date, text

PENDO_DIR = Path("analytics") / "pendo"
CANDIDATES: dict[str, tuple[str, ...]] = {
    "date": ("Day", "Date", "day"),
    "feature": ("Feature", "Feature Name", "featureId"),
    "user": ("Visitor ID", "visitorId"),
    "account_id": ("Account ID", "accountId"),
    "app": ("App", "App Name", "appId"),
    "events": ("Number of Events", "Events", "numEvents"),
}
REQUIRED = ("date", "feature", "user")


def parse_day(value: str | None) -> date | None:
    """A Pendo day: `YYYY-MM-DD`, or an hour `YYYY-MM-DD HH:MM[:SS]` counted on its day."""
    cleaned = text(value)
    if cleaned is not None and len(cleaned) > 10 and cleaned[10] in " T":
        cleaned = cleaned[:10]
    return parse_date(cleaned)


def read_pendo_folder(
    sources_dir: Path, pseudonymise: Pseudonymiser, wanted: FileChoice = every_file
) -> pa.Table:
    """`analytics__daily_feature_usage` from every Pendo feature-event CSV (of `wanted`)."""
    return read_usage_files(
        wanted(csv_files(sources_dir / PENDO_DIR)),
        sources_dir,
        CANDIDATES,
        REQUIRED,
        user_key=lambda visitor: pseudonymise("user:" + visitor),
        parse_day=parse_day,
    )
