"""The Jira source: the API when configured, else the sources folder's files.

- API (`ReadContext.jira` set): an incremental, resumable sync (`incremental.py`) whose
  state lives in `ReadContext.state_dir`; issues found deleted are reported through
  `ReadContext.report_deleted` for both `jira__issues` and `jira__changelog`.
- Files: REST JSON pages (`files.py`) and/or CSV exports (`csv_export.py`) in `jira/`.
  An issue in both keeps its JSON row: that one has a changelog and status categories.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from connectors import schemas
from connectors.catalog import CATALOG_FILE, read_catalog_file
from connectors.jira.api import JiraClient
from connectors.jira.csv_export import export_files, read_csv_exports
from connectors.jira.files import read_jira_folder
from connectors.jira.incremental import sync_jira
from connectors.registry import ReadContext, every_file
from connectors.spilled import RawRows, concat_rows

# Pseudonym -> person key of Jira account ids seen with an e-mail in issue pages.
PEOPLE_CACHE = "jira_file_people.json"


def catalog_project_keys(context: ReadContext) -> list[str]:
    """The Jira project keys the catalog maps to products (the default API scope)."""
    path = context.catalog_path or context.sources_dir / CATALOG_FILE
    mappings = read_catalog_file(path, source=path.name)["catalog__product_mappings"]
    rows = mappings.filter(pc.equal(mappings.column("kind"), "jira_project"))
    return sorted(set(rows.column("value").to_pylist()))


def read_jira_api(context: ReadContext) -> dict[str, pa.Table]:
    """Every `jira__*` table from the configured Jira's API, brought up to date."""
    if context.jira is None or context.state_dir is None:
        raise ValueError("reading Jira's API needs ReadContext.jira and ReadContext.state_dir")
    with JiraClient(context.jira) as client:
        result = sync_jira(
            client, context.state_dir, catalog_project_keys(context), context.pseudonymise
        )
    if result.deleted_issue_ids and context.report_deleted is not None:
        ids = pa.table({"issue_id": pa.array(result.deleted_issue_ids, pa.string())})
        context.report_deleted(schemas.JIRA_ISSUES.name, ids)
        context.report_deleted(schemas.JIRA_CHANGELOG.name, ids)
    return result.tables


def read_jira_files(context: ReadContext) -> dict[str, RawRows]:
    """Every `jira__*` table from `jira/`: JSON pages and CSV exports."""
    exports = export_files(context.sources_dir)
    # With CSV exports an issue's row depends on whether its JSON page is read too, so
    # only JSON pages alone are read incrementally.
    wanted = every_file if exports else context.wanted
    cache = context.state_dir / PEOPLE_CACHE if context.state_dir is not None else None
    tables = read_jira_folder(
        context.sources_dir, context.pseudonymise, wanted, cache, context.spill_dir
    )
    if exports:
        from_json = tables[schemas.JIRA_ISSUES.name]
        from_csv = read_csv_exports(exports, context.sources_dir, context.pseudonymise)
        known = from_json.column("issue_id")
        only_csv = from_csv.filter(pc.invert(pc.is_in(from_csv.column("issue_id"), known)))
        tables[schemas.JIRA_ISSUES.name] = concat_rows([from_json, only_csv], context.spill_dir)
    return tables


def read_jira(context: ReadContext) -> dict[str, RawRows]:
    """The Jira source's tables: from the API when configured, else from files."""
    if context.jira is not None:
        return read_jira_api(context)
    return read_jira_files(context)
