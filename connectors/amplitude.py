"""Amplitude Export API files (`analytics/amplitude/*.json.gz`) into `analytics__events`.

Files are JSON lines (gzipped or not: `.json.gz`, `.json`, `.jsonl`, `.jsonl.gz`),
streamed line by line into record batches so a year of events never sits in memory as
Python objects. End users are pseudonymised: `user_key` is `pseudonymise("user:" +
user_id)`, or `pseudonymise("device:" + device_id)` for anonymous events. An event is
identified by `$insert_id` (Amplitude's own de-duplication key, `uuid` when absent);
a repeated id is kept once, as Amplitude itself does. Personal event properties (a
personal key or an e-mail-shaped value, see `connectors.event_rows`) are dropped.

This is the reference reader; `connectors.amplitude_duckdb` builds the same table
set-based in DuckDB for large folders and falls back to this code where it must.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from connectors import schemas
from connectors.arrow_tables import TableBuilder
from connectors.errors import SourceFileError
from connectors.event_rows import properties_json
from connectors.pseudonymise import Pseudonymiser
from connectors.registry import FileChoice, every_file
from connectors.source_files import iter_json_lines, relative_name
from connectors.values import parse_timestamp, text

AMPLITUDE_DIR = Path("analytics") / "amplitude"
FILE_SUFFIXES = (".json.gz", ".json", ".jsonl", ".jsonl.gz")
ACCOUNT_GROUP = "partner"
# One encoder for every event: json.dumps would build a new one per call.
_properties_json = json.JSONEncoder(sort_keys=True, ensure_ascii=False).encode


def amplitude_files(folder: Path) -> list[Path]:
    """The export files in `folder`, in name order (Amplitude names them by hour)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.endswith(FILE_SUFFIXES))


def _string(value: Any) -> str | None:
    """A machine-written value as text; empty is None. (Lean: called ~10× per event.)"""
    if value.__class__ is str:
        return value or None
    return None if value is None else text(value)


def _account_id(groups: Any) -> str | None:
    if not isinstance(groups, Mapping):
        return None
    account = groups.get(ACCOUNT_GROUP)
    # Amplitude sends a group value as a string or, for multi-group users, a list.
    if isinstance(account, list):
        account = account[0] if account else None
    return _string(account)


def _event_time(value: Any, source: str, line: int) -> datetime:
    try:
        parsed = parse_timestamp(value)
    except ValueError as error:
        raise SourceFileError(source, line, "event_time", str(error)) from None
    if parsed is None:
        raise SourceFileError(source, line, "event_time", "expected the event time")
    return parsed


def _event_properties(value: Any) -> str:
    """`event_properties` as sorted JSON text, personal properties dropped."""
    if isinstance(value, Mapping):
        return properties_json(value)
    # Not an object (Amplitude always sends one): kept as it came, as it always was.
    return _properties_json(value or {})


def event_row(
    event: Mapping[str, Any], pseudonymise: Pseudonymiser, source: str, line: int
) -> dict[str, Any]:
    """One `analytics__events` row from one exported event."""
    get = event.get
    event_id = _string(get("$insert_id")) or _string(get("uuid"))
    if event_id is None:
        raise SourceFileError(
            source, line, "$insert_id", "expected an event id ($insert_id or uuid)"
        )
    user_id = _string(get("user_id"))
    if user_id is not None:
        user_key = pseudonymise("user:" + user_id)
    else:
        device_id = _string(get("device_id"))
        user_key = pseudonymise("device:" + device_id) if device_id is not None else None
    return {
        "event_id": event_id,
        "event_type": _string(get("event_type")),
        "event_time": _event_time(get("event_time"), source, line),
        "user_key": user_key,
        "account_id": _account_id(get("groups")),
        "app": _string(get("app")),
        "platform": _string(get("platform")),
        "country": _string(get("country")),
        "properties_json": _event_properties(get("event_properties")),
        "_source": source,
    }


def _events(files: list[Path], sources_dir: Path) -> Iterator[tuple[str, int, dict[str, Any]]]:
    for path in files:
        source = relative_name(path, sources_dir)
        for line, event in iter_json_lines(path, source):
            yield source, line, event


def read_amplitude_folder(
    sources_dir: Path,
    pseudonymise: Pseudonymiser,
    batch_rows: int = 50_000,
    wanted: FileChoice = every_file,
) -> dict[str, pa.Table]:
    """`analytics__events` from every export file (an empty table when there are none).

    `wanted` narrows the files to read (an incremental landing reads new or changed ones).
    """
    builder = TableBuilder(schemas.ANALYTICS_EVENTS, batch_rows=batch_rows)
    seen: set[str] = set()
    files = wanted(amplitude_files(sources_dir / AMPLITUDE_DIR))
    for source, line, event in _events(files, sources_dir):
        row = event_row(event, pseudonymise, source, line)
        if row["event_id"] in seen:
            continue
        seen.add(row["event_id"])
        builder.add(row)
    return {schemas.ANALYTICS_EVENTS.name: builder.finish()}
