"""Running the dashboards as a given login, and reading everything a page put on screen.

`everything_shown` serialises every element of an AppTest run (text, metrics, the Arrow
bytes of tables and the Vega-Lite specs and datasets of charts), so a name that is in
any of them is found, whatever widget shows it. `record_downloads` captures the bytes of
every CSV / XLSX download button as the page draws it. `SELECTION_QUERIES` are the data
functions that take a `data.Selection`, and `serving_held_open` makes the many queries
of an access test cheap.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from dashboards import access, data
from dashboards.passwords import hash_password
from dashboards.viewers import DIRECTOR as DIRECTOR_ROLE
from dashboards.viewers import Viewer
from orchestration.settings import get_settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]
APP = PROJECT_ROOT / "dashboards" / "streamlit_app.py"
PAGES = PROJECT_ROOT / "dashboards" / "app_pages"
TIMEOUT_SECONDS = 90

DIRECTOR_LOGIN, DIRECTOR_PASSWORD = "vp.payments", "payments-director-pw"
CPO_LOGIN, CPO_PASSWORD = "cpo", "cpo-pw"
SHARED_PASSWORD = "shared-secret-pw"
DIRECTOR_VIEWER = Viewer(login=DIRECTOR_LOGIN, role=DIRECTOR_ROLE, portfolio_ids=("payments",))

# Every data function that takes a `data.Selection` (and a viewer).
SELECTION_QUERIES = (
    data.totals,
    data.product_summary,
    data.monthly_totals,
    data.investment_mix,
    data.commitment_by_portfolio,
    data.decision_days,
    data.decision_throughput,
    data.area_latency,
    data.undecided_ageing,
    data.items_by_status,
    data.delivery,
    data.say_do,
    data.feature_adoption,
)


def is_empty(result: object) -> bool:
    """Whether a data function's answer holds nothing: no rows, or zero totals."""
    if isinstance(result, data.Totals):
        return result.revenue == 0 and result.rnd_cost == 0
    return result.empty  # type: ignore[attr-defined]


@contextmanager
def serving_held_open(serving: Path) -> Iterator[None]:
    """Keep one read-only connection to `serving` open while the block runs.

    `dashboards.data` opens and closes the file for every query, and opening it (reading
    its catalog) costs tens of milliseconds; while a connection is open, DuckDB hands
    later connections in this process the same database instance, so a test making
    hundreds of uncached queries runs several times faster. The queries still go
    through `data`'s own connect-query-close path. Only for a file nothing republishes
    during the block: the held instance would keep reading the old copy.
    """
    con = duckdb.connect(str(serving), read_only=True)
    try:
        yield
    finally:
        con.close()


def write_access_file(path: Path, director_portfolio: str = "payments") -> Path:
    """An access file with a CPO and one director, both with passwords, and an OIDC e-mail."""
    path.write_text(
        f"""
[users.{CPO_LOGIN}]
role = "cpo"
password_hash = "{hash_password(CPO_PASSWORD)}"

[users."{DIRECTOR_LOGIN}"]
role = "director"
portfolios = ["{director_portfolio}"]
password_hash = "{hash_password(DIRECTOR_PASSWORD)}"

[users."vp.payments@example.com"]
role = "director"
portfolios = ["{director_portfolio}"]
""",
        encoding="utf-8",
    )
    return path


def point_at(
    monkeypatch: pytest.MonkeyPatch,
    data_dir: Path,
    access_file: Path | None = None,
    password: str | None = None,
) -> None:
    """Settings pointed at `data_dir` with the given sign-in configuration; caches cleared."""
    monkeypatch.setenv("PRODUCTOPS_DATA_DIR", str(data_dir))
    monkeypatch.setenv("PRODUCTOPS_PSEUDONYM_KEY", "dashboard-tests")
    for name, value in (
        ("PRODUCTOPS_DASHBOARD_ACCESS_FILE", access_file),
        ("PRODUCTOPS_DASHBOARD_PASSWORD", password),
    ):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, str(value))
    get_settings.cache_clear()
    st.cache_data.clear()


def run_as(login: str | None, page: str | None = None, **query: str) -> AppTest:
    """The app (or one page file run alone) with `login` signed in by password."""
    target = APP if page is None or page.startswith("app_pages/") else PAGES / f"{page}.py"
    app = AppTest.from_file(str(target), default_timeout=TIMEOUT_SECONDS)
    if login is not None:
        # What a successful password sign-in stores; the role is looked up in the file.
        app.session_state[access.SESSION_KEY] = ("user", login)
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    if page is not None and page.startswith("app_pages/"):
        app.switch_page(page).run()
    return app


def _protos(node: object) -> Iterator[object]:
    proto = getattr(node, "proto", None)
    if proto is not None:
        yield proto
    children = getattr(node, "children", None) or {}
    for child in children.values():
        yield from _protos(child)


def everything_shown(app: AppTest) -> bytes:
    """Every element the run rendered, main area and sidebar, as one byte string."""
    return b"\n".join(
        proto.SerializeToString()  # type: ignore[attr-defined]
        for proto in _protos(app._tree)
        if hasattr(proto, "SerializeToString")
    )


def payload_text(file_name: str, payload: bytes) -> str:
    """A CSV's text, or every cell of an XLSX joined by tabs."""
    if file_name.endswith(".xlsx"):
        book = load_workbook(io.BytesIO(payload))
        return "\n".join(
            "\t".join("" if value is None else str(value) for value in row)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    return payload.decode("utf-8-sig")


def record_downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Capture each CSV / XLSX download's bytes (file name -> bytes) as pages draw them.

    Chart images are left alone: rendering them is slow and their data is the chart
    spec `everything_shown` already covers.
    """
    captured: dict[str, bytes] = {}
    original = st.download_button

    def recording(label: str, data: object = None, *args: object, **kwargs: object) -> bool:
        name = str(kwargs.get("file_name", ""))
        if name.endswith((".csv", ".xlsx")):
            captured[name] = data() if callable(data) else data  # type: ignore[assignment]
        return original(label, data, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(st, "download_button", recording)
    return captured
