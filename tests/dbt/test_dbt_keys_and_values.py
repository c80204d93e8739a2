"""The one-per-model keys_and_values test fails on bad keys and values and names each one.

A copy of the built fixture warehouse gets faults planted by hand, then only the two
tests that cover them run, storing their failing rows:

- dim_teams (unique team_id; default_category accepts four categories): the first team
  is inserted a second time, the last team's default_category becomes 'moonshots', and
  another copy of the last team gets a null team_id and a null default_category: null
  keys and null values pass, as with dbt's own `unique` and `accepted_values`.
- fct_org_shape (unique portfolio_id + month; org_stage accepts the numbers 0-4): the
  first row is inserted a second time and the last row's org_stage becomes 9.

The manifest checks keep the merge honest: no single-rule test of a merged kind is left
on a model with the default config, and every column a merged rule names is a column
the model's YAML documents.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from dbt_runner import DbtWarehouse, run_dbt, stored_failures

TEAMS_TEST = "keys_and_values_dim_teams"
ORG_SHAPE_TEST = "keys_and_values_fct_org_shape"
MERGED_KINDS = ("unique", "unique_combination_of_columns", "accepted_values")


def _plant_faults(warehouse: Path) -> dict[str, str]:
    """Plant the faults and return the keys they touch, as the failing rows show them."""
    with duckdb.connect(str(warehouse)) as connection:
        first_team, last_team = connection.execute(
            "select min(team_id), max(team_id) from marts.dim_teams"
        ).fetchone()
        connection.execute(
            "insert into marts.dim_teams select * from marts.dim_teams where team_id = ?",
            [first_team],
        )
        connection.execute(
            "update marts.dim_teams set default_category = 'moonshots' where team_id = ?",
            [last_team],
        )
        connection.execute(
            "insert into marts.dim_teams select * from marts.dim_teams where team_id = ?",
            [last_team],
        )
        connection.execute(
            "update marts.dim_teams set team_id = null, default_category = null"
            " where rowid = (select max(rowid) from marts.dim_teams)"
        )
        first_portfolio, first_month = connection.execute(
            "select portfolio_id, cast(month as varchar) from marts.fct_org_shape"
            " order by portfolio_id, month limit 1"
        ).fetchone()
        connection.execute(
            "insert into marts.fct_org_shape select * from marts.fct_org_shape"
            " where portfolio_id = ? and cast(month as varchar) = ?",
            [first_portfolio, first_month],
        )
        last_portfolio, last_month = connection.execute(
            "select portfolio_id, month from marts.fct_org_shape"
            " order by portfolio_id desc, month desc limit 1"
        ).fetchone()
        connection.execute(
            "update marts.fct_org_shape set org_stage = 9 where portfolio_id = ? and month = ?",
            [last_portfolio, last_month],
        )
    return {"first_team": first_team, "first_org_shape_key": f"{first_portfolio}, {first_month}"}


def _stored_failures(warehouse: Path, test_name: str) -> set[tuple[str, str, str, int]]:
    return {
        (rule, columns, value, int(count))
        for rule, columns, value, count in stored_failures(
            warehouse, test_name, "rule, columns, offending_value, rows_found"
        )
    }


@pytest.fixture(scope="module")
def planted(dbt_warehouse: DbtWarehouse, tmp_path_factory: pytest.TempPathFactory):
    """The fixture warehouse with faults planted, after the two tests ran on it."""
    work_dir = tmp_path_factory.mktemp("keys_and_values")
    warehouse = work_dir / "warehouse.duckdb"
    shutil.copyfile(dbt_warehouse.path, warehouse)
    keys = _plant_faults(warehouse)
    result = run_dbt(
        ["test", "--store-failures", "--select", TEAMS_TEST, ORG_SHAPE_TEST], warehouse, work_dir
    )
    run_results = json.loads((work_dir / "target" / "run_results.json").read_text())
    statuses = {
        node["unique_id"].split(".")[2]: (node["status"], node["failures"])
        for node in run_results["results"]
    }
    return warehouse, result, statuses, keys


@pytest.fixture(scope="module")
def manifest(dbt_warehouse: DbtWarehouse) -> dict:
    """The manifest of the fixture warehouse's `dbt build`."""
    return json.loads((dbt_warehouse.path.parent / "target" / "manifest.json").read_text())


def test_the_same_tests_pass_before_the_faults_are_planted(dbt_warehouse: DbtWarehouse):
    statuses = {node.split(".")[2]: status for node, status in dbt_warehouse.node_statuses.items()}
    assert [statuses[TEAMS_TEST], statuses[ORG_SHAPE_TEST]] == ["pass", "pass"]


def test_a_duplicate_key_and_an_unaccepted_value_are_each_named(planted):
    warehouse, result, statuses, keys = planted
    assert result.returncode == 1
    assert statuses[TEAMS_TEST] == ("fail", 2)
    assert _stored_failures(warehouse, TEAMS_TEST) == {
        ("unique", "team_id", keys["first_team"], 2),
        ("accepted_values", "default_category", "moonshots", 1),
    }


def test_a_duplicate_compound_key_and_an_unaccepted_number_are_each_named(planted):
    warehouse, _, statuses, keys = planted
    assert statuses[ORG_SHAPE_TEST] == ("fail", 2)
    assert _stored_failures(warehouse, ORG_SHAPE_TEST) == {
        ("unique_combination", "portfolio_id, month", keys["first_org_shape_key"], 2),
        ("accepted_values", "org_stage", "9", 1),
    }


def test_the_failure_message_names_the_failing_tests(planted):
    _, result, _, _ = planted
    output = result.stdout + result.stderr
    assert f"Failure in test {TEAMS_TEST}" in output
    assert f"Failure in test {ORG_SHAPE_TEST}" in output


def test_no_single_rule_test_of_a_merged_kind_is_left_with_the_default_config(manifest):
    leftovers = [
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        and (node.get("test_metadata") or {}).get("name") in MERGED_KINDS
        and node["config"]["severity"].lower() == "error"
        and node["config"]["where"] is None
    ]
    assert leftovers == []


def test_each_model_has_one_merged_test_per_config_and_it_names_documented_columns(manifest):
    seen: set[tuple[str, str, str | None]] = set()
    unknown: list[tuple[str, str]] = []
    for node in manifest["nodes"].values():
        if (node.get("test_metadata") or {}).get("name") != "keys_and_values":
            continue
        model = manifest["nodes"][node["attached_node"]]
        key = (model["name"], node["config"]["severity"], node["config"]["where"])
        assert key not in seen, f"two keys_and_values tests with one config: {key}"
        seen.add(key)
        rules = node["test_metadata"]["kwargs"]
        named = [
            *rules.get("unique", []),
            *(column for columns in rules.get("unique_combinations", []) for column in columns),
            *rules.get("accepted_values", {}),
        ]
        unknown += [(model["name"], column) for column in named if column not in model["columns"]]
    assert unknown == []
    # Every model of the project with a key or value rule: the merge covers 70 models.
    assert len(seen) == 70
