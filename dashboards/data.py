"""The only module of the dashboards that queries: the published serving copy.

Every query that returns business figures takes the viewer (`dashboards.viewers.Viewer`)
and filters to the portfolios that viewer may see in SQL, with bound parameters: a
director's query never reads another portfolio's rows, whatever filter or URL asked for
it. Filter values are always bound parameters, never spliced into the SQL text. Inside
the app a query without a viewer returns nothing; a process of its own (the CLI, the
board-pack asset, the benchmark) reads with full access.

Every query opens `get_settings().serving_path` read-only and closes it at once:
publishing swaps that file with an atomic rename, so a short-lived connection always
reads one complete refresh and never holds an old copy open. Results are cached for
five minutes and keyed on the file's modification time, so a new publish shows up on
the next rerun rather than after the cache expires.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from dashboards.viewers import NO_ACCESS, TRUSTED_PROCESS, Portfolios, Viewer
from orchestration.settings import get_settings

CACHE_TTL_SECONDS = 300
REQUIRED_TABLES = ("marts.dim_products", "marts.fct_product_cost_revenue")
UNMAPPED = "unmapped"
# (inode, mtime_ns) of the serving file: publish's rename changes both.
Version = tuple[int, int]
# meta.refresh columns that describe the batch rather than count a mart's rows.
REFRESH_DESCRIPTORS = ("batch_id", "published_at", "sources_dir")


@dataclass(frozen=True)
class ServingUnavailable:
    """Why there is nothing to show yet, worded for the person looking at the page."""

    path: Path
    missing_tables: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        """What is missing and the command that builds it."""
        if self.missing_tables:
            what = f"The serving copy {self.path} has no {', '.join(self.missing_tables)}."
        else:
            what = f"No data has been published yet: {self.path} does not exist."
        return (
            f"{what} Run `make demo` (the demo company) or `productops refresh` "
            "(your own sources) to build and publish it."
        )


@dataclass(frozen=True)
class Selection:
    """What the user filtered: whole months `start`..`end`, a portfolio, some products."""

    start: date
    end: date
    portfolio_id: str | None = None
    product_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Totals:
    """Sums over a selection; `rnd_pct_of_revenue` is None when there is no revenue."""

    revenue: float
    people_cost: float
    other_rnd_cost: float
    rnd_cost: float
    contribution: float
    rnd_pct_of_revenue: float | None


@dataclass(frozen=True)
class RefreshInfo:
    """Which refresh the serving copy holds."""

    batch_id: str | None
    published_at: datetime | None
    sources_dir: str | None

    @property
    def as_of(self) -> str:
        """`published_at` as `2026-11-15 02:00 UTC`, or `unknown`."""
        if self.published_at is None:
            return "unknown"
        return self.published_at.strftime("%Y-%m-%d %H:%M UTC")


@dataclass(frozen=True)
class Basis:
    """How the amounts were made: reporting currency and attribution rules."""

    currency: str
    revenue_basis: tuple[str, ...]
    people_cost_basis: tuple[str, ...]


# -- connection -------------------------------------------------------------------------


def serving_path() -> Path:
    """The published serving file the dashboards read."""
    return get_settings().serving_path


def _version(path: Path) -> Version:
    """A cache key that changes whenever publish swaps in a new file."""
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns


def _query(path: str, sql: str, params: list | None = None) -> pd.DataFrame:
    with duckdb.connect(path, read_only=True) as con:
        return con.execute(sql, params or []).df()


def _current() -> tuple[str, Version]:
    path = serving_path()
    return str(path), _version(path)


def _viewer(viewer: Viewer | None) -> Viewer:
    """`viewer`, or who is asking when none was passed: nobody inside the app (fail
    closed), full access for a process run on its own."""
    if viewer is not None:
        return viewer
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    return NO_ACCESS if get_script_run_ctx(suppress_warning=True) is not None else TRUSTED_PROCESS


def _allowed(viewer: Viewer | None) -> Portfolios:
    """The portfolios the queries may read for `viewer`: None for all."""
    return _viewer(viewer).portfolios


def _sees_everything(viewer: Viewer | None) -> bool:
    return _viewer(viewer).sees_everything


def _portfolio_clause(allowed: Portfolios, column: str) -> tuple[list[str], list]:
    """`column in (?, ...)` for a limited viewer; nothing for full access; false for none."""
    if allowed is None:
        return [], []
    if not allowed:
        return ["1 = 0"], []
    return [f"{column} in ({', '.join('?' for _ in allowed)})"], list(allowed)


def _product_in_portfolios(column: str, count: int) -> str:
    """Products of `count` bound portfolio ids, for marts without a portfolio column."""
    marks = ", ".join("?" for _ in range(count))
    return (
        f"{column} in (select product_id from marts.dim_products where portfolio_id in ({marks}))"
    )


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _tables(path: str, version: Version) -> frozenset[str]:
    frame = _query(
        path,
        "select table_schema || '.' || table_name as name from information_schema.tables",
    )
    return frozenset(frame["name"])


def serving_unavailable() -> ServingUnavailable | None:
    """None when the serving copy can be read, else what is missing and how to build it."""
    path = serving_path()
    if not path.exists():
        return ServingUnavailable(path)
    present = _tables(str(path), _version(path))
    missing = tuple(name for name in REQUIRED_TABLES if name not in present)
    return ServingUnavailable(path, missing) if missing else None


# -- catalog and refresh ----------------------------------------------------------------


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _products(path: str, version: Version, allowed: Portfolios) -> pd.DataFrame:
    clauses, params = _portfolio_clause(allowed, "portfolio_id")
    where = " and ".join(clauses) or "true"
    return _query(
        path,
        f"""
        select product_id, product_name, portfolio_id, portfolio_name, product_areas,
               director, pm, launched_on
        from marts.dim_products
        where {where}
        -- the unmapped bucket sorts last: it is not a product anyone owns
        order by product_id = ?, portfolio_name, product_name
        """,
        [*params, UNMAPPED],
    )


def products(viewer: Viewer | None = None) -> pd.DataFrame:
    """The product catalog (`marts.dim_products`) the viewer may see, `unmapped` last."""
    return _products(*_current(), _allowed(viewer))


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _month_bounds(path: str, version: Version) -> tuple[date, date] | None:
    frame = _query(
        path, "select min(month) as first, max(month) as last from marts.fct_product_cost_revenue"
    )
    first, last = frame.loc[0, "first"], frame.loc[0, "last"]
    if pd.isna(first):
        return None
    return pd.Timestamp(first).date(), pd.Timestamp(last).date()


def month_bounds() -> tuple[date, date] | None:
    """The first and last month with cost/revenue rows, or None when there are none."""
    return _month_bounds(*_current())


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _basis(path: str, version: Version) -> Basis:
    frame = _query(
        path,
        """
        select 'currency' as kind, currency as value from marts.fct_product_cost_revenue
        union select 'revenue_basis', revenue_basis from marts.fct_product_cost_revenue
        union select 'people_cost_basis', people_cost_basis from marts.fct_product_cost_revenue
        order by kind, value
        """,
    ).dropna()

    def values(kind: str) -> tuple[str, ...]:
        return tuple(frame.loc[frame["kind"] == kind, "value"])

    currencies = values("currency")
    return Basis(
        # One reporting currency by construction; fall back to USD on an empty mart.
        currency=currencies[0] if currencies else "USD",
        revenue_basis=values("revenue_basis"),
        people_cost_basis=values("people_cost_basis"),
    )


def basis() -> Basis:
    """The reporting currency and the revenue / people-cost bases of the amounts."""
    return _basis(*_current())


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _refresh_frame(path: str, version: Version) -> pd.DataFrame | None:
    if "meta.refresh" not in _tables(path, version):
        return None
    return _query(path, "select * from meta.refresh")


def _as_utc(value: object) -> datetime | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    stamp = pd.Timestamp(value)
    if pd.isna(stamp):
        return None
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp.to_pydatetime().astimezone(UTC)


def refresh_info() -> RefreshInfo | None:
    """The latest refresh recorded in `meta.refresh`, or None when the table is absent."""
    frame = _refresh_frame(*_current())
    if frame is None or frame.empty:
        return None
    if "published_at" in frame.columns:
        frame = frame.sort_values("published_at", ascending=False)
    latest = frame.iloc[0]

    def text(column: str) -> str | None:
        value = latest.get(column)
        return None if value is None or pd.isna(value) else str(value)

    return RefreshInfo(
        batch_id=text("batch_id"),
        published_at=_as_utc(latest.get("published_at")),
        sources_dir=text("sources_dir"),
    )


def row_counts_from_refresh(refresh: pd.DataFrame) -> pd.DataFrame:
    """Per-mart row counts (`mart`, `rows`) from a `meta.refresh` frame of either shape.

    Long: one row per mart with a name column (`mart`, `table_name`, `model` or
    `table`) and a count column (`row_count`, `rows` or `n_rows`), latest batch only.
    Wide: one row per batch with an integer column per mart (`dim_products`,
    `dim_products_rows`, `rows_dim_products` ...), latest batch only.
    """
    columns = {c.lower(): c for c in refresh.columns}
    if "published_at" in columns and not refresh.empty:
        stamp = columns["published_at"]
        refresh = refresh[refresh[stamp] == refresh[stamp].max()]
    name_col = next(
        (columns[c] for c in ("mart", "table_name", "model", "table") if c in columns), None
    )
    count_col = next((columns[c] for c in ("row_count", "rows", "n_rows") if c in columns), None)
    if name_col is not None and count_col is not None:
        long = refresh[[name_col, count_col]].rename(columns={name_col: "mart", count_col: "rows"})
    else:
        counts = [
            column
            for column in refresh.columns
            if column.lower() not in REFRESH_DESCRIPTORS
            and pd.api.types.is_integer_dtype(refresh[column])
        ]
        latest = refresh.iloc[:1]
        long = pd.DataFrame(
            {
                "mart": [_mart_name(column) for column in counts],
                "rows": [int(latest[column].iloc[0]) if len(latest) else 0 for column in counts],
            }
        )
    long["mart"] = long["mart"].astype(str).str.removeprefix("marts.")
    long["rows"] = long["rows"].astype("int64")
    return long.sort_values("mart").reset_index(drop=True)


def _mart_name(column: str) -> str:
    name = column.lower()
    for affix in ("_row_count", "_rows"):
        name = name.removesuffix(affix)
    return name.removeprefix("rows_")


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _counted_rows(path: str, version: Version) -> pd.DataFrame:
    marts = sorted(name for name in _tables(path, version) if name.startswith("marts."))
    if not marts:
        return pd.DataFrame({"mart": pd.Series(dtype=str), "rows": pd.Series(dtype="int64")})
    sql = " union all ".join(
        f"select '{name.removeprefix('marts.')}' as mart, count(*) as rows from {name}"
        for name in marts
    )
    return _query(path, sql + " order by mart")


def mart_row_counts(viewer: Viewer | None = None) -> tuple[pd.DataFrame, str]:
    """Rows per mart (`mart`, `rows`) and where they come from.

    From `meta.refresh` (what publish recorded) when present, else counted in the
    serving file itself so the page still answers for an older publish. Empty for
    anyone without full access.
    """
    path, version = _current()
    if not _sees_everything(viewer):
        return pd.DataFrame({"mart": pd.Series(dtype=str), "rows": pd.Series(dtype="int64")}), ""
    refresh = _refresh_frame(path, version)
    if refresh is not None and not refresh.empty:
        counts = row_counts_from_refresh(refresh)
        if not counts.empty:
            return counts, "meta.refresh"
    return _counted_rows(path, version), "counted in the serving file"


# -- cost versus revenue ----------------------------------------------------------------


def _where(selection: Selection, allowed: Portfolios) -> tuple[str, list]:
    """Months, portfolio and products of `selection` on `fct_product_cost_revenue`,
    limited to the viewer's portfolios."""
    clauses, params = _portfolio_clause(allowed, "portfolio_id")
    clauses.append("month between ? and ?")
    params.extend([selection.start, selection.end])
    if selection.portfolio_id is not None:
        clauses.append("portfolio_id = ?")
        params.append(selection.portfolio_id)
    if selection.product_ids:
        clauses.append(f"product_id in ({', '.join('?' for _ in selection.product_ids)})")
        params.extend(selection.product_ids)
    return " and ".join(clauses), params


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _totals(path: str, version: Version, selection: Selection, allowed: Portfolios) -> Totals:
    where, params = _where(selection, allowed)
    row = _query(
        path,
        f"""
        select coalesce(sum(revenue), 0) as revenue,
               coalesce(sum(people_cost), 0) as people_cost,
               coalesce(sum(other_rnd_cost), 0) as other_rnd_cost,
               coalesce(sum(rnd_cost), 0) as rnd_cost
        from marts.fct_product_cost_revenue
        where {where}
        """,
        params,
    ).iloc[0]
    revenue, rnd_cost = float(row["revenue"]), float(row["rnd_cost"])
    return Totals(
        revenue=revenue,
        people_cost=float(row["people_cost"]),
        other_rnd_cost=float(row["other_rnd_cost"]),
        rnd_cost=rnd_cost,
        contribution=revenue - rnd_cost,
        rnd_pct_of_revenue=rnd_cost / revenue if revenue else None,
    )


def totals(selection: Selection, viewer: Viewer | None = None) -> Totals:
    """Revenue, R&D cost, contribution and R&D % of revenue summed over the selection."""
    return _totals(*_current(), selection, _allowed(viewer))


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _product_summary(
    path: str, version: Version, selection: Selection, allowed: Portfolios
) -> pd.DataFrame:
    where, params = _where(selection, allowed)
    return _query(
        path,
        f"""
        with summed as (
            select product_id,
                   sum(revenue) as revenue,
                   sum(people_cost) as people_cost,
                   sum(other_rnd_cost) as other_rnd_cost,
                   sum(rnd_cost) as rnd_cost,
                   sum(rnd_fte) as fte_months,
                   count(distinct month) as months
            from marts.fct_product_cost_revenue
            where {where}
            group by product_id
        )
        select s.product_id,
               coalesce(p.product_name, s.product_id) as product_name,
               p.portfolio_name,
               s.revenue, s.people_cost, s.other_rnd_cost, s.rnd_cost,
               s.revenue - s.rnd_cost as contribution,
               s.rnd_cost / nullif(s.revenue, 0) as rnd_pct_of_revenue,
               s.fte_months / nullif(s.months, 0) as rnd_fte,
               s.revenue * 12 / nullif(s.fte_months, 0) as revenue_per_rnd_fte,
               s.rnd_cost > s.revenue as loss_making
        from summed s
        left join marts.dim_products p using (product_id)
        order by contribution desc, product_name
        """,
        params,
    )


def product_summary(selection: Selection, viewer: Viewer | None = None) -> pd.DataFrame:
    """One row per product over the selection, best contribution first.

    Columns: product_id, product_name, portfolio_name, revenue, people_cost,
    other_rnd_cost, rnd_cost, contribution, rnd_pct_of_revenue (NaN without revenue),
    rnd_fte (average per month), revenue_per_rnd_fte (annualised), loss_making
    (R&D cost exceeds revenue).
    """
    return _product_summary(*_current(), selection, _allowed(viewer))


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _monthly_totals(
    path: str, version: Version, selection: Selection, allowed: Portfolios
) -> pd.DataFrame:
    where, params = _where(selection, allowed)
    return _query(
        path,
        f"""
        select month,
               sum(revenue) as revenue,
               sum(rnd_cost) as rnd_cost,
               sum(revenue) - sum(rnd_cost) as contribution,
               sum(rnd_cost) / nullif(sum(revenue), 0) as rnd_pct_of_revenue
        from marts.fct_product_cost_revenue
        where {where}
        group by month
        order by month
        """,
        params,
    )


def monthly_totals(selection: Selection, viewer: Viewer | None = None) -> pd.DataFrame:
    """Month by month over the selection: month, revenue, rnd_cost, contribution, rnd_pct_of_revenue."""
    return _monthly_totals(*_current(), selection, _allowed(viewer))


# -- data health ------------------------------------------------------------------------


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _unmapped_share(path: str, version: Version, start: date, end: date) -> pd.DataFrame:
    frame = _query(
        path,
        """
        select sum(revenue) filter (where product_id = ?) as revenue_unmapped,
               sum(revenue) as revenue_total,
               sum(people_cost) filter (where product_id = ?) as people_cost_unmapped,
               sum(people_cost) as people_cost_total,
               sum(other_rnd_cost) filter (where product_id = ?) as other_rnd_cost_unmapped,
               sum(other_rnd_cost) as other_rnd_cost_total,
               sum(rnd_cost) filter (where product_id = ?) as rnd_cost_unmapped,
               sum(rnd_cost) as rnd_cost_total
        from marts.fct_product_cost_revenue
        where month between ? and ?
        """,
        [UNMAPPED] * 4 + [start, end],
    ).fillna(0.0)
    measures = {
        "revenue": "Revenue",
        "people_cost": "People cost",
        "other_rnd_cost": "Other R&D cost",
        "rnd_cost": "R&D cost",
    }
    rows = []
    for column, label in measures.items():
        unmapped = float(frame.loc[0, f"{column}_unmapped"])
        total = float(frame.loc[0, f"{column}_total"])
        rows.append(
            {
                "measure": column,
                "label": label,
                "unmapped": unmapped,
                "total": total,
                "share": unmapped / total if total else None,
            }
        )
    return pd.DataFrame(rows)


def unmapped_share(start: date, end: date, viewer: Viewer | None = None) -> pd.DataFrame:
    """How much revenue and cost of months `start`..`end` sits on the `unmapped` product.

    Columns: measure (revenue, people_cost, other_rnd_cost, rnd_cost), label,
    unmapped, total (all products, unmapped included), share (None when total is 0).
    Data health is for full access only: empty for anyone else.
    """
    frame = _unmapped_share(*_current(), start, end)
    return frame if _sees_everything(viewer) else frame.iloc[0:0]


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _unmapped_by_month(path: str, version: Version, start: date, end: date) -> pd.DataFrame:
    return _query(
        path,
        """
        select month, revenue, people_cost, other_rnd_cost, rnd_cost
        from marts.fct_product_cost_revenue
        where product_id = ? and month between ? and ?
          and (revenue <> 0 or rnd_cost <> 0)
        order by month desc
        """,
        [UNMAPPED, start, end],
    )


def unmapped_by_month(start: date, end: date, viewer: Viewer | None = None) -> pd.DataFrame:
    """The months of `start`..`end` where something landed on `unmapped`, newest first
    (full access only: empty for anyone else)."""
    frame = _unmapped_by_month(*_current(), start, end)
    return frame if _sees_everything(viewer) else frame.iloc[0:0]


# -- freshness and quality gates --------------------------------------------------------


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _source_loads(path: str, version: Version) -> pd.DataFrame | None:
    if "meta.raw_loads" not in _tables(path, version):
        return None
    return _query(
        path,
        """
        select source,
               max(exported_at) as exported_at,
               max(loaded_at) as loaded_at,
               sum(row_count) as rows,
               max(max_age_hours) as max_age_hours
        from meta.raw_loads
        group by source
        order by source
        """,
    )


def source_freshness(
    now: datetime | None = None, viewer: Viewer | None = None
) -> pd.DataFrame | None:
    """Per source, how old its export was at `now` (default: now) against its limit.

    Columns: source, exported_at (newest export file, or the API fetch), loaded_at,
    rows (landed in the published load), age_hours (None without rows), max_age_hours
    (None: no limit), stale. None when the serving copy records no loads, and for
    anyone without full access.
    """
    frame = _source_loads(*_current())
    if frame is None or not _sees_everything(viewer):
        return None
    frame = frame.copy()
    now_utc = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    exported = pd.to_datetime(frame["exported_at"])
    frame["age_hours"] = (pd.Timestamp(now_utc) - exported).dt.total_seconds() / 3600
    frame["stale"] = (frame["age_hours"] > frame["max_age_hours"]).fillna(False).astype(bool)
    return frame[
        ["source", "exported_at", "loaded_at", "rows", "age_hours", "max_age_hours", "stale"]
    ]


def quality_failures(viewer: Viewer | None = None) -> pd.DataFrame:
    """Every failed quality-gate check of each source's latest run, from `<data>/quality`.

    Columns: source, checked_at, batch_id, table, check, failures (one text), sample_rows
    (JSON text). Empty when every source's latest gate passed, and for anyone without
    full access (sample rows are raw data).
    """
    import json

    from orchestration.quality_reports import latest_reports

    columns = ["source", "checked_at", "batch_id", "table", "check", "failures", "sample_rows"]
    if not _sees_everything(viewer):
        return pd.DataFrame([], columns=columns)
    rows = [
        {
            "source": report.source,
            "checked_at": report.checked_at,
            "batch_id": report.batch_id,
            "table": f"raw.{check.table}",
            "check": check.check,
            "failures": "; ".join(check.failures),
            "sample_rows": json.dumps(list(check.sample_rows), default=str),
        }
        for report in latest_reports()
        for check in report.failed
    ]
    return pd.DataFrame(rows, columns=columns)


# -- shared by the quarter-based marts -----------------------------------------------------


def table_present(name: str) -> bool:
    """Whether the serving copy holds `schema.table` (marts added later may be missing)."""
    path, version = _current()
    return name in _tables(path, version)


def _product_clauses(
    selection: Selection, allowed: Portfolios, alias: str = "", has_portfolio: bool = False
) -> tuple[list[str], list]:
    """The viewer's portfolios, then the portfolio and product filters of `selection`, on a
    mart with a `product_id` column (and a `portfolio_id` one when `has_portfolio`)."""
    prefix = f"{alias}." if alias else ""
    if has_portfolio:
        clauses, params = _portfolio_clause(allowed, f"{prefix}portfolio_id")
    elif allowed is None:
        clauses, params = [], []
    elif not allowed:
        clauses, params = ["1 = 0"], []
    else:
        clauses = [_product_in_portfolios(f"{prefix}product_id", len(allowed))]
        params = list(allowed)
    if selection.portfolio_id is not None:
        # Marts without a portfolio column (decisions, adoption, say/do) go through the
        # catalog; asking for them by portfolio used to fail with a binder error.
        clauses.append(
            f"{prefix}portfolio_id = ?"
            if has_portfolio
            else _product_in_portfolios(f"{prefix}product_id", 1)
        )
        params.append(selection.portfolio_id)
    if selection.product_ids:
        marks = ", ".join("?" for _ in selection.product_ids)
        clauses.append(f"{prefix}product_id in ({marks})")
        params.extend(selection.product_ids)
    return clauses, params


def _quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


# -- investment allocation --------------------------------------------------------------


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _investment_mix(
    path: str, version: Version, selection: Selection, allowed: Portfolios
) -> pd.DataFrame:
    clauses, params = _product_clauses(selection, allowed, has_portfolio=True)
    clauses.insert(0, "quarter_start between ? and ?")
    params = [_quarter_start(selection.start), _quarter_start(selection.end), *params]
    return _query(
        path,
        f"""
        with picked as (
            select category, fte_months, target_share, customer_commitment_cap
            from marts.fct_investment_allocation
            where {" and ".join(clauses)}
        ), summed as (
            select category, sum(fte_months) as fte_months, max(target_share) as target_share,
                   max(customer_commitment_cap) as customer_commitment_cap
            from picked
            group by category
        )
        select category, fte_months,
               fte_months / nullif(sum(fte_months) over (), 0) as share,
               target_share,
               fte_months / nullif(sum(fte_months) over (), 0) - target_share as drift,
               customer_commitment_cap
        from summed
        order by category
        """,
        params,
    )


def investment_mix(selection: Selection, viewer: Viewer | None = None) -> pd.DataFrame:
    """FTE-month share per investment category over the quarters `selection` touches.

    Columns: category (unallocated included), fte_months, share (of all FTE-months of
    the selection), target_share (catalog; null for unallocated), drift, and
    customer_commitment_cap (the cap in force).
    """
    return _investment_mix(*_current(), selection, _allowed(viewer))


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _commitment_by_portfolio(
    path: str, version: Version, selection: Selection, allowed: Portfolios
) -> pd.DataFrame:
    clauses, params = _product_clauses(selection, allowed, "a", has_portfolio=True)
    clauses.insert(0, "a.quarter_start between ? and ?")
    params = [_quarter_start(selection.start), _quarter_start(selection.end), *params]
    return _query(
        path,
        f"""
        select a.portfolio_id,
               coalesce(max(p.portfolio_name), a.portfolio_id) as portfolio_name,
               sum(a.fte_months) filter (where a.category = 'customer_commitment')
                   / nullif(sum(a.fte_months), 0) as customer_commitment_share,
               max(a.customer_commitment_cap) as customer_commitment_cap
        from marts.fct_investment_allocation a
        left join (select distinct portfolio_id, portfolio_name from marts.dim_products) p
            using (portfolio_id)
        where {" and ".join(clauses)}
        group by a.portfolio_id
        having sum(a.fte_months) > 0
        order by customer_commitment_share desc, portfolio_name
        """,
        params,
    ).assign(
        over_cap=lambda f: (f["customer_commitment_share"] > f["customer_commitment_cap"]).fillna(
            False
        )
    )


def commitment_by_portfolio(selection: Selection, viewer: Viewer | None = None) -> pd.DataFrame:
    """Customer-commitment share of FTE-months per portfolio against the cap.

    Columns: portfolio_id, portfolio_name, customer_commitment_share,
    customer_commitment_cap, over_cap; highest share first.
    """
    return _commitment_by_portfolio(*_current(), selection, _allowed(viewer))


# -- goals ------------------------------------------------------------------------------


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _okr_periods(path: str, version: Version) -> list[str]:
    frame = _query(path, "select distinct period from marts.fct_objective_scores order by period")
    return list(frame["period"])


def okr_periods() -> list[str]:
    """The OKR periods (`2026-Q4`, ...) that have objectives, oldest first."""
    return _okr_periods(*_current())


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _objective_scores(
    path: str, version: Version, periods: tuple[str, ...], allowed: Portfolios
) -> pd.DataFrame:
    marks = ", ".join("?" for _ in periods) or "null"
    # A director's org unit is their portfolio; its children are its products'
    # objectives, which carry the same portfolio_id.
    scoped, scope_params = _portfolio_clause(allowed, "o.portfolio_id")
    return _query(
        path,
        f"""
        select o.objective_id, o.title, o.period, o.kind, o.owner, o.org_unit,
               o.org_unit_kind, o.portfolio_id,
               coalesce(pf.portfolio_name, o.portfolio_id) as portfolio_name,
               coalesce(pr.product_name, pf.portfolio_name, o.org_unit) as org_unit_name,
               o.director, o.parent_objective_id, o.kr_count, o.scored_kr_count,
               o.at_risk_count, o.confidence_flag_count, o.score, o.score_bar, o.status,
               o.period_ended, o.scored_through
        from marts.fct_objective_scores o
        left join (select distinct portfolio_id, portfolio_name from marts.dim_products) pf
            on pf.portfolio_id = o.portfolio_id
        left join marts.dim_products pr on pr.product_id = o.org_unit
        where o.period in ({marks}) {"".join(" and " + c for c in scoped)}
        order by o.period, o.portfolio_id, o.org_unit_kind = 'product', o.objective_id
        """,
        [*periods, *scope_params],
    )


def objective_scores(periods: tuple[str, ...], viewer: Viewer | None = None) -> pd.DataFrame:
    """Objectives of the given OKR periods with their score, status and place in the tree.

    Columns: objective_id, title, period, kind, owner (role handle), org_unit,
    org_unit_kind, portfolio_id, portfolio_name, org_unit_name, director,
    parent_objective_id, kr_count, scored_kr_count, at_risk_count,
    confidence_flag_count, score, score_bar, status, period_ended, scored_through.
    """
    return _objective_scores(*_current(), tuple(periods), _allowed(viewer))


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _key_results(path: str, version: Version, period: str, allowed: Portfolios) -> pd.DataFrame:
    scoped, scope_params = _portfolio_clause(allowed, "o.portfolio_id")
    return _query(
        path,
        f"""
        select k.key_result_id, k.objective_id, k.title, k.kr_type, k.unit, k.weight,
               k.metric_binding, k.baseline, k.target, k.value, k.value_source,
               k.last_checkin_date, k.progress, k.score, k.expected_progress,
               k.confidence, k.status, k.confidence_flag, k.rejected_reason
        from marts.fct_key_result_progress k
        join marts.fct_objective_scores o using (objective_id)
        where o.period = ? and k.is_latest_week {"".join(" and " + c for c in scoped)}
        order by k.objective_id, k.key_result_id
        """,
        [period, *scope_params],
    )


def key_results(period: str, viewer: Viewer | None = None) -> pd.DataFrame:
    """Every key result of an OKR period as it stands now (or at the period's end).

    Columns: key_result_id, objective_id, title, kr_type, unit, weight, metric_binding,
    baseline, target, value, value_source, last_checkin_date, progress (raw), score
    (capped), expected_progress, confidence, status, confidence_flag, rejected_reason.
    """
    return _key_results(*_current(), period, _allowed(viewer))


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _confidence_by_week(
    path: str, version: Version, period: str, allowed: Portfolios
) -> pd.DataFrame:
    scoped, scope_params = _portfolio_clause(allowed, "o.portfolio_id")
    return _query(
        path,
        f"""
        select k.objective_id, k.week_start, avg(k.confidence) as confidence,
               avg(k.score) as score, max(k.expected_progress) as expected_progress
        from marts.fct_key_result_progress k
        join marts.fct_objective_scores o using (objective_id)
        where o.period = ? and k.reference_day <= coalesce(o.scored_through, k.reference_day)
              {"".join(" and " + c for c in scoped)}
        group by k.objective_id, k.week_start
        order by k.objective_id, k.week_start
        """,
        [period, *scope_params],
    )


def confidence_by_week(period: str, viewer: Viewer | None = None) -> pd.DataFrame:
    """Per objective and week of an OKR period: mean confidence and score of its key results.

    Columns: objective_id, week_start, confidence (null before any check-in), score,
    expected_progress. Weeks after the scoring date are left out.
    """
    return _confidence_by_week(*_current(), period, _allowed(viewer))


# -- decisions --------------------------------------------------------------------------


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _decision_latency(
    path: str, version: Version, selection: Selection, first: date, last: date, allowed: Portfolios
) -> pd.DataFrame:
    clauses, params = _product_clauses(selection, allowed)
    where = " and ".join(["decided_at is not null", *clauses])
    return _query(
        path,
        f"""
        with decided as (
            select decision_quarter,
                   decision_quarter_start as quarter_start,
                   days_to_decision, outcome, reversed
            from marts.fct_decisions
            where {where}
        )
        select decision_quarter as quarter, quarter_start,
               count(*) as decided,
               count(*) filter (where outcome = 'accepted') as accepted,
               count(*) filter (where outcome = 'declined') as declined,
               count(*) filter (where reversed) as reversed,
               median(days_to_decision) as median_days,
               quantile_cont(days_to_decision, 0.9) as p90_days
        from decided
        where quarter_start between ? and ?
        group by decision_quarter, quarter_start
        order by quarter_start
        """,
        [*params, first, last],
    )


def decision_latency(
    selection: Selection, first: date, last: date, viewer: Viewer | None = None
) -> pd.DataFrame:
    """Decisions per quarter (by decision date) for quarters starting `first`..`last`.

    Latency is recomputed from the decisions of the selected products, so a median of
    several areas is the median of their decisions, not a median of medians. Columns:
    quarter (`2026-Q3`), quarter_start, decided, accepted, declined, reversed,
    median_days, p90_days.
    """
    return _decision_latency(*_current(), selection, first, last, _allowed(viewer))


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _decision_days(
    path: str, version: Version, selection: Selection, allowed: Portfolios
) -> pd.DataFrame:
    clauses, params = _product_clauses(selection, allowed)
    where = " and ".join(["decided_at is not null", "decided_at >= ?", "decided_at < ?", *clauses])
    end = (pd.Timestamp(selection.end) + pd.offsets.MonthBegin(1)).date()
    return _query(
        path,
        f"""
        select idea_id, product_id, product_area, outcome, days_to_decision, reversed
        from marts.fct_decisions
        where {where}
        order by days_to_decision
        """,
        [selection.start, end, *params],
    )


def decision_days(selection: Selection, viewer: Viewer | None = None) -> pd.DataFrame:
    """Every decision made in the selection's months: idea_id, product_id, product_area,
    outcome, days_to_decision, reversed."""
    return _decision_days(*_current(), selection, _allowed(viewer))


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _throughput(
    path: str, version: Version, selection: Selection, allowed: Portfolios
) -> pd.DataFrame:
    clauses, params = _product_clauses(selection, allowed)
    clauses.insert(0, "quarter_start between ? and ?")
    return _query(
        path,
        f"""
        select quarter, quarter_start, bool_and(is_complete) as is_complete,
               sum(created) as created, sum(decided) as decided,
               sum(undecided) as undecided
        from marts.fct_decision_latency
        where {" and ".join(clauses)}
        group by quarter, quarter_start
        order by quarter_start
        """,
        [_quarter_start(selection.start), _quarter_start(selection.end), *params],
    )


def decision_throughput(selection: Selection, viewer: Viewer | None = None) -> pd.DataFrame:
    """Ideas created and decided per quarter, and the undecided backlog at each close.

    Columns: quarter, quarter_start, is_complete, created, decided, undecided.
    """
    return _throughput(*_current(), selection, _allowed(viewer))


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _area_latency(
    path: str, version: Version, selection: Selection, allowed: Portfolios
) -> pd.DataFrame:
    clauses, params = _product_clauses(selection, allowed, "l")
    clauses.insert(0, "l.quarter_start between ? and ?")
    return _query(
        path,
        f"""
        select l.product_area, coalesce(p.product_name, l.product_id) as product_name,
               l.quarter, l.quarter_start, l.is_complete, l.decided, l.median_days, l.p90_days,
               l.undecided
        from marts.fct_decision_latency l
        left join marts.dim_products p on p.product_id = l.product_id
        where {" and ".join(clauses)}
        order by l.quarter_start, l.product_area
        """,
        [_quarter_start(selection.start), _quarter_start(selection.end), *params],
    )


def area_latency(selection: Selection, viewer: Viewer | None = None) -> pd.DataFrame:
    """Median and p90 days to decision per product area and quarter (`fct_decision_latency`).

    Columns: product_area, product_name, quarter, quarter_start, is_complete, decided,
    median_days, p90_days (null without decisions), undecided (backlog at the close).
    """
    return _area_latency(*_current(), selection, _allowed(viewer))


UNDECIDED_BUCKETS = ("0-7", "8-30", "31-90", "over_90")


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _undecided(
    path: str, version: Version, selection: Selection, allowed: Portfolios
) -> pd.DataFrame:
    clauses, params = _product_clauses(selection, allowed)
    where = " and ".join(["decided_at is null", *clauses])
    return _query(
        path,
        f"""
        select product_area, undecided_age_bucket as age_bucket, count(*) as ideas,
               max(undecided_age_days) as oldest_days
        from marts.fct_decisions
        where {where}
        group by product_area, undecided_age_bucket
        order by product_area, undecided_age_bucket
        """,
        params,
    )


def undecided_ageing(selection: Selection, viewer: Viewer | None = None) -> pd.DataFrame:
    """Undecided ideas on the as-of date by product area and age bucket.

    Columns: product_area, age_bucket (0-7, 8-30, 31-90, over_90), ideas, oldest_days.
    """
    return _undecided(*_current(), selection, _allowed(viewer))


# -- roadmap ----------------------------------------------------------------------------


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _items_by_status(
    path: str, version: Version, selection: Selection, allowed: Portfolios
) -> pd.DataFrame:
    clauses, params = _product_clauses(selection, allowed, "i", has_portfolio=True)
    where = " and ".join(clauses) or "true"
    return _query(
        path,
        f"""
        select i.product_id, coalesce(p.product_name, i.product_id) as product_name,
               i.status_meaning, count(*) as items
        from marts.fct_portfolio_items i
        left join marts.dim_products p using (product_id)
        where {where}
        group by all
        order by product_name, i.status_meaning
        """,
        params,
    )


def items_by_status(selection: Selection, viewer: Viewer | None = None) -> pd.DataFrame:
    """Roadmap items per product and status meaning (new, in_progress, delivered, ...).

    Columns: product_id, product_name, status_meaning, items. Not limited to the period:
    it is the roadmap as it stands now.
    """
    return _items_by_status(*_current(), selection, _allowed(viewer))


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _delivery(
    path: str, version: Version, selection: Selection, allowed: Portfolios
) -> pd.DataFrame:
    clauses, params = _product_clauses(selection, allowed, "i", has_portfolio=True)
    clauses[:0] = ["i.delivered_on >= ?", "i.delivered_on < ?"]
    end = (pd.Timestamp(selection.end) + pd.offsets.MonthBegin(1)).date()
    return _query(
        path,
        f"""
        select i.product_id, coalesce(p.product_name, i.product_id) as product_name,
               count(*) as delivered,
               count(*) filter (where i.on_time) as on_time,
               count(*) filter (where i.on_time) / count(*) as on_time_share,
               avg(i.slip_days) filter (where not i.on_time) as mean_slip_days_when_late
        from marts.fct_portfolio_items i
        left join marts.dim_products p using (product_id)
        where {" and ".join(clauses)}
        group by all
        order by on_time_share, product_name
        """,
        [selection.start, end, *params],
    )


def delivery(selection: Selection, viewer: Viewer | None = None) -> pd.DataFrame:
    """Roadmap items delivered in the selection's months, per product, and how many on time.

    Columns: product_id, product_name, delivered, on_time, on_time_share,
    mean_slip_days_when_late (null when none was late).
    """
    return _delivery(*_current(), selection, _allowed(viewer))


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _say_do(
    path: str, version: Version, selection: Selection, by_product: bool, allowed: Portfolios
) -> pd.DataFrame:
    clauses, params = _product_clauses(selection, allowed, "r")
    clauses[:0] = ["r.quarter_start between ? and ?"]
    product = (
        "r.product_id, coalesce(p.product_name, r.product_id) as product_name, "
        if by_product
        else ""
    )
    return _query(
        path,
        f"""
        select {product}r.quarter, r.quarter_start, bool_and(r.is_complete) as is_complete,
               sum(r.committed_at_quarter_start) as committed,
               sum(r.delivered_in_quarter) as delivered,
               sum(r.delivered_unplanned) as delivered_unplanned,
               sum(r.delivered_in_quarter) / nullif(sum(r.committed_at_quarter_start), 0)
                   as say_do_ratio
        from marts.fct_roadmap_predictability r
        left join marts.dim_products p on p.product_id = r.product_id
        where {" and ".join(clauses)}
        group by all
        order by r.quarter_start{", product_name" if by_product else ""}
        """,
        [_quarter_start(selection.start), _quarter_start(selection.end), *params],
    )


def say_do(
    selection: Selection, by_product: bool = False, viewer: Viewer | None = None
) -> pd.DataFrame:
    """Say/do per quarter the selection touches (per product too when `by_product`).

    Columns: [product_id, product_name,] quarter, quarter_start, is_complete, committed,
    delivered, delivered_unplanned, say_do_ratio (delivered / committed; null without
    commitments).
    """
    return _say_do(*_current(), selection, by_product, _allowed(viewer))


# -- adoption ---------------------------------------------------------------------------


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _adoption(
    path: str, version: Version, selection: Selection, allowed: Portfolios
) -> pd.DataFrame:
    clauses, params = _product_clauses(selection, allowed, "a")
    clauses[:0] = ["a.month between ? and ?"]
    return _query(
        path,
        f"""
        select a.feature_id, a.product_id,
               coalesce(p.product_name, a.product_id) as product_name,
               a.month, a.released_on, a.is_released, a.eligible_accounts,
               a.enabled_accounts, a.enabled_share, a.active_users, a.feature_users,
               a.adoption_rate, a.stickiness, a.first_milestone_month,
               a.days_release_to_milestone
        from marts.fct_feature_adoption a
        left join marts.dim_products p on p.product_id = a.product_id
        where {" and ".join(clauses)}
        order by a.month, product_name, a.feature_id
        """,
        [selection.start, selection.end, *params],
    )


def feature_adoption(selection: Selection, viewer: Viewer | None = None) -> pd.DataFrame:
    """Every feature in every month of the selection: accounts that enabled it, then users.

    Columns: feature_id, product_id, product_name, month, released_on, is_released,
    eligible_accounts, enabled_accounts, enabled_share, active_users, feature_users,
    adoption_rate, stickiness, first_milestone_month, days_release_to_milestone.
    """
    return _adoption(*_current(), selection, _allowed(viewer))


# -- unmapped values --------------------------------------------------------------------


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _unmapped_values(path: str, version: Version) -> pd.DataFrame:
    return _query(
        path,
        """
        select source, kind, value, occurrences, amount, fte_months, currency
        from marts.fct_unmapped_values
        order by coalesce(amount, 0) desc, occurrences desc, source, kind, value
        """,
    )


def unmapped_values(viewer: Viewer | None = None) -> pd.DataFrame:
    """Every source value the catalog does not map (`marts.fct_unmapped_values`), the
    costliest first: source, kind, value, occurrences, amount, fte_months, currency.
    Full access only: empty for anyone else."""
    frame = _unmapped_values(*_current())
    return frame if _sees_everything(viewer) else frame.iloc[0:0]
