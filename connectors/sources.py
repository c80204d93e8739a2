"""Every source productops reads, in landing order: the catalog first, then the tools.

Orchestration iterates `SOURCES`; each `Source.read(context)` returns every one of its
tables (an empty table with the schema when the source's files are absent, except the
catalog, which must exist).
"""

from __future__ import annotations

import pyarrow as pa

from connectors import schemas
from connectors.aha import read_aha_folder
from connectors.amplitude import read_amplitude_folder
from connectors.bamboohr import read_hr_folder
from connectors.catalog import CATALOG_FILE, read_catalog_file
from connectors.finance import read_finance_folder
from connectors.jira import read_jira_folder
from connectors.okrs import read_okr_folder
from connectors.registry import ReadContext, Source


def _read_catalog(context: ReadContext) -> dict[str, pa.Table]:
    if context.catalog_path is not None:
        return read_catalog_file(context.catalog_path, source=context.catalog_path.name)
    return read_catalog_file(context.sources_dir / CATALOG_FILE)


def _read_jira(context: ReadContext) -> dict[str, pa.Table]:
    return read_jira_folder(context.sources_dir, context.pseudonymise)


def _read_hr(context: ReadContext) -> dict[str, pa.Table]:
    return read_hr_folder(context.sources_dir, context.pseudonymise)


def _read_finance(context: ReadContext) -> dict[str, pa.Table]:
    return read_finance_folder(context.sources_dir)


def _read_analytics(context: ReadContext) -> dict[str, pa.Table]:
    return read_amplitude_folder(context.sources_dir, context.pseudonymise)


def _read_roadmap(context: ReadContext) -> dict[str, pa.Table]:
    return read_aha_folder(context.sources_dir)


def _read_okrs(context: ReadContext) -> dict[str, pa.Table]:
    return read_okr_folder(context.sources_dir)


SOURCES: tuple[Source, ...] = (
    Source("catalog", schemas.CATALOG_TABLES, _read_catalog),
    Source("jira", schemas.JIRA_TABLES, _read_jira),
    Source("hr", schemas.HR_TABLES, _read_hr),
    Source("finance", schemas.FINANCE_TABLES, _read_finance),
    Source("analytics", schemas.ANALYTICS_TABLES, _read_analytics),
    Source("roadmap", schemas.ROADMAP_TABLES, _read_roadmap),
    Source("okrs", schemas.OKR_TABLES, _read_okrs),
)


def source(name: str) -> Source:
    """The source called `name` (KeyError naming the known ones otherwise)."""
    for candidate in SOURCES:
        if candidate.name == name:
            return candidate
    raise KeyError(f"unknown source {name!r}; known: {[s.name for s in SOURCES]}")
