"""productops dashboards: `streamlit run dashboards/streamlit_app.py`.

The entry point sets the page up, draws the filters every page shares (so they keep
their values between pages) and routes; each page in `app_pages/` lays itself out from
`dashboards.data` (queries) and `dashboards.charts` (chart specs).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboards import filters

PAGES_DIR = Path(__file__).parent / "app_pages"

st.set_page_config(page_title="productops", page_icon=":material/insights:", layout="wide")

navigation = st.navigation(
    {
        "For the board": [
            st.Page(
                PAGES_DIR / "cpo_overview.py",
                title="CPO overview",
                icon=":material/dashboard:",
                default=True,
            ),
            st.Page(PAGES_DIR / "portfolio.py", title="Portfolio", icon=":material/view_kanban:"),
            st.Page(
                PAGES_DIR / "cost_vs_revenue.py",
                title="Cost vs revenue",
                icon=":material/payments:",
            ),
        ],
        "For directors": [
            st.Page(PAGES_DIR / "goals.py", title="Goals", icon=":material/flag:"),
            st.Page(PAGES_DIR / "decisions.py", title="Decisions", icon=":material/gavel:"),
            st.Page(PAGES_DIR / "adoption.py", title="Adoption", icon=":material/group_add:"),
        ],
        "For analysts": [
            st.Page(
                PAGES_DIR / "data_health.py", title="Data health", icon=":material/fact_check:"
            ),
            st.Page(PAGES_DIR / "definitions.py", title="Definitions", icon=":material/menu_book:"),
        ],
    }
)
filters.render_sidebar()
navigation.run()
