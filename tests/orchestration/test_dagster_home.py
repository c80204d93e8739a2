"""The Dagster instance folder lets one warehouse-writing step run at a time."""

from __future__ import annotations

from dagster import DagsterInstance

from orchestration.dagster_home import prepare_dagster_home
from orchestration.warehouse import WAREHOUSE_POOL


def test_an_instance_from_the_prepared_home_limits_the_warehouse_pool_to_one(tmp_path):
    home = prepare_dagster_home(tmp_path / "dagster")

    instance = DagsterInstance.from_config(str(home))
    try:
        info = instance.event_log_storage.get_concurrency_info(WAREHOUSE_POOL)
    finally:
        instance.dispose()
    assert info.limit == 1


def test_a_deployments_own_dagster_yaml_is_left_alone(tmp_path):
    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: true\n")

    prepare_dagster_home(tmp_path)

    assert (tmp_path / "dagster.yaml").read_text() == "telemetry:\n  enabled: true\n"
