"""One multi-asset per source (`raw_<source>`) producing one asset per raw table.

Each run takes in the source's dropped exports (drop_folder.py), reads the source once,
through the same reader for demo files and real exports, passes every table through the
blocking quality gate (gate.py) and only then lands every table as `raw.<table>` under
the run's id as batch id, recording the load in `meta.raw_loads`.
"""

# No `from __future__ import annotations`: Dagster reads the context annotation at runtime.
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow as pa
from dagster import (
    AssetCheckResult,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    Definitions,
    MaterializeResult,
    TableColumn,
    TableSchema,
    multi_asset,
)

from connectors.aha_api import AhaApiConfig
from connectors.amplitude_api import AmplitudeApiConfig, parse_hour
from connectors.bamboohr_api import BambooHrApiConfig
from connectors.jira.api import JiraApiConfig
from connectors.productboard import ProductboardConfig
from connectors.pseudonymise import make_pseudonymiser
from connectors.registry import RawTable, ReadContext, Source
from connectors.spilled import RawRows, distinct_sources
from orchestration.defs.sources.drop_folder import DROP_SOURCES, intake
from orchestration.defs.sources.file_manifest import (
    ReadPlan,
    fingerprint,
    plan_read,
    source_files,
)
from orchestration.defs.sources.file_manifest import read_context as manifest_context
from orchestration.defs.sources.gate import check_result, check_specs, freshness_result, run_gate
from orchestration.defs.sources.load_history import LoadRecord, exported_at
from orchestration.defs.sources.quality import QualityGateFailed
from orchestration.landing_target import open_landing
from orchestration.settings import Settings, get_settings
from orchestration.warehouse import RAW_SCHEMA, WAREHOUSE_POOL, utc_now

# Under the data folder, beside the warehouse: on the disk meant for big files (a
# system temporary folder may be memory-backed).
SPILL_FOLDER = "spill"


def raw_asset_key(table_name: str) -> AssetKey:
    """The asset key of `raw.<table>`, the key dbt sources map to as well."""
    return AssetKey([RAW_SCHEMA, table_name])


def _spec(source: Source, table: RawTable) -> AssetSpec:
    return AssetSpec(
        key=raw_asset_key(table.name),
        group_name=f"raw_{source.name}",
        kinds={"duckdb"},
        description=f"raw.{table.name}, merged by natural key ({', '.join(table.key)}).",
        metadata={
            "dagster/column_schema": TableSchema(
                columns=[TableColumn(f.name, str(f.type)) for f in table.schema]
            ),
            "natural_key": ", ".join(table.key),
        },
    )


def _source_file_count(rows: RawRows) -> int:
    return len(distinct_sources(rows))


def _jira_api_config(settings: Settings) -> JiraApiConfig | None:
    """Jira's API settings when `JIRA_BASE_URL` is set (else Jira is read from files)."""
    if settings.jira_base_url is None:
        return None
    return JiraApiConfig(
        base_url=settings.jira_base_url,
        email=settings.jira_email,
        api_token=settings.jira_api_token,
        pat=settings.jira_pat,
        jql=settings.jira_jql,
        reconcile_days=settings.jira_reconcile_days,
    )


def _aha_api_config(settings: Settings) -> AhaApiConfig | None:
    """Aha!'s API settings when `AHA_DOMAIN` is set (else Aha! is read from files)."""
    if not settings.aha_domain:
        return None
    if not settings.aha_api_token:
        raise ValueError("AHA_DOMAIN is set but AHA_API_TOKEN is not")
    return AhaApiConfig(settings.aha_domain, settings.aha_api_token, settings.aha_products)


def _amplitude_api_config(settings: Settings) -> AmplitudeApiConfig | None:
    """Amplitude's Export API settings when `AMPLITUDE_API_KEY` is set (else files)."""
    if not settings.amplitude_api_key:
        return None
    if not settings.amplitude_secret_key:
        raise ValueError("AMPLITUDE_API_KEY is set but AMPLITUDE_SECRET_KEY is not")
    if not settings.amplitude_start:
        raise ValueError(
            "AMPLITUDE_API_KEY is set but AMPLITUDE_START (the first hour to export, "
            "YYYYMMDDTHH, e.g. 20250101T00) is not"
        )
    return AmplitudeApiConfig(
        api_key=settings.amplitude_api_key,
        secret_key=settings.amplitude_secret_key,
        start=parse_hour(settings.amplitude_start),
        base_url=settings.amplitude_base_url,
    )


def _bamboohr_api_config(settings: Settings) -> BambooHrApiConfig | None:
    """BambooHR's API settings when `BAMBOOHR_SUBDOMAIN` is set (else hr/ files)."""
    if not settings.bamboohr_subdomain:
        return None
    if not settings.bamboohr_api_key:
        raise ValueError("BAMBOOHR_SUBDOMAIN is set but BAMBOOHR_API_KEY is not")
    return BambooHrApiConfig(
        settings.bamboohr_subdomain, settings.bamboohr_api_key, settings.bamboohr_report_id
    )


def _productboard_config(settings: Settings) -> ProductboardConfig | None:
    """Productboard's API settings when `PRODUCTBOARD_TOKEN` is set."""
    token = settings.productboard_token
    return ProductboardConfig(token) if token else None


def _reads_files_only(source: str, read_context: ReadContext) -> bool:
    """Whether `source` is read from export files alone (no API with its own watermark)."""
    apis = {
        "jira": (read_context.jira,),
        "hr": (read_context.bamboohr,),
        "analytics": (read_context.amplitude,),
        "roadmap": (read_context.aha, read_context.productboard),
        "okrs": (read_context.productboard,),
    }
    return all(api is None for api in apis.get(source, ()))


def _plan_read(source: Source, settings: Settings, read_context: ReadContext) -> ReadPlan | None:
    """Which of the source's files to read (file_manifest.py); None for API sources."""
    if not _reads_files_only(source.name, read_context):
        return None
    with open_landing(settings.warehouse_path, settings) as target:
        landed = target.landed_files(source.name)
    paths = source_files(source.name, settings.sources_dir, settings.catalog_path)
    files = fingerprint(paths, settings.sources_dir, landed[1])
    context = manifest_context(
        read_context.pseudonymise("productops:file-manifest"), settings.catalog_path
    )
    return plan_read(source.name, files, context, landed, settings.full_refresh)


def _exported(
    rows: RawRows, settings: Settings, loaded_at: Any, before: Any, plan: ReadPlan | None
) -> Any:
    """The table's export time: its rows' files, or on a partial read the newest of
    those and what the previous load recorded (unchanged files are as old as then)."""
    exported = exported_at(rows, settings.sources_dir, settings.catalog_path, loaded_at)
    if plan is None or plan.full:
        return exported
    known = [value for value in (exported, before) if value is not None]
    return max(known) if known else None


def fresh_spill_dir(data_dir: Path, name: str) -> Path:
    """`<data>/spill/<name>`, empty, where the readers of big exports write their rows.

    Landings run one at a time (the warehouse pool), so any other folder there is left
    over from a landing that was killed, and is removed.
    """
    root = data_dir / SPILL_FOLDER
    if root.is_dir():
        for stale in root.iterdir():
            shutil.rmtree(stale, ignore_errors=True)
    folder = root / name
    folder.mkdir(parents=True)
    return folder


def build_source_assets(source: Source) -> AssetsDefinition:
    """The `raw_<source>` multi-asset: read the source, land each of its tables."""
    tables_by_name = {table.name: table for table in source.tables}
    key_of = {table.name: raw_asset_key(table.name) for table in source.tables}

    def _read_and_land(
        context: AssetExecutionContext, settings: Settings, spill_dir: Path
    ) -> Iterator[MaterializeResult | AssetCheckResult]:
        """Read the source (big tables written to `spill_dir`), gate it, land it."""
        deleted: list[tuple[str, pa.Table]] = []
        read_context = ReadContext(
            sources_dir=settings.sources_dir,
            pseudonymise=make_pseudonymiser(settings.pseudonym_key),
            catalog_path=settings.catalog_path,
            jira=_jira_api_config(settings),
            state_dir=settings.data_dir / "state",
            report_deleted=lambda name, keys: deleted.append((name, keys)),
            aha=_aha_api_config(settings),
            productboard=_productboard_config(settings),
            amplitude=_amplitude_api_config(settings),
            bamboohr=_bamboohr_api_config(settings),
            spill_dir=spill_dir,
        )
        plan = _plan_read(source, settings, read_context)
        if plan is not None and not plan.full:
            read_context = replace(read_context, file_filter=plan.wants(settings.sources_dir))
        # Read everything before opening the warehouse, so the write lock is held only
        # for the landing itself.
        tables = {} if plan is not None and plan.skips_everything else source.read(read_context)
        if plan is not None:
            context.log.info(
                f"read {plan.files_read()} of {len(plan.files)} files of {source.name} "
                f"({plan.files_skipped()} unchanged since they landed): {plan.reason}"
            )
        unknown = sorted(set(tables) - set(tables_by_name))
        if unknown:
            raise ValueError(
                f"source {source.name!r} returned tables it does not declare: {unknown}"
            )
        loaded_at = utc_now()
        gate = run_gate(
            source, tables, settings.warehouse_path, context.run.run_id, loaded_at, plan
        )
        if gate.failed:
            for name, outcomes in gate.outcomes.items():
                for outcome in outcomes:
                    yield check_result(key_of[name], outcome)
            raise QualityGateFailed(source.name, gate.failed)
        records = []
        with open_landing(settings.warehouse_path, settings) as target, target.transaction():
            # One transaction: the rows, the load history and the file manifest commit
            # together, so a killed landing never marks a file as landed.
            exported_before = target.previous_exported()
            for table in source.tables:
                # A missing export lands no rows but still creates the table dbt reads.
                rows = tables.get(table.name, table.schema.empty_table())
                count = target.land(table, rows, batch_id=context.run.run_id, loaded_at=loaded_at)
                context.log.info(f"landed {count} rows in raw.{table.name}")
                exported = _exported(
                    rows, settings, loaded_at, exported_before.get(table.name), plan
                )
                records.append(
                    LoadRecord(
                        source.name, table.name, context.run.run_id, loaded_at, exported, count
                    )
                )
                yield MaterializeResult(
                    asset_key=key_of[table.name],
                    metadata={
                        "dagster/row_count": count,
                        "source_files": _source_file_count(rows),
                    },
                    check_results=[
                        *(check_result(key_of[table.name], o) for o in gate.outcomes[table.name]),
                        freshness_result(key_of[table.name], source.name, exported, loaded_at),
                    ],
                )
            for name, keys in deleted:
                removed = target.delete_gone_rows(tables_by_name[name], keys)
                context.log.info(f"deleted {removed} rows of raw.{name} gone at the source")
            target.record_loads(records)
            if plan is not None:
                target.record_files(plan, context.run.run_id)

    @multi_asset(
        name=f"raw_{source.name}",
        specs=[_spec(source, table) for table in source.tables],
        check_specs=check_specs(key_of, source.tables),
        pool=WAREHOUSE_POOL,
    )
    def _land_source(
        context: AssetExecutionContext,
    ) -> Iterator[MaterializeResult | AssetCheckResult]:
        settings = get_settings()
        if source.name in DROP_SOURCES:
            for path in intake(
                source.name, settings.drop_dir, settings.sources_dir, settings.data_dir
            ):
                context.log.info(f"took in dropped export {path}")
        spill_dir = fresh_spill_dir(settings.data_dir, f"{source.name}-{context.run.run_id}")
        try:
            yield from _read_and_land(context, settings, spill_dir)
        finally:
            shutil.rmtree(spill_dir, ignore_errors=True)
            # Arrow's allocator keeps freed memory for reuse; the next step (dbt, in
            # its own process) is better off with it handed back to the system.
            pa.default_memory_pool().release_unused()

    return _land_source


def build_defs(sources: Sequence[Source] | None = None) -> Definitions:
    """The landing assets of `sources` (default: every source in `connectors.sources`)."""
    if sources is None:
        from connectors.sources import SOURCES

        sources = SOURCES
    return Definitions(assets=[build_source_assets(source) for source in sources])
