"""Page furniture shared by every page: a chart with its help icon and its downloads, a
table with its CSV / XLSX downloads, the "data as of" line, the note shown when a mart
is not published yet, and the sign-in gate every page passes first."""

from __future__ import annotations

import re
from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from dashboards import access, data, exports, filters, metric_definitions, render
from dashboards.viewers import Viewer

DEFINITIONS_PAGE = "app_pages/definitions.py"


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _download(
    label: str, payload: Callable[[], bytes | str], slug: str, extension: str, mime: str
) -> None:
    """A small download button for `<slug>.<extension>`; `payload` runs only on click."""
    st.download_button(
        label,
        data=payload,
        file_name=f"{slug}.{extension}",
        mime=mime,
        on_click="ignore",
        icon=":material/download:",
        key=f"{extension}_{slug}",
        type="tertiary",
    )


def chart(chart_spec: alt.TopLevelMixin, name: str, metrics: tuple[str, ...]) -> None:
    """Draw `chart_spec` with a help icon defining `metrics` and PNG / SVG downloads.

    The files are rendered only when a button is clicked (deferred data), so a page
    does not pay for images nobody asked for.
    """
    # Stretch the width only: Streamlit's default "fit" squeezes the title and legend
    # into the spec's height and flattens the plot.
    on_page = chart_spec.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    st.altair_chart(on_page, width="stretch")
    slug = _slug(name)
    with st.container(horizontal=True, gap="small"):
        st.page_link(
            DEFINITIONS_PAGE,
            label="What does this mean?",
            icon=":material/help:",
            help=metric_definitions.help_text(*metrics),
            query_params={"metric": metrics[0]},
        )
        _download("PNG", lambda: render.to_png(chart_spec), slug, "png", "image/png")
        _download("SVG", lambda: render.to_svg(chart_spec), slug, "svg", "image/svg+xml")


def table(frame: pd.DataFrame, name: str, viewer: Viewer, **dataframe_options: object) -> None:
    """`st.dataframe(frame, **dataframe_options)` with CSV and XLSX downloads of it.

    The files hold the columns shown (those `column_config` hides are left out), only
    rows of the viewer's portfolios, and text that cannot run as a spreadsheet formula.
    """
    st.dataframe(frame, **dataframe_options)
    hidden = {
        column
        for column, config in (dataframe_options.get("column_config") or {}).items()  # type: ignore[union-attr]
        if config is None
    }
    # Full access keeps every row, and needs no catalog (data health shows tables even
    # before anything is published).
    catalog = data.products(viewer) if viewer.portfolios is not None else None
    rows = (
        frame
        if catalog is None
        else exports.scoped(frame, viewer, catalog["product_id"], catalog["product_name"])
    )
    shown = rows[[column for column in rows.columns if column not in hidden]]
    slug = _slug(name)
    with st.container(horizontal=True, gap="small"):
        _download("CSV", lambda: exports.to_csv(shown), slug, "csv", "text/csv")
        _download("XLSX", lambda: exports.to_xlsx(shown, slug), slug, "xlsx", XLSX_MIME)


def gate(page: str) -> Viewer:
    """The signed-in viewer, after stopping the page unless their role may open `page`."""
    viewer = access.viewer()
    access.no_data_unless_allowed(viewer, page)
    return viewer


def as_of_caption(*extra: str) -> None:
    """`Data as of <published>` and any further notes, as one caption line."""
    refresh = data.refresh_info()
    notes = [f"Data as of {refresh.as_of if refresh else 'an unrecorded refresh'}", *extra]
    st.caption(" · ".join(note for note in notes if note))


def require_tables(*names: str) -> bool:
    """False (after saying which mart is missing and how to build it) unless all are published."""
    missing = [name for name in names if not data.table_present(name)]
    if missing:
        st.info(
            f"This serving copy has no {', '.join(missing)} yet. Run `productops refresh` "
            "with the sources it needs to publish it."
        )
        return False
    return True


def start_page(title: str, page: str) -> filters.GlobalFilters:
    """The sign-in gate for `page` (its `app_pages/` file name), the page's title, then
    stop with what to run unless there is data to show.

    Returns the shared filters the entry point drew, carrying the viewer.
    """
    gate(page)
    st.title(title)
    unavailable = data.serving_unavailable()
    if unavailable is not None:
        st.info(unavailable.message)
        st.stop()
    picked = filters.current()
    if picked is None:
        st.warning(
            "The serving copy holds no cost or revenue months yet: check that finance and HR "
            "sources are present, then run `productops refresh`."
        )
        st.stop()
    return picked


def delta_colour(change: float | None, inverse: bool = False) -> str:
    """`st.metric`'s delta_color: grey for no change, else red when worse, green when better."""
    if change is None or change == 0:
        return "off"
    return "inverse" if inverse else "normal"
