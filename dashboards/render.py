"""Charts as files: the Altair specs of `dashboards.charts` rendered with vl-convert.

Used by the download buttons under each chart and by the board pack, so a slide shows
exactly the chart the page shows.
"""

from __future__ import annotations

import altair as alt
import vl_convert

# Wide enough for product names beside their bars on a 16:9 slide.
EXPORT_WIDTH = 960
PNG_SCALE = 2  # twice the pixels: sharp on a projector and in print


def _spec(chart: alt.TopLevelMixin, width: int) -> str:
    # Page charts stretch to their container; a file needs a fixed width and a white
    # background (a transparent PNG turns black in some slide viewers).
    return chart.properties(width=width, background="white", padding=12).to_json()


def to_png(chart: alt.TopLevelMixin, width: int = EXPORT_WIDTH, scale: int = PNG_SCALE) -> bytes:
    """The chart as a PNG, `width` CSS pixels wide at `scale`× resolution."""
    return vl_convert.vegalite_to_png(_spec(chart, width), scale=scale)


def to_svg(chart: alt.TopLevelMixin, width: int = EXPORT_WIDTH) -> str:
    """The chart as SVG text, `width` pixels wide."""
    return vl_convert.vegalite_to_svg(_spec(chart, width))
