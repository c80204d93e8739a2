"""The `board_pack` asset: the latest complete quarter's board pack, after publish.

Only the quarter-end schedule selects its group (`board_pack`); the nightly refresh
leaves it out. The deck lands in `<data>/board_pack/board-pack-<quarter>.pptx`.
"""

# No `from __future__ import annotations`: Dagster reads the context annotation at runtime.
from pathlib import Path

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    Definitions,
    MaterializeResult,
    MetadataValue,
    asset,
)

from orchestration.defs.automation.schedules import BOARD_PACK_GROUP
from orchestration.settings import get_settings

PUBLISH = AssetKey("publish")


def board_pack_path(data_dir: Path, quarter_key: str) -> Path:
    """Where the pack of a quarter (`2026-Q3`) is written."""
    return data_dir / "board_pack" / f"board-pack-{quarter_key}.pptx"


def build_board_pack_asset() -> AssetsDefinition:
    """The asset that renders the latest complete quarter's pack from the serving copy."""

    @asset(
        name="board_pack",
        group_name=BOARD_PACK_GROUP,
        deps=[PUBLISH],
        kinds={"pptx"},
        description=(
            "The CPO's board pack (PPTX) of the latest complete quarter, from the "
            "published serving copy: a title slide and one slide per chart."
        ),
    )
    def board_pack(context: AssetExecutionContext) -> MaterializeResult:
        # Imported here: the dashboards stack (Streamlit, vl-convert) loads only when a
        # pack is actually rendered, not whenever the definitions are.
        from dashboards import board_pack as pack

        pack.quiet_streamlit()
        quarter = pack.latest_complete_quarter()
        out = pack.write_pptx(quarter, board_pack_path(get_settings().data_dir, quarter.key))
        context.log.info(f"wrote the {quarter.label} board pack to {out}")
        return MaterializeResult(
            metadata={
                "quarter": MetadataValue.text(quarter.key),
                "path": MetadataValue.path(str(out)),
                "bytes": out.stat().st_size,
            }
        )

    return board_pack


def build_defs() -> Definitions:
    """The board-pack asset, downstream of publish."""
    return Definitions(assets=[build_board_pack_asset()])
