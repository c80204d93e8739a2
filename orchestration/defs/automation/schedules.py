"""The nightly refresh and the quarter-end run, in the settings' time zone.

The quarter-end run refreshes everything *and* materializes the board pack: every asset
in the `board_pack` group (`BOARD_PACK_GROUP`). The nightly run leaves that group out.
The board pack's assets join the graph under that group when they are built; until
then the quarter-end run is a full refresh.
"""

from __future__ import annotations

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    ScheduleDefinition,
    define_asset_job,
)

BOARD_PACK_GROUP = "board_pack"
NIGHTLY_CRON = "0 2 * * *"
# The last day of each quarter, after the nightly run: Mar 31, Jun 30, Sep 30, Dec 31.
QUARTER_END_CRONS = ("0 5 31 3,12 *", "0 5 30 6,9 *")


def refresh_selection() -> AssetSelection:
    """Every asset except the board pack."""
    return AssetSelection.all() - AssetSelection.groups(BOARD_PACK_GROUP)


def build_schedules(timezone: str) -> list[ScheduleDefinition]:
    """`nightly_refresh` and `quarter_end_board_pack`, both running in `timezone`."""
    nightly = ScheduleDefinition(
        name="nightly_refresh",
        cron_schedule=NIGHTLY_CRON,
        execution_timezone=timezone,
        job=define_asset_job("refresh", selection=refresh_selection()),
        default_status=DefaultScheduleStatus.RUNNING,
        description="Lands every source, builds the marts and publishes, every night.",
    )
    quarter_end = ScheduleDefinition(
        name="quarter_end_board_pack",
        cron_schedule=list(QUARTER_END_CRONS),
        execution_timezone=timezone,
        job=define_asset_job("refresh_and_board_pack", selection=AssetSelection.all()),
        default_status=DefaultScheduleStatus.RUNNING,
        description=(
            f"On a quarter's last day: the full refresh plus the `{BOARD_PACK_GROUP}` group."
        ),
    )
    return [nightly, quarter_end]
