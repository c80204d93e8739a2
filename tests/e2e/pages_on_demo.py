"""Running the dashboards on the demo warehouse: AppTest pointed at its serving copy."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from orchestration.settings import PROJECT_ROOT, get_settings

APP = PROJECT_ROOT / "dashboards" / "streamlit_app.py"
PAGES = (
    None,  # the CPO overview, the default page
    "app_pages/portfolio.py",
    "app_pages/cost_vs_revenue.py",
    "app_pages/goals.py",
    "app_pages/decisions.py",
    "app_pages/adoption.py",
    "app_pages/data_health.py",
    "app_pages/definitions.py",
)


def point_at(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings and the dashboards' caches pointed at `data_dir`'s serving copy."""
    monkeypatch.setenv("PRODUCTOPS_DATA_DIR", str(data_dir))
    get_settings.cache_clear()
    st.cache_data.clear()


def run_page(page: str | None, query_params: dict[str, str] | None = None) -> AppTest:
    """Run the app on `page` (None: the default), failing on any exception it shows."""
    app = AppTest.from_file(str(APP), default_timeout=120)
    for name, value in (query_params or {}).items():
        app.query_params[name] = value
    app.run()
    if page is not None:
        app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def metrics(app: AppTest) -> dict[str, str]:
    """Metric label -> the value a user reads."""
    return {metric.label: metric.value for metric in app.metric}


def takeaways(app: AppTest) -> list[str]:
    """The bold one-line takeaways under the charts."""
    return [
        m.value.strip("*")
        for m in app.markdown
        if m.value.startswith("**") and m.value.endswith(".**")
    ]
