"""Every source productops reads, in landing order: the catalog first, then the tools.

Orchestration iterates `SOURCES`; each `Source.read(context)` returns every one of its
tables (an empty table with the schema when the source's files are absent, except the
catalog, which must exist).
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from connectors import schemas
from connectors.aha import read_aha_folder
from connectors.aha_api import read_aha_api
from connectors.amplitude_api import read_amplitude_api
from connectors.analytics_sources import read_analytics_folder
from connectors.bamboohr_api import read_bamboohr_api
from connectors.catalog import CATALOG_FILE, read_catalog_file
from connectors.event_rows import event_files
from connectors.feature_usage_csv import read_feature_usage_folder
from connectors.finance_presets import read_finance_exports
from connectors.hr_presets import read_hr_exports
from connectors.jira.reader import read_jira
from connectors.mixpanel import MIXPANEL_DIR, read_mixpanel_folder
from connectors.okr_checks import check_okrs, combine
from connectors.okr_xlsx import read_okr_workbook
from connectors.okrs import read_okr_folder
from connectors.pendo import read_pendo_folder
from connectors.productboard import (
    read_productboard_okrs,
    read_productboard_roadmap,
)
from connectors.registry import ReadContext, Source
from connectors.roadmap_csv import export_files as roadmap_export_files
from connectors.roadmap_csv import read_roadmap_exports
from connectors.roadmap_items import status_maps
from connectors.segment import SEGMENT_DIR, read_segment_folder
from connectors.spilled import RawRows


def _read_catalog(context: ReadContext) -> dict[str, pa.Table]:
    if context.catalog_path is not None:
        return read_catalog_file(context.catalog_path, source=context.catalog_path.name)
    return read_catalog_file(context.sources_dir / CATALOG_FILE)


def _read_jira(context: ReadContext) -> dict[str, pa.Table]:
    # The API when JIRA_BASE_URL is set, else jira/ files (JSON pages, CSV exports).
    return read_jira(context)


def _read_hr(context: ReadContext) -> dict[str, pa.Table]:
    # BambooHR's API when BAMBOOHR_SUBDOMAIN is set; else the hr/ export, BambooHR,
    # Workday, HiBob or the generic shape, recognised by the file's columns.
    if context.bamboohr is not None:
        return read_bamboohr_api(context.bamboohr, context.pseudonymise)
    return read_hr_exports(context.sources_dir, context.pseudonymise)


def _reporting_currency(context: ReadContext) -> str | None:
    path = context.catalog_path or context.sources_dir / CATALOG_FILE
    if not path.is_file():
        return None
    settings = read_catalog_file(path, source=path.name)["catalog__settings"].to_pylist()
    return next((r["value"] for r in settings if r["setting"] == "reporting_currency"), None)


def _read_finance(context: ReadContext) -> dict[str, pa.Table]:
    # NetSuite, Xero or QuickBooks ledgers; single-currency ones are in the reporting currency.
    return read_finance_exports(context.sources_dir, _reporting_currency(context))


def _read_analytics(context: ReadContext) -> dict[str, RawRows]:
    if context.amplitude is None:
        return read_analytics_folder(
            context.sources_dir, context.pseudonymise, context.wanted, context.spill_dir
        )
    # Amplitude from its Export API (only the hours since the last run: landing merges
    # by event id) instead of analytics/amplitude/; every other format from its files,
    # an event id Amplitude already gave kept once, as read_analytics_folder does.
    sources_dir, pseudonymise = context.sources_dir, context.pseudonymise
    events = read_amplitude_api(context.amplitude, pseudonymise, context.state_dir)[
        schemas.ANALYTICS_EVENTS.name
    ]
    if event_files(sources_dir / MIXPANEL_DIR) or event_files(sources_dir / SEGMENT_DIR):
        seen = set(events.column("event_id").to_pylist())
        events = pa.concat_tables(
            [
                events,
                read_mixpanel_folder(sources_dir, pseudonymise, seen),
                read_segment_folder(sources_dir, pseudonymise, seen),
            ]
        )
    usage = pa.concat_tables(
        [read_pendo_folder(sources_dir, pseudonymise), read_feature_usage_folder(sources_dir)]
    )
    return {
        schemas.ANALYTICS_EVENTS.name: events,
        schemas.ANALYTICS_DAILY_FEATURE_USAGE.name: usage,
    }


def _status_maps(context: ReadContext) -> dict[str, dict[str, str]]:
    return status_maps(_read_catalog(context)[schemas.CATALOG_STATUS_MAP.name])


def _unique_rows(table: schemas.RawTable, parts: list[pa.Table]) -> pa.Table:
    # Later parts win for a repeated key, as a re-landing would.
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for part in parts:
        for row in part.to_pylist():
            rows[tuple(row[k] for k in table.key)] = row
    return pa.Table.from_pylist(list(rows.values()), schema=table.schema)


def _read_roadmap(context: ReadContext) -> dict[str, pa.Table]:
    # Aha! from its API when AHA_DOMAIN is set, else roadmap/aha/ files; Productboard
    # when PRODUCTBOARD_TOKEN is set; plus every roadmap/exports/ file.
    aha = context.aha
    tables = (
        read_aha_api(aha)
        if aha is not None
        else read_aha_folder(context.sources_dir, context.wanted)
    )
    items = [tables.get(schemas.ROADMAP_ITEMS.name, schemas.ROADMAP_ITEMS.schema.empty_table())]
    productboard = context.productboard
    if productboard is not None or roadmap_export_files(context.sources_dir):
        maps = _status_maps(context)
        if productboard is not None:
            items.append(read_productboard_roadmap(productboard, maps)[schemas.ROADMAP_ITEMS.name])
        items.append(read_roadmap_exports(context.sources_dir, maps))
    tables[schemas.ROADMAP_ITEMS.name] = _unique_rows(schemas.ROADMAP_ITEMS, items)
    return {table.name: tables[table.name] for table in schemas.ROADMAP_SOURCE_TABLES}


def _read_okrs(context: ReadContext) -> dict[str, pa.Table]:
    # The CSVs, okrs/okrs.xlsx and Productboard's objectives, checked across all three.
    parts = [read_okr_folder(context.sources_dir)]
    workbook = read_okr_workbook(context.sources_dir)
    if workbook is not None:
        parts.append(workbook)
    productboard = context.productboard
    if productboard is not None:
        parts.append(read_productboard_okrs(productboard, context.pseudonymise))
    tables = combine(parts)
    check_okrs(tables)
    return tables


SOURCES: tuple[Source, ...] = (
    Source("catalog", schemas.CATALOG_TABLES, _read_catalog),
    Source("jira", schemas.JIRA_TABLES, _read_jira),
    Source("hr", schemas.HR_TABLES, _read_hr),
    Source("finance", schemas.FINANCE_TABLES, _read_finance),
    Source("analytics", schemas.ANALYTICS_TABLES, _read_analytics),
    Source("roadmap", schemas.ROADMAP_SOURCE_TABLES, _read_roadmap),
    Source("okrs", schemas.OKR_TABLES, _read_okrs),
)


def source(name: str) -> Source:
    """The source called `name` (KeyError naming the known ones otherwise)."""
    for candidate in SOURCES:
        if candidate.name == name:
            return candidate
    raise KeyError(f"unknown source {name!r}; known: {[s.name for s in SOURCES]}")
