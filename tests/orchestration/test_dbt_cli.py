"""How dbt is called: arguments, environment, failures, manifest freshness, asset keys."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from dagster import AssetKey

from orchestration.defs.dbt.assets import ProductopsDbtTranslator
from orchestration.defs.dbt.resources import (
    WAREHOUSE_ENV_VAR,
    dbt_build_args,
    dbt_executable,
    dbt_parse_args,
    dbt_subprocess_environment,
    ensure_manifest,
    failed_nodes,
    manifest_is_stale,
)


def test_build_runs_dbt_build_and_full_refresh_only_when_asked():
    assert dbt_build_args() == ["build"]
    assert dbt_build_args(full_refresh=True) == ["build", "--full-refresh"]


def test_parse_reads_the_project_and_its_own_profiles(tmp_path):
    args = dbt_parse_args(tmp_path)
    assert args[0] == "parse"
    assert args[args.index("--project-dir") + 1] == str(tmp_path)
    assert args[args.index("--profiles-dir") + 1] == str(tmp_path)


def test_dbt_is_the_one_installed_beside_this_python():
    assert Path(dbt_executable()) == Path(sys.executable).parent / "dbt"


def test_the_warehouse_path_reaches_dbt_and_the_environment_is_restored(tmp_path, monkeypatch):
    monkeypatch.delenv(WAREHOUSE_ENV_VAR, raising=False)
    with dbt_subprocess_environment(tmp_path / "w.duckdb"):
        assert os.environ[WAREHOUSE_ENV_VAR] == str(tmp_path / "w.duckdb")
    assert WAREHOUSE_ENV_VAR not in os.environ


def test_failed_models_and_tests_are_listed_with_their_message():
    run_results = {
        "results": [
            {
                "unique_id": "model.productops.stg_jira__issues",
                "status": "success",
                "message": "OK",
            },
            {
                "unique_id": "test.productops.not_null_dim_products_product_id.1a",
                "status": "fail",
                "message": "Got 3 results,\n configured to fail if != 0",
            },
            {"unique_id": "model.productops.fct_x", "status": "error", "message": "Binder Error"},
            {"unique_id": "model.productops.fct_y", "status": "skipped", "message": None},
        ]
    }
    assert failed_nodes(run_results) == [
        (
            "test.productops.not_null_dim_products_product_id.1a: fail: "
            "Got 3 results, configured to fail if != 0"
        ),
        "model.productops.fct_x: error: Binder Error",
    ]


def test_sources_map_to_landing_assets_and_models_to_their_schema():
    translator = ProductopsDbtTranslator()
    source = {
        "resource_type": "source",
        "source_name": "jira",
        "name": "issues",
        "identifier": "jira__issues",
        "schema": "raw",
        "database": "warehouse",
        "fqn": ["productops", "staging", "jira", "jira", "issues"],
    }
    model = {
        "resource_type": "model",
        "name": "dim_products",
        "schema": "marts",
        "database": "warehouse",
        "fqn": ["productops", "marts", "dim_products"],
        "config": {},
        "meta": {},
    }
    assert translator.get_asset_key(source) == AssetKey(["raw", "jira__issues"])
    assert translator.get_asset_key(model) == AssetKey(["marts", "dim_products"])
    assert translator.get_group_name(model) == "marts"


def _tiny_project(root: Path) -> Path:
    (root / "models").mkdir(parents=True)
    (root / "dbt_project.yml").write_text(
        "name: tiny\nversion: '1.0'\nconfig-version: 2\nprofile: tiny\nmodel-paths: [models]\n"
    )
    (root / "profiles.yml").write_text(
        "tiny:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
        "      path: \"{{ env_var('PRODUCTOPS_WAREHOUSE') }}\"\n"
    )
    (root / "models" / "one.sql").write_text("select 1 as id\n")
    return root


def test_the_manifest_is_parsed_when_missing_or_older_than_a_model(tmp_path, folders):
    project = _tiny_project(tmp_path / "tiny")
    assert manifest_is_stale(project)

    manifest = ensure_manifest(project)

    assert manifest == project / "target" / "manifest.json"
    assert '"model.tiny.one"' in manifest.read_text()
    assert not manifest_is_stale(project)

    later = time.time() + 5
    (project / "models" / "two.sql").write_text("select 2 as id\n")
    os.utime(project / "models" / "two.sql", (later, later))
    assert manifest_is_stale(project)
    ensure_manifest(project)
    assert '"model.tiny.two"' in manifest.read_text()


def test_a_project_that_does_not_parse_fails_with_dbts_reason(tmp_path, folders):
    from orchestration.defs.dbt.resources import DbtParseFailed

    project = _tiny_project(tmp_path / "tiny")
    (project / "models" / "bad.sql").write_text("select {% if true %} 1\n")

    with pytest.raises(DbtParseFailed, match=r"dbt parse.*failed(.|\n)*bad.sql"):
        ensure_manifest(project)
