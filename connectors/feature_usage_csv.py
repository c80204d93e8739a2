"""Pre-aggregated daily feature usage into `analytics__daily_feature_usage`.

For teams whose analytics live elsewhere: `analytics/feature_usage/*.csv[.gz]` with the
header `date,app,feature,account_id,users,events` — one line per day, app, feature and
(optionally) partner account. `feature` is the event type the catalog's `features`
name; `users` is the distinct users of the day (required), `events` how often the
feature was used (optional). Each line lands as one row, keyed by file and line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa

from connectors import schemas
from connectors.arrow_tables import TableBuilder
from connectors.csv_headers import map_columns, read_header
from connectors.registry import FileChoice, every_file
from connectors.source_files import iter_csv_rows, relative_name
from connectors.values import cell, parse_date, parse_number, required, text

FEATURE_USAGE_DIR = Path("analytics") / "feature_usage"
CANDIDATES: dict[str, tuple[str, ...]] = {
    c: (c,) for c in ("date", "app", "feature", "account_id", "users", "events")
}
REQUIRED = ("date", "feature", "users")
CSV_SUFFIXES = (".csv", ".csv.gz")


def parse_count(value: str | None) -> int | None:
    """A whole, non-negative count (`12`, `1,204`, `12.0`); empty gives None."""
    number = parse_number(value)
    if number is None:
        return None
    if number < 0 or number != int(number):
        raise ValueError(f"expected a whole number of 0 or more, got {text(value)!r}")
    return int(number)


def csv_files(folder: Path) -> list[Path]:
    """The CSV files anywhere under `folder`, in path order (none when it is absent)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name.endswith(CSV_SUFFIXES))


def usage_row(
    row: Mapping[str, str],
    names: Mapping[str, str],
    source: str,
    line: int,
    user_key: Callable[[str], str | None] | None = None,
    parse_day: Callable[[str | None], date | None] = parse_date,
) -> dict[str, Any]:
    """One usage row from a CSV line; `names` maps the usage columns to the file's."""

    def value(column: str, parse: Callable[[str | None], Any] = text) -> Any:
        name = names.get(column)
        return None if name is None else cell(parse, row.get(name), source, line, name)

    def need(column: str, parse: Callable[[str | None], Any] = text) -> Any:
        return required(value(column, parse), source, line, names[column])

    user = value("user") if user_key is not None else None
    return {
        "line_number": line,
        "usage_date": need("date", parse_day),
        "app": value("app"),
        "feature": need("feature"),
        "account_id": value("account_id"),
        "user_key": user_key(user) if user_key is not None and user else None,
        # A line of a per-user export (no `users` column) is one user's usage.
        "users": need("users", parse_count) if "users" in names else 1,
        "events": value("events", parse_count),
        "_source": source,
    }


def read_usage_files(
    files: Iterable[Path],
    sources_dir: Path,
    candidates: Mapping[str, tuple[str, ...]],
    required_columns: tuple[str, ...],
    user_key: Callable[[str], str | None] | None = None,
    parse_day: Callable[[str | None], date | None] = parse_date,
) -> pa.Table:
    """Usage rows from CSV `files` whose columns `candidates` names (see `map_columns`)."""
    builder = TableBuilder(schemas.ANALYTICS_DAILY_FEATURE_USAGE)
    for path in files:
        source = relative_name(path, sources_dir)
        names = map_columns(read_header(path, source), candidates, required_columns, source)
        for line, row in iter_csv_rows(path, source, list(names.values())):
            builder.add(usage_row(row, names, source, line, user_key, parse_day))
    return builder.finish()


def read_feature_usage_folder(sources_dir: Path, wanted: FileChoice = every_file) -> pa.Table:
    """`analytics__daily_feature_usage` from `analytics/feature_usage/*.csv` (of `wanted`)."""
    files = wanted(csv_files(sources_dir / FEATURE_USAGE_DIR))
    return read_usage_files(files, sources_dir, CANDIDATES, REQUIRED)
