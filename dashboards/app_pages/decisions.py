"""Decisions: how long ideas wait for a decision, how many are decided, what still waits."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import charts, data, formatting, periods, widgets

picked = widgets.start_page("Decisions", "decisions")
viewer = picked.viewer
if not widgets.require_tables("marts.fct_decisions", "marts.fct_decision_latency"):
    st.stop()
selection = picked.selection
quarter = picked.quarter
widgets.as_of_caption(picked.period.span, picked.scope, f"quarter figures: {quarter.label}")

first = periods.Quarter.of(picked.period.start)
latency = data.decision_latency(
    selection, first.start, periods.Quarter.of(picked.period.end).start, viewer
)
by_quarter = latency.set_index("quarter")


def quarter_value(column: str, key: str) -> float | None:
    """`column` of quarter `key`, None when the quarter has no decisions."""
    value = by_quarter[column].get(key)
    return None if value is None or pd.isna(value) else float(value)


median_now = quarter_value("median_days", quarter.key)
median_before = quarter_value("median_days", quarter.previous.key)
p90_now = quarter_value("p90_days", quarter.key)
p90_before = quarter_value("p90_days", quarter.previous.key)
undecided = data.undecided_ageing(selection, viewer)
waiting = int(undecided["ideas"].sum())
over_90 = int(undecided.loc[undecided["age_bucket"] == "over_90", "ideas"].sum())

median_col, p90_col, decided_col, waiting_col = st.columns(4)
median_col.metric(
    f"Median days to decision, {quarter.label}",
    formatting.days(median_now),
    delta=None
    if median_now is None or median_before is None
    else formatting.signed_number(median_now - median_before, "days"),
    delta_color=widgets.delta_colour(
        None if median_now is None or median_before is None else median_now - median_before,
        inverse=True,
    ),
    border=True,
)
p90_col.metric(
    f"90th percentile, {quarter.label}",
    formatting.days(p90_now),
    delta=None
    if p90_now is None or p90_before is None
    else formatting.signed_number(p90_now - p90_before, "days"),
    delta_color="inverse",
    border=True,
)
decided_col.metric(
    "Decided in the period", formatting.number(latency["decided"].sum()), border=True
)
waiting_col.metric(
    "Undecided now",
    formatting.number(waiting),
    help=f"{formatting.number(over_90)} of them have waited over 90 days.",
    border=True,
)

trend_col, histogram_col = st.columns(2)
with trend_col:
    widgets.chart(charts.decision_latency_trend(latency), "decision_latency", ("days_to_decision",))
with histogram_col:
    days = data.decision_days(selection, viewer)
    if days.empty:
        st.info("No decisions were made in this period.")
    else:
        widgets.chart(charts.decision_days_histogram(days), "decision_days", ("days_to_decision",))

throughput_col, ageing_col = st.columns(2)
with throughput_col:
    widgets.chart(
        charts.decision_throughput_chart(data.decision_throughput(selection, viewer)),
        "decision_throughput",
        ("days_to_decision",),
    )
with ageing_col:
    if undecided.empty:
        st.success("Every idea has a decision.")
    else:
        widgets.chart(
            charts.undecided_ageing_chart(undecided), "undecided_ageing", ("undecided_age",)
        )

st.subheader(f"By product area, {quarter.label}")
areas = data.area_latency(picked.for_quarter(quarter), viewer)
widgets.table(
    areas.sort_values("median_days", ascending=False, na_position="last"),
    hide_index=True,
    name="latency_by_area",
    viewer=viewer,
    key="latency_by_area",
    column_config={
        "product_area": st.column_config.TextColumn("Product area"),
        "product_name": st.column_config.TextColumn("Product"),
        "quarter": None,
        "quarter_start": None,
        "is_complete": None,
        "decided": st.column_config.NumberColumn("Decided"),
        "median_days": st.column_config.NumberColumn("Median days", format="%.1f"),
        "p90_days": st.column_config.NumberColumn("p90 days", format="%.1f"),
        "undecided": st.column_config.NumberColumn("Undecided at close"),
    },
)
