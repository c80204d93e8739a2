"""One multi-asset per source (`raw_<source>`) producing one asset per raw table.

Each run reads the source once, through the same reader for demo files and real
exports, and lands every table as `raw.<table>` under the run's id as batch id.
"""

# No `from __future__ import annotations`: Dagster reads the context annotation at runtime.
from collections.abc import Iterator, Sequence

import pyarrow as pa
import pyarrow.compute as pc
from dagster import (
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

from connectors.pseudonymise import make_pseudonymiser
from connectors.registry import RawTable, ReadContext, Source
from orchestration.settings import get_settings
from orchestration.warehouse import RAW_SCHEMA, WAREHOUSE_POOL, land, open_warehouse, utc_now


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


def _source_file_count(rows: pa.Table) -> int:
    if "_source" not in rows.schema.names or rows.num_rows == 0:
        return 0
    return len(pc.unique(rows.column("_source")).drop_null())


def build_source_assets(source: Source) -> AssetsDefinition:
    """The `raw_<source>` multi-asset: read the source, land each of its tables."""
    tables_by_name = {table.name: table for table in source.tables}

    @multi_asset(
        name=f"raw_{source.name}",
        specs=[_spec(source, table) for table in source.tables],
        pool=WAREHOUSE_POOL,
    )
    def _land_source(context: AssetExecutionContext) -> Iterator[MaterializeResult]:
        settings = get_settings()
        read_context = ReadContext(
            sources_dir=settings.sources_dir,
            pseudonymise=make_pseudonymiser(settings.pseudonym_key),
            catalog_path=settings.catalog_path,
        )
        # Read everything before opening the warehouse, so the write lock is held only
        # for the landing itself.
        tables = source.read(read_context)
        unknown = sorted(set(tables) - set(tables_by_name))
        if unknown:
            raise ValueError(
                f"source {source.name!r} returned tables it does not declare: {unknown}"
            )
        loaded_at = utc_now()
        with open_warehouse(settings.warehouse_path) as con:
            for table in source.tables:
                # A missing export lands no rows but still creates the table dbt reads.
                rows = tables.get(table.name, table.schema.empty_table())
                count = land(con, table, rows, batch_id=context.run_id, loaded_at=loaded_at)
                context.log.info(f"landed {count} rows in raw.{table.name}")
                yield MaterializeResult(
                    asset_key=raw_asset_key(table.name),
                    metadata={
                        "dagster/row_count": count,
                        "source_files": _source_file_count(rows),
                    },
                )

    return _land_source


def build_defs(sources: Sequence[Source] | None = None) -> Definitions:
    """The landing assets of `sources` (default: every source in `connectors.sources`)."""
    if sources is None:
        from connectors.sources import SOURCES

        sources = SOURCES
    return Definitions(assets=[build_source_assets(source) for source in sources])
