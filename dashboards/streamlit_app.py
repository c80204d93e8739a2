"""productops dashboards: `streamlit run dashboards/streamlit_app.py`.

The entry point sets the page up, signs the viewer in (`dashboards.access`), draws the
filters every page shares (so they keep their values between pages) and routes to the
pages the viewer's role may open; each page in `app_pages/` lays itself out from
`dashboards.data` (queries, scoped to the viewer) and `dashboards.charts` (chart specs).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboards import access, filters

PAGES_DIR = Path(__file__).parent / "app_pages"

st.set_page_config(page_title="productops", page_icon=":material/insights:", layout="wide")

viewer = access.viewer()
access.sidebar(viewer)


def page(file: str, title: str, icon: str, default: bool = False) -> list[st.Page]:
    """The page as a one-item list, or none when the viewer's role may not open it."""
    if not viewer.may_open(file):
        return []
    return [st.Page(PAGES_DIR / f"{file}.py", title=title, icon=icon, default=default)]


sections = {
    "For the board": [
        *page("cpo_overview", "CPO overview", ":material/dashboard:", default=True),
        *page("portfolio", "Portfolio", ":material/view_kanban:"),
        *page("cost_vs_revenue", "Cost vs revenue", ":material/payments:"),
    ],
    "For directors": [
        *page("goals", "Goals", ":material/flag:"),
        *page("decisions", "Decisions", ":material/gavel:"),
        *page("adoption", "Adoption", ":material/group_add:"),
    ],
    "For analysts": [
        *page("data_health", "Data health", ":material/fact_check:"),
        *page("definitions", "Definitions", ":material/menu_book:"),
    ],
}
if not any(sections.values()):
    access.no_data_unless_allowed(viewer, "definitions")  # says why, then stops
navigation = st.navigation({name: pages for name, pages in sections.items() if pages})
filters.render_sidebar()
navigation.run()
