"""What every source is: its raw tables and the function that reads them.

Readers are registered in `connectors.sources.SOURCES`; orchestration
lands whatever they return as `raw.<table>`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from connectors.spilled import RawRows

if TYPE_CHECKING:
    from connectors.aha_api import AhaApiConfig
    from connectors.amplitude_api import AmplitudeApiConfig
    from connectors.bamboohr_api import BambooHrApiConfig
    from connectors.jira.api import JiraApiConfig
    from connectors.productboard import ProductboardConfig


# Narrows a reader's list of files to the ones to read (see `ReadContext.wanted`).
FileChoice = Callable[[list[Path]], list[Path]]


def every_file(paths: list[Path]) -> list[Path]:
    """All of `paths`: the `FileChoice` of a full read."""
    return paths


@dataclass(frozen=True)
class ReadContext:
    """What a reader needs: where the files are and how to pseudonymise people."""

    sources_dir: Path
    pseudonymise: Callable[[str | None], str | None]
    # The catalog may live outside the exports folder (PRODUCTOPS_CATALOG).
    catalog_path: Path | None = None
    # Read Jira from its API instead of the jira/ folder (JIRA_BASE_URL is set).
    jira: JiraApiConfig | None = None
    # Where API readers keep state between runs (watermarks, cursors, merged rows).
    state_dir: Path | None = None
    # Called with (raw table name, a table of key columns) for rows the source says no
    # longer exist, e.g. Jira issues deleted upstream; landing deletes matching rows.
    report_deleted: Callable[[str, pa.Table], None] | None = None
    # Read Aha! from its API instead of roadmap/aha/ files (AHA_DOMAIN is set).
    aha: AhaApiConfig | None = None
    # Also read Productboard's roadmap and OKRs (PRODUCTBOARD_TOKEN is set).
    productboard: ProductboardConfig | None = None
    # Read Amplitude from its Export API instead of analytics/amplitude/ files
    # (AMPLITUDE_API_KEY is set).
    amplitude: AmplitudeApiConfig | None = None
    # Read headcount from BambooHR's API instead of hr/ files (BAMBOOHR_SUBDOMAIN is set).
    bamboohr: BambooHrApiConfig | None = None
    # An incremental landing: True for the files to read (new or changed since the last
    # landing). Readers of exports that accumulate (Jira pages, event files, Aha! pages)
    # skip the others; None reads every file.
    file_filter: Callable[[Path], bool] | None = None
    # Where readers of big exports (Jira pages, analytics events) write their rows as
    # they read them, returning a `SpilledTable` (connectors/spilled.py) instead of one
    # Arrow table; None holds every table in memory.
    spill_dir: Path | None = None

    def wanted(self, paths: list[Path]) -> list[Path]:
        """The files of `paths` to read: all of them, or only new or changed ones."""
        if self.file_filter is None:
            return paths
        return [path for path in paths if self.file_filter(path)]


@dataclass(frozen=True)
class RawTable:
    """One landing table: `raw.<name>` with `schema` (including `_source`)."""

    name: str
    schema: pa.Schema
    key: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    """A source system: its tables, in landing order, and its reader."""

    name: str
    tables: tuple[RawTable, ...]
    read: Callable[[ReadContext], dict[str, RawRows]]
