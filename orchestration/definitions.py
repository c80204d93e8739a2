"""The Dagster code location: landing, dbt and publish, the schedules and the drop sensor.

`dagster dev -m orchestration.definitions` loads `defs`; `productops refresh` runs the
same graph in-process (orchestration/refresh.py).
"""

from __future__ import annotations

from dagster import Definitions, in_process_executor

from orchestration.defs.automation.schedules import build_schedules
from orchestration.defs.board_pack import assets as board_pack_defs
from orchestration.defs.dbt import assets as dbt_defs
from orchestration.defs.publish import assets as publish_defs
from orchestration.defs.sources import assets as source_defs
from orchestration.defs.sources.drop_folder import build_drop_sensor
from orchestration.settings import get_settings


def build_definitions() -> Definitions:
    """Every asset and check, the resources they use, the schedules and the sensor."""
    landing = source_defs.build_defs()
    modelling = dbt_defs.build_defs()
    publishing = publish_defs.build_defs(upstream=[*landing.assets, *modelling.assets])
    return Definitions.merge(
        landing,
        modelling,
        publishing,
        board_pack_defs.build_defs(),
        Definitions(
            schedules=build_schedules(get_settings().timezone),
            sensors=[build_drop_sensor()],
            # Steps share one DuckDB writer anyway; one process avoids re-importing per step.
            executor=in_process_executor,
        ),
    )


defs = build_definitions()
