"""The real asset graph: every landing table feeds dbt staging, publish waits for every mart.

Computed from `connectors.sources.SOURCES` and the dbt manifest, so adding a source
table or a mart without wiring it fails here.
"""

from __future__ import annotations

import json

import pytest
from dagster import AssetKey

from orchestration.settings import DBT_PROJECT_DIR
from orchestration.warehouse import WAREHOUSE_POOL

SOURCES = pytest.importorskip("connectors.sources").SOURCES


@pytest.fixture(scope="module")
def defs():
    from orchestration.definitions import defs

    return defs


@pytest.fixture(scope="module")
def graph(defs):
    return defs.resolve_asset_graph()


def _raw_keys() -> set[AssetKey]:
    return {AssetKey(["raw", table.name]) for source in SOURCES for table in source.tables}


def _manifest_marts() -> set[AssetKey]:
    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
    return {
        AssetKey(["marts", node["name"]])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] == "marts"
    }


def test_every_raw_table_is_landed_by_its_sources_asset(graph):
    for source in SOURCES:
        for table in source.tables:
            node = graph.get(AssetKey(["raw", table.name]))
            assert node.group_name == f"raw_{source.name}"
            assert node.assets_def.node_def.name == f"raw_{source.name}"


def test_every_raw_table_is_read_by_a_staging_model(graph):
    read_by_staging = {
        parent
        for key in graph.get_all_asset_keys()
        if key.path[0] == "staging"
        for parent in graph.get(key).parent_keys
    }
    unread = sorted(key.to_user_string() for key in _raw_keys() - read_by_staging)
    assert unread == []


def test_staging_reads_only_raw_and_staging(graph):
    # Derived staging views (status changes from the changelog, status history from the
    # SCD-2 snapshot) read other staging views or snapshots; never intermediate or marts.
    staging = [key for key in graph.get_all_asset_keys() if key.path[0] == "staging"]
    assert staging
    for key in staging:
        parents = graph.get(key).parent_keys
        allowed = ("raw", "staging", "snapshots")
        assert parents and all(p.path[0] in allowed for p in parents), key
        assert any(a.path[0] == "raw" for a in _ancestors(graph, key)), key


def _ancestors(graph, key: AssetKey) -> set[AssetKey]:
    seen: set[AssetKey] = set()
    todo = [key]
    while todo:
        for parent in graph.get(todo.pop()).parent_keys:
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def test_every_mart_is_built_from_landed_rows_through_staging(graph):
    for mart in _manifest_marts():
        layers = {ancestor.path[0] for ancestor in _ancestors(graph, mart)}
        assert {"raw", "staging"} <= layers, mart


def test_publish_waits_for_every_mart(graph):
    marts = _manifest_marts()
    assert {
        AssetKey(["marts", "dim_products"]),
        AssetKey(["marts", "fct_product_cost_revenue"]),
    } <= marts
    assert marts <= graph.get(AssetKey("publish")).parent_keys


def test_every_step_that_writes_the_warehouse_shares_one_pool(graph):
    # The board pack reads only the published serving copy, so it needs no writer slot.
    assets_defs = {
        graph.get(key).assets_def
        for key in graph.get_all_asset_keys()
        if key != AssetKey("board_pack")
    }
    assert {assets_def.node_def.pool for assets_def in assets_defs} == {WAREHOUSE_POOL}


def test_the_nightly_schedule_refreshes_everything_at_two(defs, graph):
    schedule = defs.resolve_schedule_def("nightly_refresh")
    assert schedule.cron_schedule == "0 2 * * *"
    selected = schedule.job.selection.resolve(graph)
    # Everything but the board pack, which only the quarter-end schedule renders.
    assert selected == graph.get_all_asset_keys() - {AssetKey("board_pack")}
