"""Every raw table the connectors land is a dbt source with a staging model."""

from __future__ import annotations

from pathlib import Path

import yaml
from dbt_raw_tables import RAW_TABLES

STAGING = Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "staging"


def _declared_sources() -> dict[str, tuple[str, str]]:
    """raw table name -> (dbt source name, dbt table name) from the staging source YAMLs."""
    declared: dict[str, tuple[str, str]] = {}
    for sources_file in STAGING.glob("*/_*__sources.yml"):
        for source in yaml.safe_load(sources_file.read_text())["sources"]:
            assert source["schema"] == "raw", sources_file
            for table in source["tables"]:
                declared[table["identifier"]] = (source["name"], table["name"])
    return declared


def test_every_landed_raw_table_is_a_dbt_source_named_by_its_prefix() -> None:
    declared = _declared_sources()
    assert set(declared) == {table.name for table in RAW_TABLES}
    for identifier, (source_name, table_name) in declared.items():
        assert identifier == f"{source_name}__{table_name}"


def test_every_raw_table_has_a_staging_model() -> None:
    # Derived staging views (e.g. stg_jira__status_changes) may exist beside them.
    staging_models = {path.stem for path in STAGING.glob("*/stg_*.sql")}
    missing = {f"stg_{table.name}" for table in RAW_TABLES} - staging_models
    assert not missing
