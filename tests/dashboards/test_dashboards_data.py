"""`dashboards.data` against a serving copy whose sums are known."""

from __future__ import annotations

import math
import os
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from known_serving import ServingDb, build_serving_file

from dashboards import data
from dashboards.periods import DEFAULT_LABEL, period_options


def _last_12_months() -> data.Selection:
    bounds = data.month_bounds()
    assert bounds is not None
    period = {p.label: p for p in period_options(*bounds)}[DEFAULT_LABEL]
    return data.Selection(period.start, period.end)


def test_totals_over_the_last_12_months(dashboard_env: ServingDb) -> None:
    expected = dashboard_env.last_12_months
    totals = data.totals(_last_12_months())
    assert totals.revenue == pytest.approx(expected.revenue)
    assert totals.rnd_cost == pytest.approx(expected.rnd_cost)
    assert totals.contribution == pytest.approx(expected.contribution)
    assert totals.rnd_pct_of_revenue == pytest.approx(expected.rnd_pct_of_revenue)
    assert totals.people_cost + totals.other_rnd_cost == pytest.approx(totals.rnd_cost)


def test_portfolio_filter_keeps_only_its_products(dashboard_env: ServingDb) -> None:
    catalog = data.products()
    platform = catalog.loc[catalog["portfolio_name"] == "Platform", "portfolio_id"].iloc[0]
    selection = _last_12_months()
    totals = data.totals(data.Selection(selection.start, selection.end, portfolio_id=platform))
    assert totals.revenue == pytest.approx(dashboard_env.by_portfolio["Platform"].revenue)
    assert totals.rnd_cost == pytest.approx(dashboard_env.by_portfolio["Platform"].rnd_cost)


def test_product_summary_sorts_by_contribution_and_flags_losses(dashboard_env: ServingDb) -> None:
    summary = data.product_summary(_last_12_months())
    assert list(summary["contribution"]) == sorted(summary["contribution"], reverse=True)
    by_name = summary.set_index("product_name")
    for name, revenue in dashboard_env.product_revenue_12m.items():
        assert by_name.loc[name, "revenue"] == pytest.approx(revenue)
        assert by_name.loc[name, "rnd_cost"] == pytest.approx(
            dashboard_env.product_rnd_cost_12m[name]
        )
    assert set(summary.loc[summary["loss_making"], "product_name"]) == set(
        dashboard_env.loss_making_12m
    )


def test_period_ratios_are_ratios_of_sums(dashboard_env: ServingDb) -> None:
    # Payments API: 1,200,000 revenue, 600,000 R&D, 4 FTE every month.
    summary = data.product_summary(_last_12_months()).set_index("product_id")
    payments = summary.loc["payments_api"]
    assert payments["rnd_pct_of_revenue"] == pytest.approx(0.5)
    assert payments["rnd_fte"] == pytest.approx(4.0)
    assert payments["revenue_per_rnd_fte"] == pytest.approx(1_200_000 * 12 / 48)


def test_no_revenue_means_no_ratio_not_infinity(dashboard_env: ServingDb) -> None:
    # Insights earned nothing in Nov 2025 but spent 30,000.
    november = data.Selection(date(2025, 11, 1), date(2025, 11, 1), product_ids=("insights",))
    assert data.totals(november).rnd_pct_of_revenue is None
    assert data.totals(november).contribution == pytest.approx(-30_000)
    monthly = data.monthly_totals(november)
    assert len(monthly) == 1 and math.isnan(monthly.loc[0, "rnd_pct_of_revenue"])


def test_monthly_totals_cover_each_month_once(dashboard_env: ServingDb) -> None:
    selection = _last_12_months()
    monthly = data.monthly_totals(selection)
    assert len(monthly) == 12
    assert monthly["revenue"].sum() == pytest.approx(dashboard_env.last_12_months.revenue)
    assert pd.Timestamp(monthly["month"].iloc[-1]).date() == selection.end


def test_unmapped_share(dashboard_env: ServingDb) -> None:
    selection = _last_12_months()
    shares = data.unmapped_share(selection.start, selection.end).set_index("measure")
    assert shares.loc["revenue", "share"] == pytest.approx(dashboard_env.unmapped_revenue_share_12m)
    assert shares.loc["rnd_cost", "share"] == pytest.approx(
        dashboard_env.unmapped_rnd_cost_share_12m
    )
    assert len(data.unmapped_by_month(selection.start, selection.end)) == 12


def test_refresh_info_and_row_counts_come_from_meta_refresh(dashboard_env: ServingDb) -> None:
    info = data.refresh_info()
    assert info is not None and info.as_of == dashboard_env.published_at
    counts, counted_from = data.mart_row_counts()
    assert counted_from == "meta.refresh"
    assert dict(zip(counts["mart"], counts["rows"], strict=True)) == dashboard_env.mart_rows


def test_people_cost_basis_is_reported(dashboard_env: ServingDb) -> None:
    basis = data.basis()
    assert basis.currency == "USD"
    assert basis.people_cost_basis == ("team_default",)


def test_missing_serving_file_says_how_to_build_it(empty_data_dir: Path) -> None:
    unavailable = data.serving_unavailable()
    assert unavailable is not None
    assert str(empty_data_dir / "serving.duckdb") in unavailable.message
    assert "make demo" in unavailable.message and "productops refresh" in unavailable.message


def test_serving_file_without_marts_names_what_is_missing(empty_data_dir: Path) -> None:
    duckdb.connect(str(empty_data_dir / "serving.duckdb")).close()
    unavailable = data.serving_unavailable()
    assert unavailable is not None
    assert unavailable.missing_tables == data.REQUIRED_TABLES
    assert "marts.fct_product_cost_revenue" in unavailable.message


def test_without_meta_refresh_rows_are_counted_and_as_of_is_unknown(
    serving_db: ServingDb, empty_data_dir: Path
) -> None:
    serving = empty_data_dir / "serving.duckdb"
    shutil.copy(serving_db.path, serving)
    with duckdb.connect(str(serving)) as con:
        con.execute("drop schema meta cascade")
    assert data.refresh_info() is None
    counts, counted_from = data.mart_row_counts()
    assert counted_from == "counted in the serving file"
    assert dict(zip(counts["mart"], counts["rows"], strict=True)) == serving_db.mart_rows


def test_a_new_publish_shows_without_waiting_for_the_cache(
    serving_db: ServingDb, empty_data_dir: Path
) -> None:
    serving = empty_data_dir / "serving.duckdb"
    shutil.copy(serving_db.path, serving)
    selection = _last_12_months()
    before = data.totals(selection).revenue

    # Publish the way orchestration does: build beside, then rename over.
    fresh = empty_data_dir / "serving.duckdb.tmp-next"
    build_serving_file(fresh)
    with duckdb.connect(str(fresh)) as con:
        con.execute("update marts.fct_product_cost_revenue set revenue = revenue * 2")
    os.replace(fresh, serving)

    assert data.totals(selection).revenue == pytest.approx(before * 2)


def test_row_counts_read_a_wide_meta_refresh() -> None:
    refresh = pd.DataFrame(
        {
            "batch_id": ["old", "new"],
            "published_at": pd.to_datetime(["2026-11-14 02:00", "2026-11-15 02:00"]),
            "sources_dir": ["seeds", "seeds"],
            "dim_products_rows": [8, 9],
            "fct_product_cost_revenue_rows": [300, 324],
        }
    )
    counts = data.row_counts_from_refresh(refresh)
    assert counts.to_dict("list") == {
        "mart": ["dim_products", "fct_product_cost_revenue"],
        "rows": [9, 324],
    }


def test_row_counts_read_the_latest_batch_of_a_long_meta_refresh() -> None:
    refresh = pd.DataFrame(
        {
            "batch_id": ["old", "old", "new", "new"],
            "published_at": pd.to_datetime(["2026-11-14"] * 2 + ["2026-11-15"] * 2),
            "sources_dir": ["seeds"] * 4,
            "mart": ["dim_products", "fct_product_cost_revenue"] * 2,
            "row_count": [8, 300, 9, 324],
        }
    )
    counts = data.row_counts_from_refresh(refresh)
    assert counts.to_dict("list") == {
        "mart": ["dim_products", "fct_product_cost_revenue"],
        "rows": [9, 324],
    }
