"""Segment-format messages (`analytics/segment/**/*.json[l][.gz]`) into `analytics__events`.

One JSON message per line, as Segment's S3/GCS destinations and its spec write them
(`track`, `page`, `screen`, `identify`, `group`); every message becomes one row:

- `event_type`: the `event` of a track call; `page`, `screen`, `identify` or `group`
  for the others (a page's or screen's `name` goes into its properties).
- `event_id`: `messageId`, prefixed with the type for non-track calls (Segment's own
  warehouses keep each type in its own table, so only type + id is unique); a message
  without `messageId` gets a hash of its content. A repeated id is kept once.
- `event_time`: `timestamp`, else `originalTimestamp`, `sentAt`, `receivedAt`; a
  message with none (the spec's short examples) lands with a null time and counts in no
  month.
- `user_key`: `pseudonymise("user:" + userId)`, else `("device:" + anonymousId)`.
- `account_id`: `groupId` of a group call, else `context.groupId` (Segment's B2B spec).
- `app`, `platform`, `country`: `context.app.name`; `context.device.type`, else
  `context.os.name`, else `channel`; `context.location.country`.
- Identify and group `traits` never land: they are names, e-mails and addresses.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

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
from connectors.values import parse_timestamp, text

SEGMENT_DIR = Path("analytics") / "segment"
MESSAGE_TYPES = ("track", "page", "screen", "identify", "group")
TIME_FIELDS = ("timestamp", "originalTimestamp", "sentAt", "receivedAt")


def _get(mapping: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(mapping, Mapping):
            return None
        mapping = mapping.get(key)
    return mapping


def _event_time(message: Mapping[str, Any], source: str, line: int) -> Any:
    for name in TIME_FIELDS:
        if text(message.get(name)) is None:
            continue
        try:
            return parse_timestamp(message[name])
        except ValueError as error:
            raise SourceFileError(source, line, name, str(error)) from None
    return None


def message_row(
    message: Mapping[str, Any], pseudonymise: Pseudonymiser, source: str, line: int
) -> dict[str, Any]:
    """One `analytics__events` row from one Segment message."""
    kind = text(message.get("type"))
    kind = kind.lower() if kind else None
    if kind not in MESSAGE_TYPES:
        raise SourceFileError(
            source, line, "type", f"expected a Segment type {list(MESSAGE_TYPES)}, got {kind!r}"
        )
    if kind == "track":
        event_type = text(message.get("event"))
        if event_type is None:
            raise SourceFileError(source, line, "event", "expected the name of the tracked event")
    else:
        event_type = kind
    message_id = text(message.get("messageId")) or content_id(message)
    context = message.get("context")
    if kind in ("identify", "group"):
        properties = properties_json({})
    else:
        extra = {"name": text(message.get("name"))} if kind in ("page", "screen") else None
        properties = properties_json(message.get("properties"), extra)
    account = message.get("groupId") if kind == "group" else _get(context, "groupId")
    platform = (
        _get(context, "device", "type") or _get(context, "os", "name") or message.get("channel")
    )
    return {
        "event_id": message_id if kind == "track" else f"{kind}:{message_id}",
        "event_type": event_type,
        "event_time": _event_time(message, source, line),
        "user_key": user_key(pseudonymise, message.get("userId"), message.get("anonymousId")),
        "account_id": text(account),
        "app": text(_get(context, "app", "name")),
        "platform": text(platform),
        "country": text(_get(context, "location", "country")),
        "properties_json": properties,
        "_source": source,
    }


def read_segment_folder(
    sources_dir: Path,
    pseudonymise: Pseudonymiser,
    seen: set[str] | None = None,
    wanted: FileChoice = every_file,
) -> pa.Table:
    """`analytics__events` from every Segment file (of `wanted`) under `analytics/segment/`."""
    return read_event_files(
        wanted(event_files(sources_dir / SEGMENT_DIR)),
        sources_dir,
        lambda message, source, line, _path: message_row(message, pseudonymise, source, line),
        seen,
    )
