"""Aha!'s v1 REST API through the shared `HttpClient`: ideas, features, initiatives,
releases, goals and historical audits.

Records become the same rows as the page files (`connectors.aha`): ideas, features and
audits land in `roadmap__ideas`, `roadmap__features` and `roadmap__history`;
initiatives, releases and goals in `roadmap__items` (tool `aha`). Every list is paged
with `page`/`per_page` until `pagination.total_pages`; 429 (Aha! allows 300 requests a
minute) and 5xx are retried by the client. With `products` set, ideas, features,
initiatives, releases and goals are read per product (`/products/{prefix}/...`);
audits are account-wide and only idea and feature audits are kept.

A full read every run: Aha! has no cheap change feed for deletions, and a roadmap is
small enough (thousands of records) to re-read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import pyarrow as pa

from connectors import schemas
from connectors.aha import _Record as AhaRecord  # the page-file reader's record wrapper
from connectors.aha import feature_row, history_rows, idea_row
from connectors.arrow_tables import TableBuilder
from connectors.errors import SourceFileError
from connectors.http import BearerAuth, Endpoint, HttpClient, RetryPolicy, Secret, ToolClient
from connectors.roadmap_items import item_row
from connectors.values import parse_date, text

DEFAULT_PAGE_SIZE = 200  # Aha!'s maximum per_page

# The `fields` each list asks for: Aha! lists return only id/name/url unless told.
_IDEA_FIELDS = "id,reference_num,name,created_at,updated_at,workflow_status,categories,product"
_FEATURE_FIELDS = (
    "id,reference_num,name,created_at,updated_at,workflow_status,release,initiative,"
    "product,custom_fields,integration_fields"
)
_INITIATIVE_FIELDS = "id,reference_num,name,created_at,updated_at,workflow_status,product"
_RELEASE_FIELDS = "id,reference_num,name,release_date,created_at,updated_at,workflow_status,product"
_GOAL_FIELDS = "id,reference_num,name,created_at,updated_at,workflow_status,product"


@dataclass(frozen=True)
class AhaPager:
    """`page`/`per_page` with the page count in `pagination.total_pages` (Aha! v1)."""

    def params(self, cursor: Any, page_size: int) -> dict[str, Any]:
        """Page number = cursor (1 first)."""
        return {"page": int(cursor or 1), "per_page": page_size}

    def next_cursor(
        self, cursor: Any, payload: Any, items: list[Any], response: httpx.Response
    ) -> Any:
        """The next page while `pagination.total_pages` says there is one."""
        page = int(cursor or 1)
        pagination = payload.get("pagination") if isinstance(payload, Mapping) else None
        total = pagination.get("total_pages") if isinstance(pagination, Mapping) else None
        if not items or not isinstance(total, int) or page >= total:
            return None
        return page + 1


@dataclass(frozen=True)
class AhaApiConfig:
    """How to reach an Aha! account: `AHA_DOMAIN` (`acme` → https://acme.aha.io, or a
    full URL), `AHA_API_TOKEN` (kept out of repr) and optionally the product prefixes
    to read (`AHA_PRODUCTS`, comma-separated; empty: the whole account)."""

    domain: str
    api_token: str = field(repr=False)
    products: tuple[str, ...] = ()
    page_size: int = DEFAULT_PAGE_SIZE
    timeout: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy, repr=False)

    @property
    def base_url(self) -> str:
        """The account's URL."""
        if "://" in self.domain:
            return self.domain.rstrip("/")
        return f"https://{self.domain}.aha.io"


class AhaClient(ToolClient):
    """Reads one Aha! account's roadmap records."""

    def __init__(self, config: AhaApiConfig, transport: httpx.BaseTransport | None = None) -> None:
        self.config = config
        self.http = HttpClient(
            config.base_url,
            auth=BearerAuth(Secret(config.api_token)),
            retry=config.retry,
            timeout=config.timeout,
            transport=transport,
        )

    def _paths(self, collection: str, account_wide: bool) -> list[str]:
        if account_wide or not self.config.products:
            return [f"/api/v1/{collection}"]
        return [f"/api/v1/products/{prefix}/{collection}" for prefix in self.config.products]

    def records(
        self, collection: str, fields: str | None = None, account_wide: bool = False
    ) -> Iterator[tuple[str, int, Mapping[str, Any]]]:
        """(source URL, position, record) for every record of `collection` (`ideas`, ...),
        per configured product unless `account_wide`."""
        params = {"fields": fields} if fields else None
        for path in self._paths(collection, account_wide):
            endpoint = Endpoint(path, collection, AhaPager(), self.config.page_size)
            source = f"{self.http.base_url}{path}"
            position = 0
            for page in self.http.pages(endpoint, params):
                for record in page.items:
                    if not isinstance(record, Mapping):
                        raise SourceFileError(
                            source, None, f"{collection}[{position}]", "expected a record object"
                        )
                    yield source, position, record
                    position += 1


def _wrapped(
    found: Iterator[tuple[str, int, Mapping[str, Any]]], collection: str
) -> Iterator[AhaRecord]:
    for source, position, record in found:
        yield AhaRecord(record, source, f"{collection}[{position}]")


def _item(record: AhaRecord, item_type: str) -> dict[str, Any]:
    release_date = None
    if item_type == "release":
        try:
            release_date = parse_date(record.record.get("release_date"))
        except ValueError as error:
            raise record.error("release_date", str(error)) from None
    return item_row(
        tool="aha",
        item_type=item_type,
        item_id=record.id(),
        source=record.source,
        reference=text(record.record.get("reference_num")),
        name=text(record.record.get("name")),
        product_ref=record.product_prefix(),
        status=record.nested("workflow_status", "name"),
        release_name=text(record.record.get("name")) if item_type == "release" else None,
        release_date=release_date,
        created_at=record.timestamp("created_at"),
        updated_at=record.timestamp("updated_at"),
    )


def read_aha_api(
    config: AhaApiConfig, transport: httpx.BaseTransport | None = None
) -> dict[str, pa.Table]:
    """Every `roadmap__*` table from the Aha! API; a record listed twice is kept once."""
    rows: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {
        table.name: {} for table in schemas.ROADMAP_SOURCE_TABLES
    }

    def keep(table: schemas.RawTable, row: dict[str, Any]) -> None:
        rows[table.name][tuple(row[k] for k in table.key)] = row

    with AhaClient(config, transport) as client:
        for record in _wrapped(client.records("ideas", _IDEA_FIELDS), "ideas"):
            keep(schemas.ROADMAP_IDEAS, idea_row(record))
        for record in _wrapped(client.records("features", _FEATURE_FIELDS), "features"):
            keep(schemas.ROADMAP_FEATURES, feature_row(record))
        for collection, item_type, fields in (
            ("initiatives", "initiative", _INITIATIVE_FIELDS),
            ("releases", "release", _RELEASE_FIELDS),
            ("goals", "goal", _GOAL_FIELDS),
        ):
            for record in _wrapped(client.records(collection, fields), collection):
                keep(schemas.ROADMAP_ITEMS, _item(record, item_type))
        # Audits have no per-product listing: one account-wide read, whatever the scope.
        audits = client.records("historical_audits", account_wide=True)
        for record in _wrapped(audits, "historical_audits"):
            for row in history_rows(record):
                keep(schemas.ROADMAP_HISTORY, row)
    tables: dict[str, pa.Table] = {}
    for table in schemas.ROADMAP_SOURCE_TABLES:
        builder = TableBuilder(table)
        for row in rows[table.name].values():
            builder.add(row)
        tables[table.name] = builder.finish()
    return tables
