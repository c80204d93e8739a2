"""Productboard's public API (v1) through the shared `HttpClient`.

Reads features, components, products, releases, initiatives and notes into
`roadmap__items` (tool `productboard`), and objectives and key results into
`okr__objectives`, `okr__key_results` and `okr__checkins`. Every list is
`{"data": [...], "links": {"next": url}}` and is followed to the end (notes may also
page with `pageCursor`); 429 and 5xx are retried by the client. Auth is
`Authorization: Bearer <PRODUCTBOARD_TOKEN>` plus `X-Version: 1`.

Productboard keeps no status history: statuses land as they stand and the dbt snapshot
`roadmap_status_snapshot` records each change from the first scheduled refresh on.
Feature and initiative statuses must be in the catalog's `statuses.productboard` map.
Key results carry only a current value: each refresh lands it as the check-in of the
day the key result was last updated. Objective owners are pseudonymised e-mails.
Productboard objectives have no committed/aspirational flag; they land as `committed`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import pyarrow as pa

from connectors import schemas
from connectors.arrow_tables import TableBuilder
from connectors.errors import SourceFileError
from connectors.http import Endpoint, HttpClient, LinkNextPager, RetryPolicy, Secret, ToolClient
from connectors.roadmap_items import StatusMaps, checked_status, item_row
from connectors.values import parse_date, parse_number, parse_timestamp, text

DEFAULT_BASE_URL = "https://api.productboard.com"
DEFAULT_PAGE_SIZE = 100
TOOL = "productboard"


@dataclass(frozen=True)
class ProductboardAuth:
    """Bearer token plus the API version header every v1 request needs."""

    token: Secret = field(repr=False)

    def headers(self) -> dict[str, str]:
        """`Authorization` and `X-Version`."""
        return {"Authorization": f"Bearer {self.token.reveal()}", "X-Version": "1"}

    def secrets(self) -> tuple[str, ...]:
        """The token."""
        return (self.token.reveal(),)


@dataclass(frozen=True)
class ProductboardPager(LinkNextPager):
    """`links.next` (or the `Link` header, or a bare `pageCursor`) until there is none.

    A `LinkNextPager`, so the client fetches each next URL as it is.
    """

    def params(self, cursor: Any, page_size: int) -> dict[str, Any]:
        """The first page only asks for a page size; later URLs carry everything."""
        return {"pageLimit": page_size}

    def next_cursor(
        self, cursor: Any, payload: Any, items: list[Any], response: httpx.Response
    ) -> Any:
        """The absolute URL of the next page, if any."""
        following = response.links.get("next", {}).get("url")
        if following is None and isinstance(payload, Mapping):
            links = payload.get("links")
            if isinstance(links, Mapping):
                following = links.get("next") or None
            if following is None and payload.get("pageCursor"):
                parts = urlsplit(str(response.url))
                query = dict(parse_qsl(parts.query))
                query["pageCursor"] = str(payload["pageCursor"])
                following = urlunsplit(parts._replace(query=urlencode(query)))
        if not items or not following:
            return None
        return str(response.url.join(following))


@dataclass(frozen=True)
class ProductboardConfig:
    """`PRODUCTBOARD_TOKEN` (kept out of repr) and the API's URL."""

    token: str = field(repr=False)
    base_url: str = DEFAULT_BASE_URL
    page_size: int = DEFAULT_PAGE_SIZE
    timeout: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy, repr=False)


class ProductboardClient(ToolClient):
    """Lists Productboard entities."""

    def __init__(
        self, config: ProductboardConfig, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.config = config
        self.http = HttpClient(
            config.base_url,
            auth=ProductboardAuth(Secret(config.token)),
            retry=config.retry,
            timeout=config.timeout,
            transport=transport,
        )

    def records(self, path: str) -> Iterator[_Record]:
        """Every record of the list at `path` (`/features`, `/notes`, ...)."""
        endpoint = Endpoint(path, "data", ProductboardPager(), self.config.page_size)
        source = f"{self.http.base_url}{path}"
        collection = path.strip("/")
        for page in self.http.pages(endpoint):
            for record in page.items:
                if not isinstance(record, Mapping):
                    raise SourceFileError(source, None, collection, "expected a record object")
                yield _Record(record, source, collection)


class _Record:
    """One Productboard record and where it came from, for errors naming it."""

    def __init__(self, record: Mapping[str, Any], source: str, collection: str) -> None:
        self.record, self.source, self.collection = record, source, collection

    @property
    def where(self) -> str:
        return f"{self.collection}[id={self.record.get('id')}]"

    def error(self, field_name: str, message: str) -> SourceFileError:
        return SourceFileError(self.source, None, f"{self.where}.{field_name}", message)

    def id(self) -> str:
        value = text(self.record.get("id"))
        if value is None:
            raise SourceFileError(self.source, None, f"{self.collection}.id", "expected an id")
        return value

    def get(self, *path: str) -> Any:
        value: Any = self.record
        for key in path:
            value = value.get(key) if isinstance(value, Mapping) else None
        return value

    def text(self, *path: str) -> str | None:
        return text(self.get(*path))

    def date(self, *path: str) -> date | None:
        try:
            return parse_date(self.get(*path))
        except ValueError as error:
            raise self.error(".".join(path), str(error)) from None

    def timestamp(self, *path: str) -> Any:
        try:
            return parse_timestamp(self.text(*path))
        except ValueError as error:
            raise self.error(".".join(path), str(error)) from None

    def number(self, *path: str) -> float | None:
        try:
            return parse_number(self.get(*path))
        except ValueError as error:
            raise self.error(".".join(path), str(error)) from None

    def parent_id(self) -> str | None:
        """The id of whatever the record hangs under: feature, component or product."""
        parent = self.get("parent")
        if isinstance(parent, Mapping):
            for kind in ("feature", "component", "product"):
                if isinstance(parent.get(kind), Mapping):
                    return text(parent[kind].get("id"))
            return text(parent.get("id"))
        return None


def _item(record: _Record, item_type: str, maps: StatusMaps, status: str | None) -> dict[str, Any]:
    return item_row(
        tool=TOOL,
        item_type=item_type,
        item_id=record.id(),
        source=record.source,
        reference=record.text("links", "html"),
        name=record.text("name") or record.text("title"),
        parent_id=record.parent_id(),
        status=checked_status(status, TOOL, maps, record.source, record.where),
        release_name=record.text("name") if item_type == "release" else None,
        release_date=record.date("timeframe", "endDate") if item_type == "release" else None,
        created_at=record.timestamp("createdAt"),
        updated_at=record.timestamp("updatedAt"),
    )


def _period(start: date, end: date) -> str:
    """`2026-Q1` when the timeframe is exactly a calendar quarter, else `start..end`."""
    quarter = (start.month - 1) // 3
    if start.day == 1 and start.month == quarter * 3 + 1:
        next_quarter = (
            date(start.year + 1, 1, 1) if quarter == 3 else date(start.year, start.month + 3, 1)
        )
        if end == next_quarter - timedelta(days=1):
            return f"{start.year}-Q{quarter + 1}"
    return f"{start.isoformat()}..{end.isoformat()}"


def objective_row(
    record: _Record, pseudonymise: Callable[[str | None], str | None]
) -> dict[str, Any]:
    """One `okr__objectives` row; the timeframe is required (it is the OKR period)."""
    start = record.date("timeframe", "startDate")
    end = record.date("timeframe", "endDate")
    if start is None or end is None:
        raise record.error("timeframe", "expected startDate and endDate (YYYY-MM-DD)")
    email = record.text("owner", "email")
    return {
        "objective_id": record.id(),
        "title": record.text("name"),
        "owner": pseudonymise(email.lower()) if email else None,
        "org_unit": None,
        "period": _period(start, end),
        "period_start": start,
        "period_end": end,
        "parent_objective_id": text(record.get("parent", "id"))
        or text(record.get("parent", "objective", "id")),
        "kind": "committed",
        "_source": record.source,
    }


def key_result_row(record: _Record) -> dict[str, Any]:
    """One `okr__key_results` row; the direction comes from start versus target value."""
    baseline = record.number("startValue")
    target = record.number("targetValue")
    objective_id = record.text("objective", "id")
    if objective_id is None:
        raise record.error("objective.id", "expected the key result's objective")
    if baseline is None or target is None:
        raise record.error("targetValue", "expected startValue and targetValue")
    return {
        "key_result_id": record.id(),
        "objective_id": objective_id,
        "title": record.text("name"),
        # Equal start and target leave the type undecided; okr_checks rejects it by name.
        "kr_type": "decrease_to" if target < baseline else "increase_to",
        "baseline": baseline,
        "target": target,
        "unit": record.text("unit"),
        "weight": record.number("weight"),
        "metric_binding": None,
        "_source": record.source,
    }


def checkin_row(record: _Record) -> dict[str, Any] | None:
    """Today's value of a key result as a check-in dated by its last update (if any)."""
    value = record.number("currentValue")
    updated = record.timestamp("updatedAt")
    if value is None or updated is None:
        return None
    return {
        "key_result_id": record.id(),
        "checkin_date": updated.date(),
        "value": value,
        "confidence": None,
        "note": None,
        "_source": record.source,
    }


_ITEM_LISTS = (
    ("/features", "feature", ("status", "name")),
    ("/components", "component", None),
    ("/products", "product", None),
    ("/releases", "release", None),
    ("/initiatives", "initiative", ("status", "name")),
    ("/notes", "note", None),
)


def _tables(kept: dict[str, dict[tuple[Any, ...], dict[str, Any]]]) -> dict[str, pa.Table]:
    tables: dict[str, pa.Table] = {}
    for table in (
        schemas.ROADMAP_ITEMS,
        schemas.OKR_OBJECTIVES,
        schemas.OKR_KEY_RESULTS,
        schemas.OKR_CHECKINS,
    ):
        if table.name not in kept:
            continue
        builder = TableBuilder(table)
        for row in kept[table.name].values():
            builder.add(row)
        tables[table.name] = builder.finish()
    return tables


def _keep(
    kept: dict[str, dict[tuple[Any, ...], dict[str, Any]]],
    table: schemas.RawTable,
    row: dict[str, Any],
) -> None:
    # A record listed twice (the list changed while paging) is kept once, the last seen.
    kept.setdefault(table.name, {})[tuple(row[k] for k in table.key)] = row


def read_productboard_roadmap(
    config: ProductboardConfig,
    status_maps: StatusMaps,
    transport: httpx.BaseTransport | None = None,
) -> dict[str, pa.Table]:
    """`roadmap__items` from Productboard's features, components, products, releases,
    initiatives and notes."""
    kept: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {schemas.ROADMAP_ITEMS.name: {}}
    with ProductboardClient(config, transport) as client:
        for path, item_type, status_path in _ITEM_LISTS:
            for record in client.records(path):
                status = record.text(*status_path) if status_path else None
                _keep(kept, schemas.ROADMAP_ITEMS, _item(record, item_type, status_maps, status))
    return _tables(kept)


def read_productboard_okrs(
    config: ProductboardConfig,
    pseudonymise: Callable[[str | None], str | None],
    transport: httpx.BaseTransport | None = None,
) -> dict[str, pa.Table]:
    """`okr__objectives`, `okr__key_results` and `okr__checkins` from Productboard."""
    kept: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {
        t.name: {} for t in schemas.OKR_TABLES
    }
    with ProductboardClient(config, transport) as client:
        for record in client.records("/objectives"):
            _keep(kept, schemas.OKR_OBJECTIVES, objective_row(record, pseudonymise))
        for record in client.records("/key-results"):
            _keep(kept, schemas.OKR_KEY_RESULTS, key_result_row(record))
            checkin = checkin_row(record)
            if checkin is not None:
                _keep(kept, schemas.OKR_CHECKINS, checkin)
    return _tables(kept)
