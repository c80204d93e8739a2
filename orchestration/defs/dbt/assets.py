"""Every dbt model, snapshot and test as Dagster assets and checks, built by `dbt build`.

dbt sources map to the landing assets (`raw/<table>`), so staging waits for landing;
models map to `<schema>/<model>` (`staging/...`, `marts/dim_products`).
"""

# No `from __future__ import annotations`: Dagster reads the context annotation at runtime.
import json
import re
import shutil
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, Config, Definitions
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from orchestration.defs.dbt.partial_parse import (
    keep_partial_parse,
    partial_parse_cache_path,
    seed_partial_parse,
)
from orchestration.defs.dbt.resources import (
    DBT_PROJECT,
    dbt_build_args,
    dbt_env,
    dbt_project_files,
    dbt_resource,
    dbt_subprocess_environment,
    ensure_manifest,
    failed_nodes,
)
from orchestration.defs.dbt.tested_cutoff import (
    StoredCutoffs,
    cutoff_state_path,
    cutoffs_environment,
    fully_tested_models,
    load_tested_cutoffs,
    project_fingerprint,
    record_successful_build,
    target_identity,
    usable_cutoffs,
)
from orchestration.defs.sources.assets import raw_asset_key
from orchestration.settings import get_settings
from orchestration.warehouse import WAREHOUSE_POOL, utc_now

_BUILT_RESOURCE_TYPES = {"model", "snapshot", "seed"}


class DbtBuildFailed(RuntimeError):
    """`dbt build` failed; the message lists each failed model, snapshot or test."""


class ProductopsDbtTranslator(DagsterDbtTranslator):
    """Sources are the raw landing tables; models are keyed by schema, grouped by folder."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        """`raw/<identifier>` for a source, `<schema>/<name>` for a model or snapshot."""
        resource_type = dbt_resource_props["resource_type"]
        if resource_type == "source":
            return raw_asset_key(dbt_resource_props["identifier"])
        if resource_type in _BUILT_RESOURCE_TYPES:
            return AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """Models are grouped by their folder: `models/staging/jira/` is `staging_jira`.

        A model directly in a layer's folder takes the layer's name; one outside any
        folder takes its schema.
        """
        if dbt_resource_props["resource_type"] not in _BUILT_RESOURCE_TYPES:
            return super().get_group_name(dbt_resource_props)
        path = dbt_resource_props.get("original_file_path")
        if path:
            # `snapshots/x.sql` is `snapshots`; models drop their `models/` root.
            folders = list(PurePosixPath(path).parent.parts)
            if folders[:1] == ["models"]:
                folders = folders[1:]
        else:
            folders = list(dbt_resource_props.get("fqn") or [])[1:-1]
        name = "_".join(folders) or dbt_resource_props["schema"]
        # Dagster group names allow letters, digits and underscores only.
        return re.sub(r"[^A-Za-z0-9_]", "_", name)


class DbtBuildConfig(Config):
    """Run configuration of the dbt step (settable in the Dagster UI's launchpad)."""

    full_refresh: bool = False


@dataclass(frozen=True)
class DbtBuildCutoffs:
    """The tested cutoffs of one `dbt build`: what it passes to dbt, and what it records.

    See tested_cutoff.py: the heavy tests of a model check only rows loaded since its
    tests last passed; a failed build records nothing.
    """

    path: Path
    stored: StoredCutoffs | None
    fingerprint: str
    target: str
    full_refresh: bool
    started_at: datetime

    @classmethod
    def start(
        cls, data_dir: Path, project_dir: Path, warehouse_path: Path, full_refresh: bool
    ) -> "DbtBuildCutoffs":
        """Take the build's start time (before dbt reads anything) and the stored cutoffs."""
        started_at = utc_now()
        path = cutoff_state_path(data_dir)
        return cls(
            path=path,
            stored=load_tested_cutoffs(path),
            fingerprint=project_fingerprint(dbt_project_files(project_dir), project_dir),
            target=target_identity(dbt_env(warehouse_path)),
            full_refresh=full_refresh,
            started_at=started_at,
        )

    def environment(self) -> dict[str, str]:
        """The cutoffs dbt may use, as the variable the test macros read."""
        return cutoffs_environment(
            usable_cutoffs(
                self.stored, self.fingerprint, self.target, full_refresh=self.full_refresh
            )
        )

    def record_success(self, target_path: Path) -> StoredCutoffs | None:
        """After a successful build: advance the cutoffs of the models whose tests all passed.

        Without the build's artifacts nothing is recorded: the next build checks the
        same rows again, which costs time, never a missed row.
        """
        try:
            manifest = json.loads((target_path / "manifest.json").read_text())
            run_results = json.loads((target_path / "run_results.json").read_text())
        except (OSError, ValueError):
            return None
        return record_successful_build(
            self.path,
            self.stored,
            fingerprint=self.fingerprint,
            target=self.target,
            full_refresh=self.full_refresh,
            started_at=self.started_at,
            tested_models=fully_tested_models(manifest, run_results),
        )


def build_dbt_assets(project: DbtProject = DBT_PROJECT) -> AssetsDefinition:
    """The `dbt_models` multi-asset over the project's manifest (parsed first if stale)."""
    ensure_manifest(project.project_dir)

    @dbt_assets(
        manifest=project.manifest_path,
        project=project,
        name="dbt_models",
        dagster_dbt_translator=ProductopsDbtTranslator(),
        pool=WAREHOUSE_POOL,
    )
    def _dbt_models(
        context: AssetExecutionContext, dbt: DbtCliResource, config: DbtBuildConfig
    ) -> Iterator[Any]:
        settings = get_settings()
        target_path = invocation_target_path(project.project_dir, context.run.run_id)
        parse_cache = partial_parse_cache_path(settings.data_dir)
        seed_partial_parse(parse_cache, target_path)
        full_refresh = config.full_refresh or settings.full_refresh
        cutoffs = DbtBuildCutoffs.start(
            settings.data_dir, project.project_dir, settings.warehouse_path, full_refresh
        )
        with dbt_subprocess_environment(settings.warehouse_path, cutoffs.environment()):
            invocation = dbt.cli(
                dbt_build_args(full_refresh=full_refresh, unit_tests=False),
                context=context,
                raise_on_error=False,
                target_path=target_path,
            )
            yield from invocation.stream()
        if invocation.is_successful():
            keep_partial_parse(invocation.target_path, parse_cache)
            cutoffs.record_success(invocation.target_path)
            # Each invocation writes its own target folder; only a failed one is worth keeping.
            shutil.rmtree(invocation.target_path, ignore_errors=True)
            return
        try:
            failures = failed_nodes(invocation.get_artifact("run_results.json"))
        except FileNotFoundError:
            failures = []
        if not failures:
            raise DbtBuildFailed(str(invocation.get_error()))
        raise DbtBuildFailed("dbt build failed:\n" + "\n".join(failures))

    return _dbt_models


def invocation_target_path(project_dir: Path, run_id: str) -> Path:
    """A new target folder for one `dbt build` of a run, named as dagster-dbt names its own."""
    return Path(project_dir) / "target" / f"dbt_models-{run_id[:7]}-{uuid.uuid4().hex[:7]}"


@cache
def dbt_models() -> AssetsDefinition:
    """The dbt assets of the project in dbt_project/, built once per process."""
    return build_dbt_assets()


def build_defs() -> Definitions:
    """The dbt assets and the `dbt` resource that runs them."""
    return Definitions(assets=[dbt_models()], resources={"dbt": dbt_resource()})
