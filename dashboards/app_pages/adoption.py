"""Adoption: per feature, the partner accounts that switched it on, then their users."""

from __future__ import annotations

import streamlit as st

from dashboards import charts, data, formatting, periods, widgets

picked = widgets.start_page("Adoption", "adoption")
if not widgets.require_tables("marts.fct_feature_adoption"):
    st.stop()
adoption = data.feature_adoption(picked.selection, picked.viewer)
if adoption.empty:
    st.info("No feature usage in this period and scope: analytics may not cover it.")
    st.stop()

latest_month = adoption["month"].max()
month_label = f"{periods.MONTH_NAMES[latest_month.month - 1]} {latest_month.year}"
latest = adoption[(adoption["month"] == latest_month) & adoption["is_released"]]
widgets.as_of_caption(f"latest month {month_label}", picked.scope)

enabled_col, users_col, features_col = st.columns(3)
eligible = int(latest["eligible_accounts"].sum())
enabled = int(latest["enabled_accounts"].sum())
enabled_col.metric(
    "Accounts enabled (all features)",
    formatting.percent(enabled / eligible if eligible else None, 0),
    help=f"{formatting.number(enabled)} feature switch-ons among "
    f"{formatting.number(eligible)} active partner accounts × features, {month_label}.",
    border=True,
)
users_col.metric(
    "Median adoption rate",
    formatting.percent(latest["adoption_rate"].median(), 0),
    help="The middle feature's feature users / active users of its product.",
    border=True,
)
features_col.metric(
    "Features past 10% adoption",
    f"{int(latest['first_milestone_month'].notna().sum())} of {len(latest)}",
    border=True,
)

widgets.chart(
    charts.adoption_by_feature(latest, month_label),
    "adoption_by_feature",
    ("enabled_share", "adoption_rate"),
)
widgets.chart(charts.adoption_trend(adoption), "adoption_trend", ("adoption_rate",))

st.subheader(f"By feature, {month_label}")
widgets.table(
    latest.sort_values("enabled_share", ascending=False),
    hide_index=True,
    name="adoption_by_feature",
    viewer=picked.viewer,
    key="adoption_table",
    column_config={
        "feature_id": st.column_config.TextColumn("Feature"),
        "product_id": None,
        "month": None,
        "is_released": None,
        "product_name": st.column_config.TextColumn("Product"),
        "released_on": st.column_config.DateColumn("Released"),
        "eligible_accounts": st.column_config.NumberColumn("Active accounts"),
        "enabled_accounts": st.column_config.NumberColumn("Accounts enabled"),
        "enabled_share": st.column_config.NumberColumn("Enabled share", format="percent"),
        "active_users": st.column_config.NumberColumn("Active users", format="localized"),
        "feature_users": st.column_config.NumberColumn("Feature users", format="localized"),
        "adoption_rate": st.column_config.NumberColumn("Adoption rate", format="percent"),
        "stickiness": st.column_config.NumberColumn("Stickiness", format="percent"),
        "first_milestone_month": st.column_config.DateColumn("Reached 10%", format="MMM YYYY"),
        "days_release_to_milestone": st.column_config.NumberColumn("Days to 10%"),
    },
)
