"""The Dagster code location: landing, dbt and publish, plus a nightly refresh.

`dagster dev -m orchestration.definitions` loads `defs`; `productops refresh` runs the
same graph in-process (orchestration/refresh.py).
"""

from __future__ import annotations

from dagster import AssetSelection, Definitions, ScheduleDefinition, in_process_executor

from orchestration.defs.dbt import assets as dbt_defs
from orchestration.defs.publish import assets as publish_defs
from orchestration.defs.sources import assets as source_defs

nightly_refresh = ScheduleDefinition(
    name="nightly_refresh",
    cron_schedule="0 2 * * *",
    execution_timezone="UTC",
    target=AssetSelection.all(),
)


def build_definitions() -> Definitions:
    """Every asset, the resources they use and the nightly schedule."""
    landing = source_defs.build_defs()
    modelling = dbt_defs.build_defs()
    publishing = publish_defs.build_defs(upstream=[*landing.assets, *modelling.assets])
    return Definitions.merge(
        landing,
        modelling,
        publishing,
        # Steps share one DuckDB writer anyway; one process avoids re-importing per step.
        Definitions(schedules=[nightly_refresh], executor=in_process_executor),
    )


defs = build_definitions()
