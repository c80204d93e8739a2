"""The dbt step on a tiny dbt project: it reads the landed raw tables of this refresh's
warehouse, and a failing dbt test stops the refresh by name before anything is published.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey, Definitions, in_process_executor
from dagster_dbt import DbtProject
from fake_source import FAKE_SOURCE, write_items_csv

from orchestration.defs.dbt.assets import build_dbt_assets
from orchestration.defs.dbt.resources import dbt_resource
from orchestration.defs.publish.assets import build_publish_asset, publish_deps
from orchestration.defs.sources.assets import build_source_assets
from orchestration.refresh import RefreshFailed, run_refresh

T = "2025-03-04T10:00:00"

_FILES = {
    "dbt_project.yml": """
name: tiny
version: "1.0"
config-version: 2
profile: tiny
models:
  tiny:
    staging: {+schema: staging, +materialized: view}
    marts: {+schema: marts, +materialized: table}
""",
    # No default path: the refresh must hand dbt the warehouse it landed into.
    "profiles.yml": """
tiny:
  target: duckdb
  outputs:
    duckdb: {type: duckdb, path: "{{ env_var('PRODUCTOPS_WAREHOUSE') }}", threads: 1}
""",
    "macros/generate_schema_name.sql": """
{% macro generate_schema_name(custom_schema_name, node) -%}
{{ custom_schema_name if custom_schema_name is not none else target.schema }}
{%- endmacro %}
""",
    "models/staging/_sources.yml": """
version: 2
sources:
  - name: fake
    schema: raw
    tables: [{name: items, identifier: fake__items}]
""",
    "models/staging/stg_fake__items.sql": "select item_id, price from {{ source('fake', 'items') }}\n",
    "models/marts/item_prices.sql": "select item_id, price from {{ ref('stg_fake__items') }}\n",
    "tests/no_negative_prices.sql": "select * from {{ ref('item_prices') }} where price < 0\n",
}


def _tiny_dbt_project(root: Path) -> DbtProject:
    for name, text in _FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text.lstrip())
    return DbtProject(project_dir=root, profiles_dir=root)


def _definitions(project: DbtProject) -> Definitions:
    landing = build_source_assets(FAKE_SOURCE)
    modelling = build_dbt_assets(project)
    publish = build_publish_asset(publish_deps([landing, modelling]))
    return Definitions(
        assets=[landing, modelling, publish],
        resources={"dbt": dbt_resource(project)},
        executor=in_process_executor,
    )


def test_dbt_builds_from_the_landed_rows_and_a_failed_test_blocks_publishing(tmp_path, folders):
    definitions = _definitions(_tiny_dbt_project(tmp_path / "tiny"))
    graph = definitions.resolve_asset_graph()
    assert graph.get(AssetKey(["staging", "stg_fake__items"])).parent_keys == {
        AssetKey(["raw", "fake__items"])
    }
    write_items_csv(folders.sources_dir, [("A", "apple", 1.5, "ann@example.com", T)])

    first = run_refresh(progress=lambda _: None, definitions=definitions)

    assert first.mart_rows == {"item_prices": 1}
    write_items_csv(
        folders.sources_dir,
        [("A", "apple", 1.5, "ann@example.com", T), ("B", "bad", -1, "bo@example.com", T)],
    )
    lines: list[str] = []
    with pytest.raises(RefreshFailed) as failure:
        run_refresh(progress=lines.append, definitions=definitions)

    assert failure.value.step == "dbt_models"
    assert "test.tiny.no_negative_prices: fail" in failure.value.error
    assert "publish: not run, a step it depends on failed" in lines
    serving = duckdb.connect(str(folders.settings.serving_path), read_only=True)
    try:
        assert serving.execute("SELECT DISTINCT batch_id FROM meta.refresh").fetchall() == [
            (first.batch_id,)
        ]
        assert serving.execute("SELECT count(*) FROM marts.item_prices").fetchone() == (1,)
    finally:
        serving.close()
