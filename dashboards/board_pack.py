"""The board pack: the CPO overview's figures for one quarter as a PowerPoint deck.

A title slide, then one slide per figure of `dashboards.figures.board_figures`: its
title, the chart rendered by vl-convert at twice screen resolution, the one-line
takeaway computed from the data, and a footer naming the source marts and the refresh.
`productops board-pack --quarter 2026Q3 --out board.pptx`, the button on the CPO page
and the quarter-end Dagster asset all call `build_pptx`.
"""

from __future__ import annotations

import io
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from dashboards import data, figures, periods, render

SLIDE_WIDTH = Inches(13.333)  # 16:9
SLIDE_HEIGHT = Inches(7.5)
MARGIN = Inches(0.5)
PICTURE_TOP = Inches(1.25)
PICTURE_BOTTOM = Inches(6.15)
TAKEAWAY_TOP = Inches(6.2)
FOOTER_TOP = Inches(6.95)
FOOTER_COLOUR = RGBColor(0x61, 0x61, 0x61)
TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5
# Every mart a slide reads; the pack is offered only when all are published.
MARTS = (
    "marts.fct_product_cost_revenue",
    "marts.fct_investment_allocation",
    "marts.fct_objective_scores",
    "marts.fct_decisions",
    "marts.fct_decision_latency",
    "marts.fct_roadmap_predictability",
)


class NoSuchQuarter(ValueError):
    """The quarter asked for is not complete in the published data."""


@dataclass(frozen=True)
class Slide:
    """One chart slide as built: what a reader of the deck sees."""

    title: str
    takeaway: str
    footer: str
    png: bytes


def quiet_streamlit() -> None:
    """Silence Streamlit's "no runtime" warnings when the pack is built outside the app.

    `dashboards.data` caches with `st.cache_data`, which works without a running app
    but warns on every call; the CLI and the Dagster asset have no app to run in.
    """
    for name in (
        "streamlit.runtime.caching.cache_data_api",
        "streamlit.runtime.scriptrunner_utils.script_run_context",
    ):
        logging.getLogger(name).setLevel(logging.ERROR)


def latest_complete_quarter() -> periods.Quarter:
    """The newest quarter whose three months are all in the serving copy."""
    bounds = data.month_bounds()
    if bounds is None:
        raise NoSuchQuarter("the serving copy has no cost or revenue months yet")
    return periods.last_complete_quarter(bounds[1])


def check_quarter(quarter: periods.Quarter) -> None:
    """Raise `NoSuchQuarter` unless every month of `quarter` is published."""
    bounds = data.month_bounds()
    if bounds is None:
        raise NoSuchQuarter("the serving copy has no cost or revenue months yet")
    first, last = bounds
    if quarter.start < first or quarter.last_month > last:
        raise NoSuchQuarter(
            f"{quarter.label} is not complete in the published data (months "
            f"{first:%Y-%m} to {last:%Y-%m}); the latest complete quarter is "
            f"{periods.last_complete_quarter(last).label}"
        )


def build_slides(quarter: periods.Quarter, scope: figures.Scope | None = None) -> list[Slide]:
    """The chart slides of the pack for `quarter`, charts rendered to PNG."""
    check_quarter(quarter)
    scope = scope or figures.Scope()
    currency = data.basis().currency
    refresh = data.refresh_info()
    refreshed = refresh.as_of if refresh else "an unrecorded refresh"
    board = figures.board_figures(quarter, scope, currency)
    # Rendering is the slow part and vl-convert runs outside the GIL: draw in parallel.
    with ThreadPoolExecutor(max_workers=4) as pool:
        pictures = list(pool.map(lambda figure: render.to_png(figure.chart), board))
    return [
        Slide(
            title=figure.title,
            takeaway=figure.takeaway,
            footer=f"Source: {figure.source} (productops serving copy) · refreshed {refreshed}",
            png=picture,
        )
        for figure, picture in zip(board, pictures, strict=True)
    ]


def _text(slide, text: str, top: Emu, height: Emu, size: int, bold: bool = False) -> None:
    box = slide.shapes.add_textbox(MARGIN, top, SLIDE_WIDTH - 2 * MARGIN, height)
    frame = box.text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    if not bold:
        run.font.color.rgb = FOOTER_COLOUR


def _picture(slide, png: bytes) -> None:
    """The chart, as large as the space between title and takeaway allows, centred."""
    picture = slide.shapes.add_picture(io.BytesIO(png), MARGIN, PICTURE_TOP)
    ratio = picture.width / picture.height
    width, height = SLIDE_WIDTH - 2 * MARGIN, PICTURE_BOTTOM - PICTURE_TOP
    if width / height > ratio:
        width = int(height * ratio)
    else:
        height = int(width / ratio)
    picture.width, picture.height = int(width), int(height)
    picture.left = int((SLIDE_WIDTH - width) / 2)


def pack_title(quarter: periods.Quarter) -> str:
    """The deck's title, e.g. `Product operations review — 2026 Q3`."""
    return f"Product operations review — {quarter.label}"


def build_pptx(quarter: periods.Quarter, scope: figures.Scope | None = None) -> bytes:
    """The board pack for `quarter` as PPTX bytes."""
    slides = build_slides(quarter, scope)
    refresh = data.refresh_info()
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT

    title_slide = deck.slides.add_slide(deck.slide_layouts[TITLE_LAYOUT])
    title_slide.shapes.title.text = pack_title(quarter)
    title_slide.placeholders[1].text = (
        f"{len(slides)} charts from the productops warehouse · data as of "
        f"{refresh.as_of if refresh else 'an unrecorded refresh'}"
    )

    for built in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])
        title = slide.shapes.title
        title.text = built.title
        title.left, title.top = MARGIN, Inches(0.3)
        title.width, title.height = SLIDE_WIDTH - 2 * MARGIN, Inches(0.9)
        title.text_frame.paragraphs[0].runs[0].font.size = Pt(30)
        _picture(slide, built.png)
        _text(slide, built.takeaway, TAKEAWAY_TOP, Inches(0.7), 18, bold=True)
        _text(slide, built.footer, FOOTER_TOP, Inches(0.4), 10)

    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def write_pptx(quarter: periods.Quarter, out: Path, scope: figures.Scope | None = None) -> Path:
    """Write the pack for `quarter` to `out` (folders created); returns `out`."""
    content = build_pptx(quarter, scope)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(content)
    tmp.replace(out)  # never leave half a deck where a reader expects a whole one
    return out
