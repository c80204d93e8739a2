"""The dbt step's tested cutoffs: passed on, advanced by a success, kept by a failure.

End to end on a tiny dbt project that uses the real `keys_and_values` test and its
`new_rows_filter` macro (name must be apple or pear, new rows only):

1. item A (apple) lands and passes: stg_fake__items gets a cutoff after A's landing;
2. item B (bad) lands: the test, given that cutoff, checks B and fails, naming 'bad';
   the stored cutoffs do not change;
3. a refresh with no new file lands nothing, and B is checked (and fails) again: the
   failed build did not move the cutoff past it;
4. B becomes pear: the refresh passes and the cutoff moves past B's landing.

Then the bookkeeping by hand: which models a build may advance, and when the stored
cutoffs are dropped (a changed project file, another target, a full refresh).
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from dagster import Definitions, in_process_executor
from dagster_dbt import DbtProject
from fake_source import FAKE_SOURCE, write_items_csv

from orchestration.defs.dbt.assets import build_dbt_assets
from orchestration.defs.dbt.resources import DBT_PROJECT, dbt_resource
from orchestration.defs.dbt.tested_cutoff import (
    CUTOFFS_ENV_VAR,
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
from orchestration.defs.sources.assets import build_source_assets
from orchestration.refresh import RefreshFailed, run_refresh

T = "2025-03-04T10:00:00"
REAL_PROJECT = Path(DBT_PROJECT.project_dir)
COPIED = ("tests/generic/keys_and_values.sql", "macros/new_rows_filter.sql")
_FILES = {
    "dbt_project.yml": """
name: tiny
version: "1.0"
config-version: 2
profile: tiny
models:
  tiny:
    staging: {+schema: staging, +materialized: view}
""",
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
    "models/staging/stg_fake__items.sql": (
        "select item_id, name, _loaded_at as loaded_at from {{ source('fake', 'items') }}\n"
    ),
    "models/staging/_models.yml": """
version: 2
models:
  - name: stg_fake__items
    data_tests:
      - keys_and_values:
          name: keys_and_values_stg_fake__items
          arguments:
            unique: [item_id]
            accepted_values: {name: [apple, pear]}
            new_rows_column: loaded_at
""",
}


def _tiny_dbt_project(root: Path) -> DbtProject:
    for name, text in _FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text.lstrip())
    for name in COPIED:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REAL_PROJECT / name, root / name)
    return DbtProject(project_dir=root, profiles_dir=root)


def _loaded_at(warehouse: Path, item_id: str) -> datetime:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(
            "select _loaded_at from raw.fake__items where item_id = ?", [item_id]
        ).fetchone()[0]


def _compiled_test_sql(project_dir: Path) -> str:
    """The test's SQL as the newest failed build ran it (a failed build keeps its target)."""
    compiled = sorted(
        (project_dir / "target").glob(
            "dbt_models-*/run/tiny/**/keys_and_values_stg_fake__items.sql"
        ),
        key=lambda path: path.stat().st_mtime,
    )
    return compiled[-1].read_text()


def test_a_failed_build_keeps_the_cutoff_so_bad_rows_are_checked_again(tmp_path, folders):
    project = _tiny_dbt_project(tmp_path / "tiny")
    definitions = Definitions(
        assets=[build_source_assets(FAKE_SOURCE), build_dbt_assets(project)],
        resources={"dbt": dbt_resource(project)},
        executor=in_process_executor,
    )
    state = cutoff_state_path(folders.settings.data_dir)
    warehouse = folders.settings.warehouse_path
    quiet = lambda _: None

    write_items_csv(folders.sources_dir, [("A", "apple", 1.5, "ann@example.com", T)])
    run_refresh(progress=quiet, definitions=definitions)
    first = load_tested_cutoffs(state)
    assert first is not None and set(first.models) == {"stg_fake__items"}
    first_cutoff = datetime.fromisoformat(first.models["stg_fake__items"])
    assert first_cutoff > _loaded_at(warehouse, "A")

    write_items_csv(
        folders.sources_dir,
        [("A", "apple", 1.5, "ann@example.com", T), ("B", "bad", 2.0, "bo@example.com", T)],
    )
    with pytest.raises(RefreshFailed) as failure:
        run_refresh(progress=quiet, definitions=definitions)
    assert "keys_and_values_stg_fake__items" in failure.value.error
    assert load_tested_cutoffs(state) == first
    b_landed = _loaded_at(warehouse, "B")
    assert b_landed > first_cutoff

    with pytest.raises(RefreshFailed):
        run_refresh(progress=quiet, definitions=definitions)
    assert _loaded_at(warehouse, "B") == b_landed  # nothing landed again
    assert f"loaded_at >= cast('{first.models['stg_fake__items']}'" in _compiled_test_sql(
        project.project_dir
    )
    assert load_tested_cutoffs(state) == first

    write_items_csv(
        folders.sources_dir,
        [("A", "apple", 1.5, "ann@example.com", T), ("B", "pear", 2.0, "bo@example.com", T)],
    )
    run_refresh(progress=quiet, definitions=definitions)
    advanced = load_tested_cutoffs(state)
    assert advanced is not None
    assert datetime.fromisoformat(advanced.models["stg_fake__items"]) > _loaded_at(warehouse, "B")


def _manifest_and_results(statuses: dict[str, str]) -> tuple[dict, dict]:
    """A manifest with two models: `events` has two scoped tests, `orders` one and an
    unscoped one; run results with the given status per test name."""
    tests = {
        "keys_events": ("events", {"unique": ["id"], "new_rows_column": "loaded_at"}),
        "not_null_events": ("events", {"columns": ["id"], "new_rows_column": "loaded_at"}),
        "keys_orders": ("orders", {"unique": ["id"], "new_rows_column": "loaded_at"}),
        "plain_orders": ("orders", {"unique": ["id"]}),
    }
    nodes: dict[str, dict] = {
        f"model.p.{name}": {"resource_type": "model", "name": name, "alias": name}
        for name in ("events", "orders")
    }
    for test, (model, kwargs) in tests.items():
        nodes[f"test.p.{test}"] = {
            "resource_type": "test",
            "attached_node": f"model.p.{model}",
            "test_metadata": {"name": "keys_and_values", "kwargs": kwargs},
        }
    results = [{"unique_id": f"test.p.{t}", "status": s} for t, s in statuses.items()]
    return {"nodes": nodes}, {"results": results}


def test_only_models_whose_scoped_tests_all_passed_advance():
    everything = {"keys_events": "pass", "not_null_events": "pass", "keys_orders": "pass"}
    assert fully_tested_models(*_manifest_and_results(everything)) == {"events", "orders"}
    # an unscoped test failing does not matter; a scoped one warning or not run does
    assert fully_tested_models(
        *_manifest_and_results({**everything, "plain_orders": "fail", "not_null_events": "warn"})
    ) == {"orders"}
    assert fully_tested_models(
        *_manifest_and_results({"keys_events": "pass", "keys_orders": "pass"})
    ) == {"orders"}


def test_success_advances_and_other_models_keep_their_cutoffs(tmp_path):
    path = tmp_path / "state" / "dbt" / "tested_cutoffs.json"
    first = record_successful_build(
        path,
        None,
        fingerprint="f1",
        target="t",
        full_refresh=False,
        started_at=datetime(2026, 1, 1, 2, 0, 0, 5),
        tested_models=["events", "orders"],
    )
    assert load_tested_cutoffs(path) == first
    assert first.models == {
        "events": "2026-01-01 02:00:00.000005",
        "orders": "2026-01-01 02:00:00.000005",
    }
    second = record_successful_build(
        path,
        first,
        fingerprint="f1",
        target="t",
        full_refresh=False,
        started_at=datetime(2026, 1, 2, 2, 0, 0),
        tested_models=["events"],
    )
    assert second.models == {
        "events": "2026-01-02 02:00:00.000000",
        "orders": "2026-01-01 02:00:00.000005",
    }
    assert usable_cutoffs(second, "f1", "t", full_refresh=False) == second.models
    assert json.loads(cutoffs_environment(second.models)[CUTOFFS_ENV_VAR]) == second.models


def test_a_changed_project_another_target_or_a_full_refresh_checks_every_row(tmp_path):
    stored = StoredCutoffs("f1", "t", {"events": "2026-01-01 02:00:00.000000"})
    assert usable_cutoffs(stored, "f2", "t", full_refresh=False) == {}
    assert usable_cutoffs(stored, "f1", "other", full_refresh=False) == {}
    assert usable_cutoffs(stored, "f1", "t", full_refresh=True) == {}
    assert usable_cutoffs(None, "f1", "t", full_refresh=False) == {}
    assert cutoffs_environment({}) == {CUTOFFS_ENV_VAR: "{}"}
    # and what such a build records keeps none of the old models
    after_full = record_successful_build(
        tmp_path / "cutoffs.json",
        stored,
        fingerprint="f1",
        target="t",
        full_refresh=True,
        started_at=datetime(2026, 2, 1),
        tested_models=["orders"],
    )
    assert after_full.models == {"orders": "2026-02-01 00:00:00.000000"}


def test_the_fingerprint_follows_every_project_file(tmp_path):
    project = _tiny_dbt_project(tmp_path / "tiny")
    files = [p for p in project.project_dir.rglob("*") if p.is_file()]
    before = project_fingerprint(files, project.project_dir)
    assert project_fingerprint(list(reversed(files)), project.project_dir) == before
    rule = project.project_dir / "models" / "staging" / "_models.yml"
    rule.write_text(rule.read_text().replace("[apple, pear]", "[apple]"))
    assert project_fingerprint(files, project.project_dir) != before


def test_a_damaged_state_file_means_no_cutoffs(tmp_path):
    path = tmp_path / "cutoffs.json"
    assert load_tested_cutoffs(path) is None
    path.write_text("{not json")
    assert load_tested_cutoffs(path) is None
    path.write_text(json.dumps({"fingerprint": "f", "target": "t", "models": {"a": 1}}))
    assert load_tested_cutoffs(path) is None


def test_the_target_is_the_warehouse_not_how_much_memory_dbt_may_use():
    here = {"PRODUCTOPS_TARGET": "duckdb", "PRODUCTOPS_WAREHOUSE": "/data/warehouse.duckdb"}
    capped = target_identity({**here, "PRODUCTOPS_DUCKDB_MEMORY_LIMIT": "4GB"})
    assert capped == target_identity({**here, "PRODUCTOPS_DUCKDB_MEMORY_LIMIT": "80%"})
    assert capped != target_identity({**here, "PRODUCTOPS_WAREHOUSE": "/other/warehouse.duckdb"})
    secret = target_identity({**here, "DBT_ENV_SECRET_PG_PASSWORD": "s3cret"})
    assert "s3cret" not in secret
