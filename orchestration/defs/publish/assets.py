"""The `publish` asset: swap in a new serving copy once every mart is built."""

# No `from __future__ import annotations`: Dagster reads the context annotation at runtime.
from collections.abc import Iterable

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    Definitions,
    MaterializeResult,
    MetadataValue,
    asset,
)

from orchestration.serving import MARTS_SCHEMA, publish_serving_copy
from orchestration.serving_postgres import publish_serving_copy_from_postgres
from orchestration.settings import get_settings
from orchestration.warehouse import RAW_SCHEMA, WAREHOUSE_POOL


def publish_deps(upstream: Iterable[AssetsDefinition]) -> list[AssetKey]:
    """What publish waits for: every `marts/*` asset and every raw table no model reads.

    A step is skipped when something it depends on fails, so depending on the marts
    alone would let a failed landing that feeds no model still publish; the unread raw
    tables close that gap.
    """
    upstream = list(upstream)
    produced = {key for assets_def in upstream for key in assets_def.keys}
    read = {dep for assets_def in upstream for dep in assets_def.dependency_keys}
    marts = {key for key in produced if key.path[0] == MARTS_SCHEMA}
    unread_raw = {key for key in produced if key.path[0] == RAW_SCHEMA and key not in read}
    return sorted(marts | unread_raw, key=lambda key: key.to_user_string())


def build_publish_asset(deps: Iterable[AssetKey]) -> AssetsDefinition:
    """The `publish` asset, downstream of `deps`."""

    @asset(
        name="publish",
        group_name="publish",
        deps=list(deps),
        pool=WAREHOUSE_POOL,
        kinds={"duckdb"},
        description="Atomically replaces the serving copy the dashboards read.",
    )
    def publish(context: AssetExecutionContext) -> MaterializeResult:
        settings = get_settings()
        if settings.target == "postgres":
            publication = publish_serving_copy_from_postgres(
                settings,
                serving_path=settings.serving_path,
                batch_id=context.run.run_id,
                sources_dir_name=settings.sources_dir.name,
            )
        else:
            publication = publish_serving_copy(
                warehouse_path=settings.warehouse_path,
                serving_path=settings.serving_path,
                batch_id=context.run.run_id,
                sources_dir_name=settings.sources_dir.name,
            )
        return MaterializeResult(
            metadata={
                "marts": len(publication.row_counts),
                "dagster/row_count": sum(publication.row_counts.values()),
                "row_counts": MetadataValue.json(publication.row_counts),
                "published_at": MetadataValue.text(publication.published_at.isoformat() + "Z"),
            }
        )

    return publish


def build_defs(upstream: Iterable[AssetsDefinition]) -> Definitions:
    """The publish asset, waiting on the marts (and unread raw tables) of `upstream`."""
    return Definitions(assets=[build_publish_asset(publish_deps(upstream))])
