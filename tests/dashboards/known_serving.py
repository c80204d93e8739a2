"""A hand-built serving copy whose answers are worked out by hand.

`ServingDb` pairs a serving file with what the dashboards must show for it, so the
same tests can run against another serving file (the demo warehouse) given its
expected answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

PUBLISHED_AT = datetime(2026, 11, 15, 2, 0)  # naive UTC, as publish writes it


@dataclass(frozen=True)
class Kpis:
    """The KPI row a user should read for one filter state, exactly."""

    revenue: float
    rnd_cost: float
    contribution: float
    rnd_pct_of_revenue: float | None


@dataclass(frozen=True)
class ServingDb:
    """A serving file and the answers the dashboards must show for it."""

    data_dir: Path  # what PRODUCTOPS_DATA_DIR points at; the file is data_dir/serving.duckdb
    last_12_months: Kpis  # default filters: last 12 months, all portfolios, all products
    by_portfolio: dict[str, Kpis]  # portfolio name -> last 12 months of that portfolio
    by_quarter: dict[str, Kpis]  # quarter label, e.g. "2026 Q3" -> all products
    product_revenue_12m: dict[str, float]  # product name -> revenue over the last 12 months
    product_rnd_cost_12m: dict[str, float]  # product name -> R&D cost over the last 12 months
    loss_making_12m: frozenset[str]  # product names whose R&D cost exceeds revenue
    unmapped_revenue_share_12m: float
    unmapped_rnd_cost_share_12m: float
    mart_rows: dict[str, int]  # mart -> rows, as meta.refresh records them
    published_at: str  # as the caption shows it

    @property
    def path(self) -> Path:
        """The serving file itself."""
        return self.data_dir / "serving.duckdb"


# The hand-built company. Monthly amounts per product for 2025-09 .. 2026-10:
#   (revenue, people_cost, other_rnd_cost, rnd_fte)
PRODUCTS = [
    # product_id, name, portfolio_id, portfolio_name
    ("payments_api", "Payments API", "platform", "Platform"),
    ("ledger", "Ledger", "platform", "Platform"),
    ("insights", "Insights", "growth", "Growth"),
    ("unmapped", "Unmapped", "unmapped", "Unmapped"),
]
FIRST_MONTH = date(2025, 9, 1)
MONTHS = 14


def _month(index: int) -> date:
    total = FIRST_MONTH.year * 12 + FIRST_MONTH.month - 1 + index
    return date(total // 12, total % 12 + 1, 1)


def _amounts(product_id: str, month: date) -> tuple[float, float, float, float]:
    old = month < date(2025, 11, 1)  # the two months before the default 12-month window
    if product_id == "payments_api":
        return (70_000.0 if old else 100_000.0, 40_000.0, 10_000.0, 4.0)
    if product_id == "ledger":
        return (20_000.0, 30_000.0, 5_000.0, 3.0)
    if product_id == "insights":
        # launched in Nov 2025: cost before the first revenue, so one month has no ratio
        revenue = 0.0 if month <= date(2025, 11, 1) else 60_000.0
        return (revenue, 25_000.0, 5_000.0, 2.5)
    # an unmapped SKU earns a little and an unmapped cost centre spends a little
    return (2_000.0, 0.0, 1_000.0, 0.0)


def build_serving_file(path: Path) -> dict[str, int]:
    """Write the hand-built serving copy to `path`; returns rows per mart."""
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema marts")
        con.execute(
            """
            create table marts.dim_products (
                product_id varchar, product_name varchar, portfolio_id varchar,
                portfolio_name varchar, product_areas varchar, director varchar,
                pm varchar, launched_on date)
            """
        )
        for product_id, name, portfolio_id, portfolio_name in PRODUCTS:
            con.execute(
                "insert into marts.dim_products values (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    product_id,
                    name,
                    portfolio_id,
                    portfolio_name,
                    None if product_id == "unmapped" else f"{product_id}_core",
                    None if product_id == "unmapped" else f"VP {portfolio_name}",
                    None if product_id == "unmapped" else f"PM {name}",
                    None if product_id == "unmapped" else date(2020, 1, 1),
                ],
            )
        con.execute(
            """
            create table marts.fct_product_cost_revenue (
                product_id varchar, portfolio_id varchar, month date, revenue double,
                revenue_basis varchar, people_cost double, other_rnd_cost double,
                rnd_cost double, rnd_pct_of_revenue double, contribution double,
                rnd_fte double, revenue_per_rnd_fte double, capitalizable_cost double,
                people_cost_basis varchar, currency varchar)
            """
        )
        rows = []
        for product_id, _name, portfolio_id, _portfolio in PRODUCTS:
            for index in range(MONTHS):
                month = _month(index)
                revenue, people, other, fte = _amounts(product_id, month)
                rnd = people + other
                rows.append(
                    [
                        product_id,
                        portfolio_id,
                        month,
                        revenue,
                        "recognised",
                        people,
                        other,
                        rnd,
                        rnd / revenue if revenue else None,
                        revenue - rnd,
                        fte,
                        revenue * 12 / fte if fte else None,
                        None,
                        "team_default",
                        "USD",
                    ]
                )
        con.executemany(
            "insert into marts.fct_product_cost_revenue values "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        counts = {"dim_products": len(PRODUCTS), "fct_product_cost_revenue": len(rows)}
        con.execute("create schema meta")
        con.execute(
            "create table meta.refresh (batch_id varchar, published_at timestamp, "
            "sources_dir varchar, mart varchar, row_count bigint)"
        )
        con.executemany(
            "insert into meta.refresh values (?, ?, ?, ?, ?)",
            [["batch-0042", PUBLISHED_AT, "seeds", mart, n] for mart, n in counts.items()],
        )
        con.execute("checkpoint")
    finally:
        con.close()
    return counts


def _kpis(revenue: float, rnd_cost: float) -> Kpis:
    return Kpis(revenue, rnd_cost, revenue - rnd_cost, rnd_cost / revenue if revenue else None)


def hand_built_serving_db(data_dir: Path) -> ServingDb:
    """Write the hand-built serving copy into `data_dir`; its answers, worked out by hand:

    Last 12 months = Nov 2025 .. Oct 2026.
      Payments API: revenue 12 × 100,000 = 1,200,000; R&D 12 × 50,000 = 600,000
      Ledger:       revenue 12 × 20,000  =   240,000; R&D 12 × 35,000 = 420,000  (loss)
      Insights:     revenue 11 × 60,000  =   660,000; R&D 12 × 30,000 = 360,000
      Unmapped:     revenue 12 × 2,000   =    24,000; R&D 12 × 1,000  =  12,000
      All:          revenue 2,124,000; R&D 1,392,000; contribution 732,000; 65.54 %
      Platform:     revenue 1,440,000; R&D 1,020,000; contribution 420,000; 70.83 %
    2026 Q3 (Jul–Sep) = 3 × (100,000 + 20,000 + 60,000 + 2,000) = 546,000 revenue,
                        3 × (50,000 + 35,000 + 30,000 + 1,000)  = 348,000 R&D.
    """
    build_serving_file(data_dir / "serving.duckdb")
    return ServingDb(
        data_dir=data_dir,
        last_12_months=_kpis(2_124_000.0, 1_392_000.0),
        by_portfolio={
            "Platform": _kpis(1_440_000.0, 1_020_000.0),
            "Growth": _kpis(660_000.0, 360_000.0),
        },
        by_quarter={"2026 Q3": _kpis(546_000.0, 348_000.0)},
        product_revenue_12m={
            "Payments API": 1_200_000.0,
            "Ledger": 240_000.0,
            "Insights": 660_000.0,
            "Unmapped": 24_000.0,
        },
        product_rnd_cost_12m={
            "Payments API": 600_000.0,
            "Ledger": 420_000.0,
            "Insights": 360_000.0,
            "Unmapped": 12_000.0,
        },
        loss_making_12m=frozenset({"Ledger"}),
        unmapped_revenue_share_12m=24_000.0 / 2_124_000.0,
        unmapped_rnd_cost_share_12m=12_000.0 / 1_392_000.0,
        mart_rows={"dim_products": 4, "fct_product_cost_revenue": 4 * 14},
        published_at="2026-11-15 02:00 UTC",
    )
