"""The board's figures: for one quarter, each chart with the one-line takeaway it supports.

A `Figure` is what the CPO overview draws and what the board pack puts on a slide, so
the page and the slides cannot disagree. Queries go through `dashboards.data`, chart
specs come from `dashboards.charts`; this module only picks the data for a quarter and
words the takeaway from it.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from dashboards import charts, data, formatting, periods
from dashboards.filters import GlobalFilters
from dashboards.viewers import Viewer

QUARTERS_OF_TREND = 8  # two years of quarters: enough to see a trend, few enough to read


@dataclass(frozen=True)
class Figure:
    """A chart, its one-line takeaway and where the numbers come from."""

    key: str
    title: str
    chart: alt.TopLevelMixin
    takeaway: str
    source: str  # the marts it reads
    metrics: tuple[str, ...]  # keys of metric_definitions.METRICS


@dataclass(frozen=True)
class Scope:
    """Which products a figure covers: a portfolio, some products, or everything."""

    portfolio_id: str | None = None
    product_ids: tuple[str, ...] = ()
    # Who the figures are for; None outside the app (the CLI's board pack) reads everything.
    viewer: Viewer | None = None

    @classmethod
    def of(cls, picked: GlobalFilters | None) -> Scope:
        """The scope of the shared filters (everything when there are none)."""
        if picked is None:
            return cls()
        return cls(picked.portfolio_id, picked.product_ids, picked.viewer)

    def months(self, first: periods.Quarter, last: periods.Quarter) -> data.Selection:
        """The selection from `first`'s first month to `last`'s last month."""
        return data.Selection(first.start, last.last_month, self.portfolio_id, self.product_ids)

    def objectives(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The objectives of `frame` that belong to the scope's portfolio or products."""
        if self.product_ids:
            return frame[frame["org_unit"].isin(self.product_ids)]
        if self.portfolio_id is not None:
            return frame[frame["portfolio_id"] == self.portfolio_id]
        return frame


def _names(frame: pd.DataFrame, column: str = "product_name", limit: int = 3) -> str:
    names = list(frame[column])
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


# -- money --------------------------------------------------------------------------------


def revenue_by_product(
    quarter: periods.Quarter, scope: Scope, currency: str
) -> tuple[Figure, pd.DataFrame]:
    """Revenue, R&D cost and contribution per product in `quarter`, and the summary behind it."""
    summary = data.product_summary(scope.months(quarter, quarter), scope.viewer)
    products = summary[summary["product_id"] != data.UNMAPPED]
    losing = products[products["loss_making"]].sort_values("contribution")
    if products.empty:
        takeaway = "No product has revenue or R&D cost in this quarter."
    else:
        best = products.sort_values("contribution", ascending=False).iloc[0]
        takeaway = (
            f"{best['product_name']} contributed most "
            f"({formatting.signed_money(best['contribution'], currency)})"
        )
        if losing.empty:
            takeaway += "; every product earned more than its R&D cost."
        else:
            worst = losing.iloc[0]
            if len(losing) == 1:
                takeaway += (
                    f"; {worst['product_name']} cost more than it earned "
                    f"({formatting.signed_money(worst['contribution'], currency)})."
                )
            else:
                takeaway += (
                    f"; {len(losing)} products cost more than they earned: {_names(losing)} "
                    f"(worst {formatting.signed_money(worst['contribution'], currency)})."
                )
    chart = charts.revenue_vs_rnd_cost_by_product(summary, currency).properties(
        title=alt.TitleParams(
            f"Revenue vs R&D cost by product, {quarter.label}",
            subtitle="Sorted by contribution (revenue − R&D cost), shown at the end of each pair",
            anchor="start",
        )
    )
    figure = Figure(
        "revenue_by_product",
        f"Revenue, R&D cost and contribution by product — {quarter.label}",
        chart,
        takeaway,
        "marts.fct_product_cost_revenue",
        ("revenue", "rnd_cost", "contribution"),
    )
    return figure, summary


def monthly_trend(quarter: periods.Quarter, scope: Scope, currency: str) -> Figure:
    """Revenue and R&D cost month by month over the four quarters up to `quarter`."""
    monthly = data.monthly_totals(scope.months(quarter.back(3), quarter), scope.viewer)
    revenue, rnd_cost = float(monthly["revenue"].sum()), float(monthly["rnd_cost"].sum())
    share = rnd_cost / revenue if revenue else None
    takeaway = (
        f"Over the 12 months to {quarter.label}: revenue {formatting.money(revenue, currency)}, "
        f"R&D cost {formatting.money(rnd_cost, currency)} "
        f"({formatting.percent(share)} of revenue)."
    )
    return Figure(
        "monthly_trend",
        f"Revenue and R&D cost by month — 12 months to {quarter.label}",
        charts.monthly_trend(monthly, currency),
        takeaway,
        "marts.fct_product_cost_revenue",
        ("revenue", "rnd_cost"),
    )


# -- where the effort goes -------------------------------------------------------------------


def investment_mix(quarter: periods.Quarter, scope: Scope) -> tuple[Figure, pd.DataFrame]:
    """Share of effort per investment category in `quarter` against the targets."""
    mix = data.investment_mix(scope.months(quarter, quarter), scope.viewer)
    by_category = mix.set_index("category")
    parts = []
    for category in ("new_capability", "customer_commitment"):
        if category in by_category.index:
            row = by_category.loc[category]
            parts.append(
                f"{charts.CATEGORY_LABELS[category].lower()} {formatting.percent(row['share'], 0)} "
                f"(target {formatting.percent(row['target_share'], 0)})"
            )
    takeaway = (
        f"In {quarter.label}, " + " and ".join(parts) + " of R&D effort."
        if parts
        else f"No allocated effort in {quarter.label}."
    )
    figure = Figure(
        "investment_mix",
        f"Investment mix against targets — {quarter.label}",
        charts.investment_mix_vs_targets(mix, f", {quarter.label}"),
        takeaway[0].upper() + takeaway[1:],
        "marts.fct_investment_allocation",
        ("investment_share",),
    )
    return figure, mix


def commitment_vs_cap(quarter: periods.Quarter, scope: Scope) -> tuple[Figure, pd.DataFrame]:
    """Customer-commitment share per portfolio in `quarter` against the cap."""
    shares = data.commitment_by_portfolio(scope.months(quarter, quarter), scope.viewer)
    cap = float(shares["customer_commitment_cap"].max()) if len(shares) else 0.10
    over = shares[shares["over_cap"]]
    if over.empty:
        takeaway = f"No portfolio spent more than the {formatting.percent(cap, 0)} cap on customer commitments."
    else:
        listed = ", ".join(
            f"{row.portfolio_name} ({formatting.percent(row.customer_commitment_share, 0)})"
            for row in over.itertuples()
        )
        takeaway = (
            f"Over the {formatting.percent(cap, 0)} customer-commitment cap in {quarter.label}: "
            f"{listed}."
        )
    figure = Figure(
        "commitment_vs_cap",
        f"Customer commitments against the cap — {quarter.label}",
        charts.commitment_vs_cap(shares, f", {quarter.label}"),
        takeaway,
        "marts.fct_investment_allocation",
        ("customer_commitment_cap", "investment_share"),
    )
    return figure, shares


# -- goals, decisions, delivery ------------------------------------------------------------------

OFF_TRACK = ("at_risk", "lagging", "missed")


def objective_scores(quarter: periods.Quarter, scope: Scope) -> tuple[Figure, pd.DataFrame]:
    """The objectives of the OKR quarter `quarter`, scored, the off-track ones named."""
    objectives = scope.objectives(data.objective_scores((quarter.key,), scope.viewer))
    off = objectives[objectives["status"].isin(OFF_TRACK)].sort_values("score")
    ended = bool(objectives["period_ended"].all()) if len(objectives) else False
    if objectives.empty:
        takeaway = f"No objectives were set for {quarter.label}."
    elif off.empty:
        takeaway = f"All {len(objectives)} objectives of {quarter.label} are on track or achieved."
    else:
        verb = "missed their bar" if ended else "are at risk or lagging"
        if len(off) == 1:
            verb = "missed its bar" if ended else "is " + off.iloc[0]["status"].replace("_", " ")
        listed = ", ".join(
            f"{row.org_unit_name} ({row.score:.2f})" for row in off.head(3).itertuples()
        )
        takeaway = f"{len(off)} of {len(objectives)} objectives {verb}: {listed}."
    figure = Figure(
        "objective_scores",
        f"Objectives — {quarter.label}",
        charts.objective_scores_chart(objectives, f", {quarter.label}"),
        takeaway,
        "marts.fct_objective_scores",
        ("objective_score",),
    )
    return figure, objectives


def decision_latency(quarter: periods.Quarter, scope: Scope) -> tuple[Figure, pd.DataFrame]:
    """Median and p90 days to decision per quarter, the last eight up to `quarter`."""
    first = quarter.back(QUARTERS_OF_TREND - 1)
    latency = data.decision_latency(
        scope.months(first, quarter), first.start, quarter.start, scope.viewer
    )
    by_quarter = latency.set_index("quarter")
    now = by_quarter["median_days"].get(quarter.key)
    before = by_quarter["median_days"].get(quarter.previous.key)
    if now is None or pd.isna(now):
        takeaway = f"No decisions were made in {quarter.label}."
    else:
        p90 = by_quarter.loc[quarter.key, "p90_days"]
        takeaway = f"Median time to decision {formatting.days(now)} in {quarter.label}"
        if before is not None and pd.notna(before):
            if now == before:
                takeaway += f", as in {quarter.previous.label}"
            else:
                direction = "up" if now > before else "down"
                takeaway += (
                    f", {direction} from {formatting.days(before)} in {quarter.previous.label}"
                )
        takeaway += f"; 90th percentile {formatting.days(p90)}."
        areas = data.area_latency(scope.months(quarter, quarter), scope.viewer)
        slowest = areas.dropna(subset=["median_days"]).sort_values("median_days").tail(1)
        if len(slowest):
            area = slowest.iloc[0]
            takeaway += (
                f" Slowest area: {area['product_area']} ({formatting.days(area['median_days'])})."
            )
    figure = Figure(
        "decision_latency",
        f"Time to decision — {first.label} to {quarter.label}",
        charts.decision_latency_trend(latency),
        takeaway,
        "marts.fct_decisions",
        ("days_to_decision",),
    )
    return figure, latency


def say_do(quarter: periods.Quarter, scope: Scope) -> tuple[Figure, pd.DataFrame]:
    """Say/do per quarter, the last eight up to `quarter`."""
    first = quarter.back(QUARTERS_OF_TREND - 1)
    ratios = data.say_do(scope.months(first, quarter), viewer=scope.viewer)
    by_quarter = ratios.set_index("quarter")
    if quarter.key not in by_quarter.index or pd.isna(by_quarter.loc[quarter.key, "say_do_ratio"]):
        takeaway = f"Nothing was committed at the start of {quarter.label}."
    else:
        row = by_quarter.loc[quarter.key]
        takeaway = (
            f"{formatting.percent(row['say_do_ratio'], 0)} of the roadmap committed for "
            f"{quarter.label} was delivered ({int(row['delivered'])} of {int(row['committed'])})"
        )
        previous = by_quarter["say_do_ratio"].get(quarter.previous.key)
        if previous is not None and pd.notna(previous):
            takeaway += f", against {formatting.percent(previous, 0)} in {quarter.previous.label}"
        takeaway += "."
    figure = Figure(
        "say_do",
        f"Roadmap say/do — {first.label} to {quarter.label}",
        charts.say_do_trend(ratios),
        takeaway,
        "marts.fct_roadmap_predictability",
        ("say_do_ratio",),
    )
    return figure, ratios


def board_figures(quarter: periods.Quarter, scope: Scope, currency: str) -> list[Figure]:
    """Every figure of the board pack for `quarter`, in slide order."""
    return [
        revenue_by_product(quarter, scope, currency)[0],
        monthly_trend(quarter, scope, currency),
        investment_mix(quarter, scope)[0],
        commitment_vs_cap(quarter, scope)[0],
        objective_scores(quarter, scope)[0],
        decision_latency(quarter, scope)[0],
        say_do(quarter, scope)[0],
    ]
