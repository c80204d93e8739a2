"""A small real graph for end-to-end orchestration tests: the real HR source (BambooHR
CSV reader, quality gate, drop-folder intake), a tiny dbt project with one mart built
from `raw.hr__employees`, the real publish asset and the real drop-folder sensor.

It runs in seconds, unlike the whole demo project, and does not move when other models do.
"""

from __future__ import annotations

from pathlib import Path

from dagster import Definitions, in_process_executor
from dagster_dbt import DbtProject

from orchestration.defs.dbt.assets import build_dbt_assets
from orchestration.defs.dbt.resources import dbt_resource
from orchestration.defs.publish.assets import build_publish_asset, publish_deps
from orchestration.defs.sources.assets import build_source_assets
from orchestration.defs.sources.drop_folder import build_drop_sensor

HEADER = (
    "Employee #,First Name,Last Name,Work Email,Department,Division,Team,Job Title,"
    "Location,Reports To,Hire Date,Termination Date,FTE,Pay Rate,Pay Per,"
    "Pay Rate Effective Date"
)

_FILES = {
    "dbt_project.yml": """
name: hr_tiny
version: "1.0"
config-version: 2
profile: hr_tiny
models:
  hr_tiny:
    staging: {+schema: staging, +materialized: view}
    marts: {+schema: marts, +materialized: table}
""",
    "profiles.yml": """
hr_tiny:
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
  - name: hr
    schema: raw
    tables: [{name: employees, identifier: hr__employees}]
""",
    "models/staging/stg_hr__employees.sql": (
        "select employee_key, team, fte from {{ source('hr', 'employees') }}\n"
    ),
    "models/marts/team_headcount.sql": (
        "select team, count(*) as people, sum(fte) as fte\n"
        "from {{ ref('stg_hr__employees') }} group by team\n"
    ),
}


def employee(number: int, team: str, fte: float) -> str:
    """One headcount.csv line of a made-up employee."""
    return (
        f"{number},Test,Person{number},person{number}@example.com,R&D,Platform,{team},"
        f'Software Engineer,Berlin,,2024-01-01,,{fte},"90000.00 USD",Year,2024-01-01'
    )


def write_headcount(folder: Path, lines: list[str]) -> Path:
    """`<folder>/hr/headcount.csv` with `lines` under the BambooHR header."""
    path = folder / "hr" / "headcount.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([HEADER, *lines]) + "\n")
    return path


def hr_definitions(project_root: Path) -> Definitions:
    """The HR landing asset, the tiny dbt project, publish and the drop-folder sensor."""
    from connectors.sources import source

    for name, text in _FILES.items():
        (project_root / name).parent.mkdir(parents=True, exist_ok=True)
        (project_root / name).write_text(text.lstrip())
    project = DbtProject(project_dir=project_root, profiles_dir=project_root)
    landing = build_source_assets(source("hr"))
    modelling = build_dbt_assets(project)
    publish = build_publish_asset(publish_deps([landing, modelling]))
    return Definitions(
        assets=[landing, modelling, publish],
        sensors=[build_drop_sensor()],
        resources={"dbt": dbt_resource(project)},
        executor=in_process_executor,
    )
