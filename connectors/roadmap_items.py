"""What every roadmap reader shares: the `roadmap__items` row, item types and status checks.

Productboard, the generic exports and Aha!'s initiatives, releases and goals land in
`roadmap__items`, keyed by (tool, item_type, item_id). A tool's status names mean
something only through the catalog's `statuses.<tool>` map; a status the map does not
know is an error naming the source, the record and the field, because a misspelt
"Accepted" would silently turn a decision into a pending item.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pyarrow as pa

from connectors.errors import SourceFileError

ITEM_TYPES = (
    "idea",
    "feature",
    "initiative",
    "release",
    "goal",
    "component",
    "product",
    "note",
)

# tool -> {status name -> meaning}
StatusMaps = Mapping[str, Mapping[str, str]]


def status_maps(status_map_table: pa.Table) -> dict[str, dict[str, str]]:
    """`catalog__status_map` rows as {tool: {status: meaning}}."""
    maps: dict[str, dict[str, str]] = {}
    for row in status_map_table.to_pylist():
        maps.setdefault(row["tool"], {})[row["status"]] = row["meaning"]
    return maps


def checked_status(
    status: str | None,
    tool: str,
    maps: StatusMaps,
    source: str,
    record: str,
    field: str = "status",
    line: int | None = None,
) -> str | None:
    """`status` if the catalog maps it for `tool` (None passes); otherwise an error.

    The error names the source (file or URL), the record and the field, e.g.
    `https://x/features, column 'features[id=7].status': ...`.
    """
    if status is None or status in maps.get(tool, {}):
        return status
    known = sorted(maps.get(tool, {}))
    hint = (
        f"the catalog maps {known}" if known else f"the catalog has no statuses.{tool} map; add one"
    )
    raise SourceFileError(
        source,
        line,
        f"{record}.{field}" if line is None else field,
        f"unknown {tool} status {status!r} of {record}: {hint} "
        "(meanings: new, in_progress, accepted, declined, delivered, done)",
    )


def item_row(
    *,
    tool: str,
    item_type: str,
    item_id: str,
    source: str,
    reference: str | None = None,
    name: str | None = None,
    product_ref: str | None = None,
    parent_id: str | None = None,
    status: str | None = None,
    release_name: str | None = None,
    release_date: date | None = None,
    created_at: datetime | None = None,
    updated_at: datetime | None = None,
) -> dict[str, Any]:
    """One `roadmap__items` row (keyword arguments, so no column can be swapped)."""
    if item_type not in ITEM_TYPES:
        raise ValueError(f"item_type must be one of {ITEM_TYPES}, got {item_type!r}")
    return {
        "tool": tool,
        "item_type": item_type,
        "item_id": item_id,
        "reference": reference,
        "name": name,
        "product_ref": product_ref,
        "parent_id": parent_id,
        "status": status,
        "release_name": release_name,
        "release_date": release_date,
        "created_at": created_at,
        "updated_at": updated_at,
        "_source": source,
    }
