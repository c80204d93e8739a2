"""What every analytics-event reader shares: streaming files into `analytics__events`,
keeping an event once, and keeping people's identities out of event properties.

End users are pseudonymised like Amplitude's (`pseudonymise("user:" + id)`, anonymous
ones `pseudonymise("device:" + id)`), so one person seen by two tools is one `user_key`.
Properties that identify a person (`PERSONAL_PROPERTIES`, and any value shaped like an
e-mail address) are dropped at the door: a `Signed Up` event often carries the sign-up
form.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from connectors import schemas
from connectors.arrow_tables import TableBuilder
from connectors.pseudonymise import Pseudonymiser
from connectors.source_files import iter_json_lines, relative_name
from connectors.values import text

EVENT_FILE_SUFFIXES = (".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
# Compared after lowercasing and dropping `_`, `-`, `$` and blanks: `first_name`,
# `First Name` and `$first_name` are one key.
PERSONAL_PROPERTIES = frozenset(
    {
        "email",
        "emailaddress",
        "firstname",
        "lastname",
        "fullname",
        "name",
        "username",
        "phone",
        "phonenumber",
        "mobile",
        "address",
        "streetaddress",
        "ip",
        "birthday",
        "dateofbirth",
    }
)
_KEY_NOISE = re.compile(r"[\s_\-$]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_encode = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str).encode


def is_personal(key: str, value: Any) -> bool:
    """True for a property that identifies a person: a personal key or an e-mail value."""
    if _KEY_NOISE.sub("", key.lower()) in PERSONAL_PROPERTIES:
        return True
    return isinstance(value, str) and _EMAIL.fullmatch(value.strip()) is not None


def properties_json(properties: Any, extra: Mapping[str, Any] | None = None) -> str:
    """Event properties as sorted JSON text, personal ones dropped; `extra` added after."""
    kept: dict[str, Any] = {}
    if isinstance(properties, Mapping):
        kept = {str(k): v for k, v in properties.items() if not is_personal(str(k), v)}
    if extra:
        kept.update({k: v for k, v in extra.items() if v is not None})
    return _encode(kept)


def user_key(pseudonymise: Pseudonymiser, user_id: Any, device_id: Any) -> str | None:
    """`pseudonymise("user:" + user_id)`, else `("device:" + device_id)`, else None."""
    user = text(user_id)
    if user is not None:
        return pseudonymise("user:" + user)
    device = text(device_id)
    return pseudonymise("device:" + device) if device is not None else None


def content_id(record: Mapping[str, Any]) -> str:
    """A stable id for an event its tool sent without one: a hash of its whole content."""
    return hashlib.sha256(_encode(record).encode("utf-8")).hexdigest()[:32]


def event_files(folder: Path) -> list[Path]:
    """Event files anywhere under `folder`, in path order (empty when it is absent)."""
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.rglob("*") if p.is_file() and p.name.endswith(EVENT_FILE_SUFFIXES)
    )


def read_event_files(
    files: Iterable[Path],
    sources_dir: Path,
    row_for: Callable[[Mapping[str, Any], str, int, Path], dict[str, Any] | None],
    seen: set[str] | None = None,
    batch_rows: int = 50_000,
) -> pa.Table:
    """`analytics__events` from JSON-lines files, streamed into record batches.

    `row_for(record, source, line, path)` turns one line into a row (None skips it); an
    `event_id` already in `seen` (from these files or another tool's) is kept once.
    """
    builder = TableBuilder(schemas.ANALYTICS_EVENTS, batch_rows=batch_rows)
    seen = set() if seen is None else seen
    for path in files:
        source = relative_name(path, sources_dir)
        for line, record in iter_json_lines(path, source):
            row = row_for(record, source, line, path)
            if row is None or row["event_id"] in seen:
                continue
            seen.add(row["event_id"])
            builder.add(row)
    return builder.finish()
