"""productops dashboards: `streamlit run dashboards/streamlit_app.py`.

The entry point only sets the page up and routes; each page in `app_pages/` lays
itself out from `dashboards.data` (queries) and `dashboards.charts` (chart specs).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

PAGES_DIR = Path(__file__).parent / "app_pages"

st.set_page_config(page_title="productops", page_icon=":material/insights:", layout="wide")

navigation = st.navigation(
    [
        st.Page(
            PAGES_DIR / "cost_vs_revenue.py",
            title="Cost vs revenue",
            icon=":material/payments:",
            default=True,
        ),
        st.Page(PAGES_DIR / "data_health.py", title="Data health", icon=":material/fact_check:"),
    ]
)
navigation.run()
