"""Mixpanel raw export (`analytics/mixpanel/**/*.json[l][.gz]`) into `analytics__events`.

The Raw Event Export API (`/api/2.0/export`) writes one event per line:
`{"event": "...", "properties": {"time": ..., "distinct_id": ..., "$insert_id": ...}}`.

- `event_id`: `$insert_id` (Mixpanel's de-duplication key); an event without one gets a
  hash of its content. A repeated id is kept once, as Mixpanel does.
- `event_time`: `time`, in seconds since the epoch (milliseconds in newer exports,
  recognised by size), UTC.
- `user_key`: `pseudonymise("user:" + $user_id)`, else the `distinct_id` when it is not
  a device id, else `("device:" + $device_id)` (Mixpanel writes anonymous distinct ids
  as `$device:<id>`).
- `account_id`: the `partner` group property; `app`: the `app` property, else the folder
  the file sits in (`analytics/mixpanel/payments/2025-03.jsonl` → `payments`, one folder
  per Mixpanel project); `platform`: `$os`; `country`: `mp_country_code`.
- Properties keep the project's own; Mixpanel's reserved `$...`/`mp_...` ones and
  personal ones (see `connectors.event_rows`) are dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from connectors.amplitude import ACCOUNT_GROUP
from connectors.errors import SourceFileError
from connectors.event_rows import (
    content_id,
    event_files,
    properties_json,
    read_event_files,
    user_key,
)
from connectors.pseudonymise import Pseudonymiser
from connectors.registry import FileChoice, every_file
from connectors.values import parse_number, text

MIXPANEL_DIR = Path("analytics") / "mixpanel"
DEVICE_PREFIX = "$device:"
# Epoch values above this are milliseconds: as seconds they would be after year 5138.
_MILLIS_FROM = 10**11
_RESERVED = ("$", "mp_")
_ALSO_RESERVED = frozenset({"time", "distinct_id", "app", ACCOUNT_GROUP})


def _event_time(value: Any, source: str, line: int) -> datetime:
    try:
        seconds = parse_number(value)
    except ValueError:
        seconds = None
    if seconds is None or seconds < 0:
        raise SourceFileError(
            source, line, "properties.time", f"expected seconds since 1970 (UTC), got {value!r}"
        )
    if seconds >= _MILLIS_FROM:
        seconds /= 1000
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)


def event_row(
    event: Mapping[str, Any], pseudonymise: Pseudonymiser, source: str, line: int, app: str | None
) -> dict[str, Any]:
    """One `analytics__events` row from one exported Mixpanel event."""
    name = text(event.get("event"))
    if name is None:
        raise SourceFileError(source, line, "event", "expected the event name")
    properties = event.get("properties")
    if not isinstance(properties, Mapping):
        raise SourceFileError(source, line, "properties", "expected an object of properties")
    get = properties.get
    distinct = text(get("distinct_id"))
    known_user = text(get("$user_id")) or (
        distinct if distinct and not distinct.startswith(DEVICE_PREFIX) else None
    )
    device = text(get("$device_id")) or (
        distinct[len(DEVICE_PREFIX) :] if distinct and distinct.startswith(DEVICE_PREFIX) else None
    )
    own = {
        k: v
        for k, v in properties.items()
        if not str(k).startswith(_RESERVED) and k not in _ALSO_RESERVED
    }
    return {
        "event_id": text(get("$insert_id")) or content_id(event),
        "event_type": name,
        "event_time": _event_time(get("time"), source, line),
        "user_key": user_key(pseudonymise, known_user, device),
        "account_id": text(get(ACCOUNT_GROUP)),
        "app": text(get("app")) or app,
        "platform": text(get("$os")),
        "country": text(get("mp_country_code")),
        "properties_json": properties_json(own),
        "_source": source,
    }


def read_mixpanel_folder(
    sources_dir: Path,
    pseudonymise: Pseudonymiser,
    seen: set[str] | None = None,
    wanted: FileChoice = every_file,
) -> pa.Table:
    """`analytics__events` from every Mixpanel export file (of `wanted`) in `analytics/mixpanel/`."""
    folder = sources_dir / MIXPANEL_DIR

    def project_app(path: Path) -> str | None:
        return path.parent.name if path.parent != folder else None

    return read_event_files(
        wanted(event_files(folder)),
        sources_dir,
        lambda event, source, line, path: event_row(
            event, pseudonymise, source, line, project_app(path)
        ),
        seen,
    )
