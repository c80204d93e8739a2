"""productops dashboards: `streamlit run dashboards/streamlit_app.py`.

The entry point sets the page up, signs the viewer in (`dashboards.access`), draws the
filters every page shares (so they keep their values between pages) and routes to the
pages the viewer's role may open; each page in `app_pages/` lays itself out from
`dashboards.data` (queries, scoped to the viewer) and `dashboards.charts` (chart specs).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from dashboards import access, filters

PAGES_DIR = Path(__file__).parent / "app_pages"

st.set_page_config(page_title="productops", page_icon=":material/insights:", layout="wide")

# Each navigation section's pages: (app_pages/ file, title, icon).
SECTIONS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "For the board": (
        ("cpo_overview", "CPO overview", ":material/dashboard:"),
        ("portfolio", "Portfolio", ":material/view_kanban:"),
        ("cost_vs_revenue", "Cost vs revenue", ":material/payments:"),
    ),
    "For directors": (
        ("goals", "Goals", ":material/flag:"),
        ("decisions", "Decisions", ":material/gavel:"),
        ("adoption", "Adoption", ":material/group_add:"),
    ),
    "For analysts": (
        ("data_health", "Data health", ":material/fact_check:"),
        ("definitions", "Definitions", ":material/menu_book:"),
    ),
}
DEFAULT_PAGE = "cpo_overview"


def pages(may_open: Callable[[str], bool]) -> dict[str, list[st.Page]]:
    """The sections with the pages `may_open` lets in; a section left empty is dropped."""
    sections = {
        name: [
            st.Page(PAGES_DIR / f"{file}.py", title=title, icon=icon, default=file == DEFAULT_PAGE)
            for file, title, icon in entries
            if may_open(file)
        ]
        for name, entries in SECTIONS.items()
    }
    return {name: listed for name, listed in sections.items() if listed}


def keep_the_linked_page() -> None:
    """Register every page, hidden and not run, before the sign-in form is drawn.

    Without a navigation the browser forgets the page in the URL (a shared link such
    as `/cost_vs_revenue?portfolio=data`) and signing in lands on the default page.
    Registering is not opening: the page runs only after sign-in, and only if the
    viewer's role may open it (otherwise the default page is shown).
    """
    st.navigation(pages(lambda _file: True), position="hidden")


viewer = access.viewer(before_sign_in=keep_the_linked_page)
access.sidebar(viewer)
sections = pages(viewer.may_open)
if not sections:
    access.no_data_unless_allowed(viewer, "definitions")  # says why, then stops
navigation = st.navigation(sections)
filters.render_sidebar()
navigation.run()
