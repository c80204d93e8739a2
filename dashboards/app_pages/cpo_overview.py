"""CPO overview: money, effort, goals and decisions of the last complete quarter, each
against the quarter before, and the board pack in one click."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import board_pack, charts, data, figures, formatting, periods, widgets

picked = widgets.start_page("CPO overview", "cpo_overview")
viewer = picked.viewer
basis = data.basis()
quarter = picked.quarter
previous = quarter.previous
scope = figures.Scope.of(picked)
widgets.as_of_caption(
    f"{quarter.label} compared with {previous.label}",
    picked.scope,
    f"amounts in {basis.currency}",
)


def money(value: float | None) -> str:
    """A KPI figure in the reporting currency, e.g. `$1.2M`."""
    return formatting.money(value, basis.currency)


def show(figure: figures.Figure) -> None:
    """A figure as the board will see it: the chart, its takeaway, help and downloads."""
    widgets.chart(figure.chart, figure.key, figure.metrics)
    st.markdown(f"**{figure.takeaway}**")


now = data.totals(picked.for_quarter(quarter), viewer)
before = data.totals(picked.for_quarter(previous), viewer)
revenue_col, cost_col, contribution_col, pct_col = st.columns(4)
revenue_col.metric(
    "Revenue",
    money(now.revenue),
    delta=formatting.signed_money(now.revenue - before.revenue, basis.currency),
    border=True,
)
cost_col.metric(
    "R&D cost",
    money(now.rnd_cost),
    delta=formatting.signed_money(now.rnd_cost - before.rnd_cost, basis.currency),
    delta_color="inverse",
    border=True,
)
contribution_col.metric(
    "Contribution",
    money(now.contribution),
    delta=formatting.signed_money(now.contribution - before.contribution, basis.currency),
    border=True,
)
pct_delta = (
    None
    if now.rnd_pct_of_revenue is None or before.rnd_pct_of_revenue is None
    else formatting.points(now.rnd_pct_of_revenue - before.rnd_pct_of_revenue)
)
pct_col.metric(
    "R&D % of revenue",
    formatting.percent(now.rnd_pct_of_revenue),
    delta=pct_delta,
    delta_color="inverse",
    border=True,
)

st.subheader(f"Revenue, R&D cost and contribution by product, {quarter.label}")
by_product, summary = figures.revenue_by_product(quarter, scope, basis.currency)
show(by_product)
previous_summary = data.product_summary(picked.for_quarter(previous), viewer)
change = summary[["product_name", "revenue", "rnd_cost", "contribution"]].merge(
    previous_summary[["product_name", "contribution"]].rename(
        columns={"contribution": "previous_contribution"}
    ),
    on="product_name",
    how="left",
)
change["contribution_change"] = change["contribution"] - change["previous_contribution"]
money_format = formatting.table_money_format(basis.currency)
widgets.table(
    change,
    hide_index=True,
    name="revenue_by_product",
    viewer=viewer,
    placeholder="—",
    key="cpo_by_product",
    column_config={
        "product_name": st.column_config.TextColumn("Product"),
        "revenue": st.column_config.NumberColumn("Revenue", format=money_format),
        "rnd_cost": st.column_config.NumberColumn("R&D cost", format=money_format),
        "contribution": st.column_config.NumberColumn("Contribution", format=money_format),
        "previous_contribution": st.column_config.NumberColumn(
            f"Contribution {previous.label}", format=money_format
        ),
        "contribution_change": st.column_config.NumberColumn("Change", format=money_format),
    },
)

if widgets.require_tables("marts.fct_investment_allocation"):
    st.subheader(f"Where R&D effort went, {quarter.label}")
    mix_figure, mix = figures.investment_mix(quarter, scope)
    cap_figure, shares = figures.commitment_vs_cap(quarter, scope)
    previous_mix = data.investment_mix(picked.for_quarter(previous), viewer).set_index("category")
    share_now = mix.set_index("category")["share"].get("customer_commitment")
    share_before = previous_mix["share"].get("customer_commitment")
    cap = float(mix["customer_commitment_cap"].max()) if len(mix) else 0.10
    st.metric(
        "Customer-commitment share",
        formatting.percent(share_now),
        delta=(
            None
            if share_now is None or share_before is None
            else formatting.points(share_now - share_before)
        ),
        delta_color="inverse",
        help=f"Cap {formatting.percent(cap, 0)}; compared with {previous.label}.",
        border=True,
        width=320,
    )
    mix_col, cap_col = st.columns(2)
    with mix_col:
        show(mix_figure)
    with cap_col:
        show(cap_figure)

if widgets.require_tables("marts.fct_objective_scores"):
    # Objectives are a running concern: show the OKR quarter the period ends in, which
    # may still be under way, against the complete one before it.
    okr_quarter = periods.Quarter.of(picked.period.end)
    if okr_quarter.key not in data.okr_periods():
        okr_quarter = quarter
    st.subheader(f"Objectives at risk, {okr_quarter.label}")
    objective_figure, objectives = figures.objective_scores(okr_quarter, scope)
    previous_objectives = scope.objectives(
        data.objective_scores((okr_quarter.previous.key,), viewer)
    )
    off_now = int(objectives["status"].isin(figures.OFF_TRACK).sum())
    off_before = int(previous_objectives["status"].isin(figures.OFF_TRACK).sum())
    st.metric(
        "Objectives off track",
        f"{off_now} of {len(objectives)}",
        delta=formatting.signed_number(off_now - off_before),
        delta_color="inverse",
        help=(
            "At risk, lagging or (once the quarter is over) missed; compared with "
            f"{okr_quarter.previous.label}."
        ),
        border=True,
        width=320,
    )
    at_risk = objectives[objectives["status"].isin(figures.OFF_TRACK)].assign(
        status=lambda f: f["status"].map(charts.STATUS_LABELS).fillna(f["status"])
    )
    if not at_risk.empty:
        widgets.table(
            at_risk[
                [
                    "org_unit_name",
                    "title",
                    "owner",
                    "score",
                    "score_bar",
                    "status",
                    "at_risk_count",
                    "kr_count",
                ]
            ],
            hide_index=True,
            name="objectives_at_risk",
            viewer=viewer,
            key="cpo_at_risk",
            column_config={
                "org_unit_name": st.column_config.TextColumn("Product / portfolio"),
                "title": st.column_config.TextColumn("Objective", width="large"),
                "owner": st.column_config.TextColumn("Owner"),
                "score": st.column_config.NumberColumn("Score", format="%.2f"),
                "score_bar": st.column_config.NumberColumn("Bar", format="%.1f"),
                "status": st.column_config.TextColumn("Status"),
                "at_risk_count": st.column_config.NumberColumn("KRs at risk"),
                "kr_count": st.column_config.NumberColumn("KRs"),
            },
        )
    show(objective_figure)

if widgets.require_tables("marts.fct_decisions", "marts.fct_roadmap_predictability"):
    st.subheader("Decisions and delivery")
    latency_figure, latency = figures.decision_latency(quarter, scope)
    say_do_figure, ratios = figures.say_do(quarter, scope)
    by_quarter = latency.set_index("quarter")["median_days"]
    median_now, median_before = by_quarter.get(quarter.key), by_quarter.get(previous.key)
    ratio = ratios.set_index("quarter")["say_do_ratio"]
    ratio_now, ratio_before = ratio.get(quarter.key), ratio.get(previous.key)
    latency_col, say_do_col = st.columns(2)
    with latency_col:
        st.metric(
            f"Median days to decision, {quarter.label}",
            formatting.days(median_now),
            delta=(
                None
                if median_now is None or median_before is None or pd.isna(median_before)
                else formatting.signed_number(median_now - median_before, "days")
            ),
            delta_color=widgets.delta_colour(
                None
                if median_now is None or median_before is None or pd.isna(median_before)
                else median_now - median_before,
                inverse=True,
            ),
            border=True,
        )
        show(latency_figure)
    with say_do_col:
        st.metric(
            f"Say/do, {quarter.label}",
            formatting.percent(ratio_now, 0),
            delta=(
                None
                if ratio_now is None or ratio_before is None or pd.isna(ratio_before)
                else formatting.points(ratio_now - ratio_before)
            ),
            border=True,
        )
        show(say_do_figure)

if not viewer.may_download_board_pack:
    st.stop()  # the board pack is the whole company's: CPO and product ops only
st.subheader("Board pack")
missing = [mart for mart in board_pack.MARTS if not data.table_present(mart)]
if missing:
    st.caption(f"The board pack needs {', '.join(missing)}: run `productops refresh` first.")
    st.stop()
st.caption(
    f"A PowerPoint deck for {quarter.label}: a title slide, one slide per chart above and "
    "the 12-month revenue and R&D cost trend, each with its takeaway, source and refresh "
    "time. Built when you click."
)
st.download_button(
    f"Download the {quarter.label} board pack (PPTX)",
    data=lambda: board_pack.build_pptx(quarter, scope),
    file_name=f"board-pack-{quarter.key}.pptx",
    mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
    on_click="ignore",
    icon=":material/slideshow:",
    type="primary",
    key="board_pack",
)
