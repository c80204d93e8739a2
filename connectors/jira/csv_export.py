"""Jira's CSV export ("Export → CSV (all fields)") as `jira__issues` rows.

For teams that cannot get an API token. The export has no changelog, so status
history (and everything built on it) stays empty for these issues.

What real exports look like, and how each is read:
- **Repeated headers**: a multi-valued field gets one column per value, all with the
  same name (`Labels` ×5, `Sprint` ×3, `Component/s` ×2). Their non-empty cells are
  joined (`jira__issues` has no sprint column yet, so `Sprint` is not landed).
- **Dates** in the exporting user's format, e.g. `18/Jun/20 11:02 AM` or
  `30/Jul/18 23:33`, without a zone: they are taken as UTC.
- **People** as Cloud account ids (`Assignee Id`) or, on Data Center, user names in
  `Assignee`: keyed `pseudonymise("jira:" + id)` as the API reader keys users it has no
  e-mail for. Display names never leave this module.
- **Parents** by id (`Parent id` on DC, `Parent` on Cloud, alongside `Parent summary`)
  or key (`Parent key`); ids are resolved to keys through the export itself.
- **Custom fields** by name: `Custom field (Story Points)`,
  `Custom field (Story point estimate)`, `Custom field (Epic Link)`.
- **Status category** from the `Status Category` column when the export has one
  (`To Do`/`In Progress`/`Done`); otherwise it stays null and the catalog's status
  map gives the meaning.

Jira caps one export at 1000 issues, so `jira/` may hold several `*.csv[.gz]` files;
an issue in more than one is kept once, from the file where it was updated last.
"""

from __future__ import annotations

import csv
import re
import zlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from connectors import schemas
from connectors.arrow_tables import TableBuilder
from connectors.errors import SourceFileError
from connectors.pseudonymise import Pseudonymiser
from connectors.source_files import open_text, relative_name
from connectors.text_encodings import decode_error, sniff_encoding
from connectors.values import parse_number, parse_timestamp, text

REQUIRED = ("Issue key", "Issue id")
STORY_POINT_COLUMNS = ("Custom field (Story Points)", "Custom field (Story point estimate)")
EPIC_LINK_COLUMN = "Custom field (Epic Link)"
EPIC_TYPE_NAMES = frozenset({"Epic"})
# Jira's own English status category names, and the keys the API uses.
STATUS_CATEGORIES = {
    "to do": "new",
    "new": "new",
    "in progress": "indeterminate",
    "indeterminate": "indeterminate",
    "done": "done",
}
# The export writes dates in the user's Jira date format; these are Jira's defaults.
_DATE_FORMATS = (
    "%d/%b/%y %I:%M %p",
    "%d/%b/%y %H:%M",
    "%d/%b/%Y %I:%M %p",
    "%d/%b/%Y %H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
)
_KEY = re.compile(r"[A-Z][A-Z0-9_]*-\d+")


def parse_export_time(value: str | None) -> datetime | None:
    """A CSV export date (`18/Jun/20 11:02 AM`, `30/Jul/18 23:33`, ISO) as naive UTC."""
    cleaned = text(value)
    if cleaned is None:
        return None
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, pattern)
        except ValueError:
            continue
    try:
        return parse_timestamp(cleaned)
    except ValueError:
        raise ValueError(
            f"expected a Jira export date such as 18/Jun/20 11:02 AM, got {cleaned!r}"
        ) from None


class ExportRow:
    """One CSV line with its repeated columns: `first(name)` and `all(name)`."""

    def __init__(self, header: list[str], cells: list[str]) -> None:
        self._values: dict[str, list[str]] = {}
        for name, cell in zip(header, cells, strict=True):
            self._values.setdefault(name, []).append(cell)

    def first(self, *names: str) -> str | None:
        """The first non-empty cell among the columns called any of `names`."""
        for name in names:
            for cell in self._values.get(name, []):
                if text(cell) is not None:
                    return text(cell)
        return None

    def all(self, name: str) -> list[str]:
        """Every non-empty cell of the (repeated) column `name`, in column order."""
        return [t for t in (text(c) for c in self._values.get(name, [])) if t is not None]


def _export_rows(path: Path, source: str) -> Iterator[tuple[int, ExportRow]]:
    line = 1
    try:
        with open_text(path, legacy=True) as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise SourceFileError(source, 1, None, "expected a header line, the file is empty")
            header = [name.strip() for name in header]
            for name in REQUIRED:
                if name not in header:
                    raise SourceFileError(
                        source, 1, name, "expected this column of a Jira CSV export"
                    )
            for cells in reader:
                line = reader.line_num
                if not cells or (len(cells) == 1 and not cells[0].strip()):
                    continue
                if len(cells) != len(header):
                    raise SourceFileError(
                        source,
                        line,
                        None,
                        f"expected {len(header)} fields like the header, got {len(cells)}",
                    )
                yield line, ExportRow(header, cells)
    except csv.Error as error:
        raise SourceFileError(source, line + 1, None, f"expected CSV: {error}") from None
    except UnicodeDecodeError:
        raise decode_error(path, source, sniff_encoding(path, legacy=True), True) from None
    except (OSError, EOFError, zlib.error) as error:
        raise SourceFileError(
            source, line + 1, None, f"expected a readable file: {error}"
        ) from None


def _cell(parse: Any, value: str | None, source: str, line: int, column: str) -> Any:
    try:
        return parse(value)
    except ValueError as error:
        raise SourceFileError(source, line, column, str(error)) from None


def export_files(sources_dir: Path) -> list[Path]:
    """The CSV exports in `<sources_dir>/jira/` (`*.csv`, `*.csv.gz`), by name."""
    folder = sources_dir / "jira"
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.name.endswith((".csv", ".csv.gz"))
    )


def read_csv_exports(paths: list[Path], sources_dir: Path, pseudonymise: Pseudonymiser) -> pa.Table:
    """`jira__issues` from Jira CSV exports (each issue once, latest `Updated` wins)."""
    parsed: dict[str, tuple[dict[str, Any], ExportRow]] = {}
    for path in paths:
        source = relative_name(path, sources_dir)
        for line, row in _export_rows(path, source):
            issue_id = row.first("Issue id")
            if issue_id is None:
                raise SourceFileError(source, line, "Issue id", "expected the issue id")
            key = row.first("Issue key")
            points_column = next((c for c in STORY_POINT_COLUMNS if row.first(c)), None)
            user = row.first("Assignee Id") or row.first("Assignee")
            record = {
                "issue_id": issue_id,
                "issue_key": key,
                "project_key": row.first("Project key") or (key.rsplit("-", 1)[0] if key else None),
                "issue_type": row.first("Issue Type"),
                "summary": row.first("Summary"),
                "status": row.first("Status"),
                "status_category": STATUS_CATEGORIES.get(
                    (row.first("Status Category") or "").lower()
                ),
                "assignee_key": pseudonymise("jira:" + user) if user else None,
                "parent_key": None,
                "epic_key": None,
                "labels": ",".join(row.all("Labels")) or None,
                "components": ",".join(row.all("Component/s") or row.all("Components")) or None,
                "story_points": _cell(
                    parse_number,
                    row.first(points_column) if points_column else None,
                    source,
                    line,
                    points_column or "",
                ),
                "created_at": _cell(
                    parse_export_time, row.first("Created"), source, line, "Created"
                ),
                "updated_at": _cell(
                    parse_export_time, row.first("Updated"), source, line, "Updated"
                ),
                "resolved_at": _cell(
                    parse_export_time, row.first("Resolved"), source, line, "Resolved"
                ),
                "_source": source,
            }
            previous = parsed.get(issue_id)
            if previous is None or (record["updated_at"] or datetime.min) >= (
                previous[0]["updated_at"] or datetime.min
            ):
                parsed[issue_id] = (record, row)

    key_of_id = {issue_id: rec["issue_key"] for issue_id, (rec, _) in parsed.items()}
    type_of_key = {rec["issue_key"]: rec["issue_type"] for rec, _ in parsed.values()}

    def as_key(reference: str | None) -> str | None:
        if reference is None:
            return None
        if _KEY.fullmatch(reference):
            return reference
        return key_of_id.get(reference)

    builder = TableBuilder(schemas.JIRA_ISSUES)
    for record, row in parsed.values():
        parent = as_key(row.first("Parent key", "Parent id", "Parent"))
        record["parent_key"] = parent
        epic = as_key(row.first(EPIC_LINK_COLUMN))
        if epic is None and parent is not None and type_of_key.get(parent) in EPIC_TYPE_NAMES:
            epic = parent
        record["epic_key"] = epic
        builder.add(record)
    return builder.finish()
