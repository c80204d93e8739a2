"""Hostile filter values reach DuckDB only as bound parameters: every data function
that takes a filter, and every URL parameter a page reads, given quotes, SQL, LIKE
wildcards, NUL, very long strings, unicode and numbers as text, returns nothing (or
the right thing), raises nothing that shows SQL, and leaves the serving file as it was."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from access_harness import (
    DIRECTOR_VIEWER,
    SELECTION_QUERIES,
    is_empty,
    point_at,
    run_as,
    serving_held_open,
)

from dashboards import data

HOSTILE = (
    "'",
    "payments'; DROP TABLE marts.dim_products; --",
    "payments' OR '1'='1",
    "%",
    "_",
    "payments%",
    "paym_nts",
    "pay\x00ments",
    "x" * 20_000,
    "ペイメント 💳 \u202e",
    "1",
    "0",
    '=HYPERLINK("http://x","y")',
)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def demo_serving(demo_warehouse, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The demo serving copy, held open so the hundreds of queries below stay cheap."""
    point_at(monkeypatch, demo_warehouse.data_dir)
    serving = demo_warehouse.data_dir / "serving.duckdb"
    with serving_held_open(serving):
        yield serving


@pytest.mark.parametrize("viewer", [None, DIRECTOR_VIEWER], ids=["full", "director"])
def test_hostile_filter_values_find_nothing_and_change_nothing(demo_serving, viewer) -> None:
    before = _digest(demo_serving)
    months = (date(2025, 1, 1), date(2025, 12, 1))
    for value in HOSTILE:
        as_portfolio = data.Selection(*months, portfolio_id=value)
        as_products = data.Selection(*months, product_ids=(value, value[:1]))
        for query in SELECTION_QUERIES:
            assert is_empty(query(as_portfolio, viewer=viewer)), (query.__name__, value[:40])
            assert is_empty(query(as_products, viewer=viewer)), (query.__name__, value[:40])
        assert is_empty(data.decision_latency(as_portfolio, *months, viewer))
        assert data.objective_scores((value,), viewer).empty
        assert data.key_results(value, viewer).empty
        assert data.confidence_by_week(value, viewer).empty
        assert not data.table_present(value)
    # The wildcards were literal: the real portfolio still answers, unchanged.
    assert data.totals(data.Selection(*months, portfolio_id="payments")).revenue > 0
    assert _digest(demo_serving) == before


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("app_pages/goals.py", ("org_unit", "owner", "okr_period")),
        ("app_pages/definitions.py", ("metric",)),
        ("app_pages/cost_vs_revenue.py", ("portfolio", "products")),
    ],
)
def test_hostile_url_parameters_show_no_error_and_no_sql(demo_serving, page, params) -> None:
    before = _digest(demo_serving)
    for value in ("' OR 1=1; DROP TABLE marts.dim_products; --", "%", "x" * 5000, "ペ\x00"):
        app = run_as(None, page, **dict.fromkeys(params, value))
        assert not app.exception, [e.value for e in app.exception]
        shown = " ".join(str(e.value) for e in (*app.error, *app.warning))
        assert "DROP TABLE" not in shown and "Binder Error" not in shown
        assert app.title, "the page rendered"
    assert _digest(demo_serving) == before
