"""The board pack of the demo company: `productops board-pack` and the quarter-end asset."""

from __future__ import annotations

import io
import subprocess
import sys
import time
from pathlib import Path

import pytest
from dagster import materialize
from pages_on_demo import point_at
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from orchestration.defs.board_pack.assets import board_pack_path, build_board_pack_asset
from orchestration.settings import PROJECT_ROOT

CHART_TITLES = [
    "Revenue, R&D cost and contribution by product — 2026 Q3",
    "Revenue and R&D cost by month — 12 months to 2026 Q3",
    "Investment mix against targets — 2026 Q3",
    "Customer commitments against the cap — 2026 Q3",
    "Objectives — 2026 Q3",
    "Time to decision — 2024 Q4 to 2026 Q3",
    "Roadmap say/do — 2024 Q4 to 2026 Q3",
]


def _board_pack(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "productops"), "board-pack", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def pack(demo_warehouse, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pack") / "board.pptx"
    started = time.monotonic()
    result = _board_pack(demo_warehouse.env, "--quarter", "2026Q3", "--out", str(out))
    # Measured, not asserted: the issue asks for under 30 s on the demo data.
    print(f"board pack for 2026 Q3 built in {time.monotonic() - started:.1f}s (CLI, with start-up)")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "wrote the 2026 Q3 board pack" in result.stdout
    return out


def _texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def test_the_pack_has_a_title_slide_and_one_slide_per_chart(pack: Path) -> None:
    deck = Presentation(str(pack))
    slides = list(deck.slides)
    assert len(slides) == 1 + len(CHART_TITLES)
    assert slides[0].shapes.title.text == "Product operations review — 2026 Q3"
    assert [slide.shapes.title.text for slide in slides[1:]] == CHART_TITLES


def test_every_chart_slide_holds_its_picture_takeaway_and_footer(pack: Path) -> None:
    for slide in list(Presentation(str(pack)).slides)[1:]:
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1, slide.shapes.title.text
        image = Image.open(io.BytesIO(pictures[0].image.blob))
        assert image.format == "PNG" and image.width >= 1800  # rendered at 2x for print
        texts = _texts(slide)
        assert any(text.startswith("Source: marts.fct_") and "refreshed" in text for text in texts)


def test_the_takeaways_state_the_planted_story(pack: Path, truth: dict) -> None:
    takeaways = " ".join(" ".join(_texts(slide)) for slide in Presentation(str(pack)).slides)
    story = truth["story"]
    assert "Open Banking Connect cost more than it earned" in takeaways
    share = truth["customer_commitment_share_by_portfolio_quarter"][story["over_cap_portfolio"]]
    assert f"Customer Engagement ({round(share['2026-Q3'] * 100)}%)" in takeaways
    assert (
        f"Slowest area: {story['slowing_area']} ({round(story['slowing_quarters']['2026-Q3'])} days)"
        in takeaways
    )


def test_a_quarter_the_data_does_not_cover_is_refused(demo_warehouse, tmp_path: Path) -> None:
    result = _board_pack(
        demo_warehouse.env, "--quarter", "2026Q4", "--out", str(tmp_path / "x.pptx")
    )
    assert result.returncode == 2
    assert (
        "2026 Q4 is not complete" in result.stdout
        and "latest complete quarter is 2026 Q3" in result.stdout
    )
    assert not (tmp_path / "x.pptx").exists()


def test_the_quarter_end_asset_writes_the_latest_complete_quarter(
    demo_warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_at(demo_warehouse.data_dir, monkeypatch)
    result = materialize([build_board_pack_asset()])
    assert result.success
    written = board_pack_path(demo_warehouse.data_dir, "2026-Q3")
    assert written.exists()
    assert len(Presentation(str(written)).slides) == 1 + len(CHART_TITLES)
