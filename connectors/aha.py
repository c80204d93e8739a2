"""Aha! v1 API pages (`roadmap/aha/{ideas,features,audits}_page_NNNN.json[.gz]`) into
`roadmap__ideas`, `roadmap__features` and `roadmap__history`.

A page is `{"<records>": [...], "pagination": {...}}`. The product prefix comes from
`product.reference_prefix`, or, for payloads without a product object (webhooks), from
the reference number (`PAY-I-12` → `PAY`). History keeps the two fields the marts
read, `workflow_status` and `release`; other audited changes are not landed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from connectors import schemas
from connectors.arrow_tables import TableBuilder
from connectors.errors import SourceFileError
from connectors.registry import FileChoice, every_file
from connectors.source_files import load_json, page_files, relative_name
from connectors.values import parse_date, parse_timestamp, text

AHA_DIR = Path("roadmap") / "aha"
HISTORY_FIELDS = ("workflow_status", "release")
AUDITED_TYPES = {"Idea": "idea", "Feature": "feature"}


class _Record:
    """One record of a page, with its place (`features[3]`) for error messages."""

    def __init__(self, record: Mapping[str, Any], source: str, where: str) -> None:
        self.record, self.source, self.where = record, source, where

    def error(self, key: str, message: str) -> SourceFileError:
        return SourceFileError(self.source, None, f"{self.where}.{key}", message)

    def id(self) -> str:
        value = text(self.record.get("id"))
        if value is None:
            raise self.error("id", "expected the record id")
        return value

    def nested(self, *path: str) -> str | None:
        value: Any = self.record
        for key in path:
            value = value.get(key) if isinstance(value, Mapping) else None
        return text(value)

    def timestamp(self, key: str) -> Any:
        try:
            return parse_timestamp(self.record.get(key))
        except ValueError as error:
            raise self.error(key, str(error)) from None

    def product_prefix(self) -> str | None:
        prefix = self.nested("product", "reference_prefix")
        reference = text(self.record.get("reference_num"))
        if prefix is None and reference and "-" in reference:
            prefix = reference.split("-", 1)[0]
        return prefix


def _records(pages: list[Path], sources_dir: Path, records_key: str) -> Iterator[_Record]:
    for path in pages:
        source = relative_name(path, sources_dir)
        page = load_json(path, source)
        if not isinstance(page, Mapping) or not isinstance(page.get(records_key), list):
            raise SourceFileError(
                source, None, records_key, f"expected an Aha! page with a {records_key!r} list"
            )
        for index, record in enumerate(page[records_key]):
            where = f"{records_key}[{index}]"
            if not isinstance(record, Mapping):
                raise SourceFileError(source, None, where, "expected a record object")
            yield _Record(record, source, where)


def idea_row(item: _Record) -> dict[str, Any]:
    """One `roadmap__ideas` row; the product area is the idea's first category."""
    categories = item.record.get("categories") or []
    first = categories[0] if isinstance(categories, list) and categories else None
    return {
        "idea_id": item.id(),
        "reference_num": text(item.record.get("reference_num")),
        "name": text(item.record.get("name")),
        "product_prefix": item.product_prefix(),
        "product_area": text(first.get("name")) if isinstance(first, Mapping) else None,
        "status": item.nested("workflow_status", "name"),
        "created_at": item.timestamp("created_at"),
        "updated_at": item.timestamp("updated_at"),
        "_source": item.source,
    }


def _custom_field(record: Mapping[str, Any], key: str) -> str | None:
    for entry in record.get("custom_fields") or []:
        if isinstance(entry, Mapping) and entry.get("key") == key:
            value = entry.get("value")
            # Multi-select custom fields come as lists; the first choice is the one used.
            if isinstance(value, list):
                value = value[0] if value else None
            return text(value)
    return None


def _jira_key(record: Mapping[str, Any]) -> str | None:
    for entry in record.get("integration_fields") or []:
        if (
            isinstance(entry, Mapping)
            and entry.get("service_name") == "jira"
            and entry.get("name") == "key"
        ):
            return text(entry.get("value"))
    return None


def feature_row(item: _Record) -> dict[str, Any]:
    """One `roadmap__features` row."""
    release = item.record.get("release")
    release = release if isinstance(release, Mapping) else {}
    try:
        release_date = parse_date(release.get("release_date"))
    except ValueError as error:
        raise item.error("release.release_date", str(error)) from None
    return {
        "feature_id": item.id(),
        "reference_num": text(item.record.get("reference_num")),
        "name": text(item.record.get("name")),
        "product_prefix": item.product_prefix(),
        "initiative_ref": item.nested("initiative", "reference_num"),
        "status": item.nested("workflow_status", "name"),
        "release_name": text(release.get("name")),
        "release_date": release_date,
        "category": _custom_field(item.record, "investment_category"),
        "customer": _custom_field(item.record, "customer"),
        "jira_epic_key": _jira_key(item.record),
        "created_at": item.timestamp("created_at"),
        "updated_at": item.timestamp("updated_at"),
        "_source": item.source,
    }


def _change_values(change: Any, item: _Record, field: str) -> tuple[str | None, str | None]:
    if isinstance(change, list) and len(change) == 2:
        before, after = change
    elif isinstance(change, Mapping):
        before, after = change.get("from"), change.get("to")
    else:
        raise item.error(f"changes.{field}", "expected [from, to]")

    def name(value: Any) -> str | None:
        # A status or release may be logged as an object; its name is what we compare.
        return text(value.get("name")) if isinstance(value, Mapping) else text(value)

    return name(before), name(after)


def history_rows(item: _Record) -> Iterator[dict[str, Any]]:
    """`roadmap__history` rows of one historical audit (one per audited field)."""
    item_type = AUDITED_TYPES.get(text(item.record.get("auditable_type")) or "")
    changes = item.record.get("changes")
    if item_type is None or not isinstance(changes, Mapping):
        return
    audit_id = item.id()
    changed_at = item.timestamp("created_at")
    for field in HISTORY_FIELDS:
        if field not in changes:
            continue
        before, after = _change_values(changes[field], item, field)
        yield {
            "audit_id": audit_id,
            "item_type": item_type,
            "item_id": text(item.record.get("auditable_id")),
            "field": field,
            "from_value": before,
            "to_value": after,
            "changed_at": changed_at,
            "_source": item.source,
        }


_SERIES: tuple[
    tuple[str, str, schemas.RawTable, Callable[[_Record], Iterator[dict[str, Any]]]], ...
] = (
    ("ideas", "ideas", schemas.ROADMAP_IDEAS, lambda item: iter([idea_row(item)])),
    ("features", "features", schemas.ROADMAP_FEATURES, lambda item: iter([feature_row(item)])),
    ("audits", "historical_audits", schemas.ROADMAP_HISTORY, history_rows),
)


def read_aha_folder(sources_dir: Path, wanted: FileChoice = every_file) -> dict[str, pa.Table]:
    """Every `roadmap__*` table from `<sources_dir>/roadmap/aha/` (empty when absent).

    A record repeated on a later page (the API re-paged while data changed) is kept
    once, from the last page it appears on; `wanted` narrows the pages read (an
    incremental landing reads new or changed ones, and landing lets later pages win).
    """
    folder = sources_dir / AHA_DIR
    tables: dict[str, pa.Table] = {}
    for prefix, records_key, table, to_rows in _SERIES:
        rows: dict[tuple[Any, ...], dict[str, Any]] = {}
        for item in _records(wanted(page_files(folder, f"{prefix}_page")), sources_dir, records_key):
            for row in to_rows(item):
                rows[tuple(row[k] for k in table.key)] = row
        builder = TableBuilder(table)
        for row in rows.values():
            builder.add(row)
        tables[table.name] = builder.finish()
    return tables
