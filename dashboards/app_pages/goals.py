"""Goals: the objective tree with scores, key results against expected, confidence.

The org-unit and owner filters live in the URL (`?org_unit=payments&owner=VP+Payments`),
so a director bookmarks their own view once and lands on it every time.
"""

from __future__ import annotations

import streamlit as st

from dashboards import charts, data, formatting, periods, widgets

ALL = ""
URL_KEYS = {"goals_period": "okr_period", "goals_org_unit": "org_unit", "goals_owner": "owner"}

picked = widgets.start_page("Goals", "goals")
viewer = picked.viewer
if not widgets.require_tables("marts.fct_objective_scores", "marts.fct_key_result_progress"):
    st.stop()

okr_periods = data.okr_periods()
if not okr_periods:
    st.info("No objectives are published yet: add the OKR export and run `productops refresh`.")
    st.stop()


def from_url(key: str, options: list[str]) -> None:
    """Start a widget on the value the URL names, once, when the URL names a valid one."""
    wanted = st.query_params.get(URL_KEYS[key])
    if key not in st.session_state and wanted in options:
        st.session_state[key] = wanted


# The OKR quarter the shared period ends in (usually the one under way), else the newest.
default_period = periods.Quarter.of(picked.period.end).key
if default_period not in okr_periods:
    default_period = okr_periods[-1]
period_options = list(reversed(okr_periods))
from_url("goals_period", period_options)
period_col, unit_col, owner_col = st.columns([1, 2, 2])
period = period_col.selectbox(
    "OKR period",
    period_options,
    index=period_options.index(default_period),
    key="goals_period",
)

objectives = data.objective_scores((period,), viewer)
if picked.portfolio_id is not None:
    objectives = objectives[objectives["portfolio_id"] == picked.portfolio_id]
units = (
    objectives.drop_duplicates("org_unit")
    .sort_values(["portfolio_name", "org_unit_kind", "org_unit_name"], ascending=[True, True, True])
    .set_index("org_unit")["org_unit_name"]
    .to_dict()
)
unit_options = [ALL, *units]
from_url("goals_org_unit", unit_options)
org_unit = unit_col.selectbox(
    "Org unit",
    unit_options,
    format_func=lambda unit: "All org units" if unit == ALL else units.get(unit, unit),
    key="goals_org_unit",
)
owners = sorted(set(objectives["owner"].dropna()) | set(objectives["director"].dropna()))
owner_options = [ALL, *owners]
from_url("goals_owner", owner_options)
owner = owner_col.selectbox(
    "Owner",
    owner_options,
    format_func=lambda handle: "All owners" if handle == ALL else handle,
    key="goals_owner",
    help="A director sees every objective in their tree: their own and their products'.",
)

# Write the view back into the URL so it can be bookmarked or shared.
for key, param in URL_KEYS.items():
    value = st.session_state.get(key, ALL)
    if value and not (key == "goals_period" and value == default_period):
        st.query_params[param] = value
    elif param in st.query_params:
        del st.query_params[param]

if org_unit != ALL:
    # A portfolio's view holds its own objectives and its products'.
    in_unit = (objectives["org_unit"] == org_unit) | (
        (objectives["portfolio_id"] == org_unit) & (objectives["org_unit_kind"] == "product")
    )
    objectives = objectives[in_unit]
elif picked.product_ids:
    objectives = objectives[objectives["org_unit"].isin(picked.product_ids)]
if owner != ALL:
    objectives = objectives[(objectives["owner"] == owner) | (objectives["director"] == owner)]

widgets.as_of_caption(
    f"OKR period {period}",
    "scored through " + str(objectives["scored_through"].max())[:10] if len(objectives) else "",
)
if objectives.empty:
    st.info("No objectives match these filters.")
    st.stop()

key_results = data.key_results(period, viewer)
key_results = key_results[key_results["objective_id"].isin(objectives["objective_id"])]
off_track = objectives["status"].isin(("at_risk", "lagging", "missed"))
count_col, score_col, off_col, flag_col = st.columns(4)
count_col.metric("Objectives", formatting.number(len(objectives)), border=True)
score_col.metric(
    "Mean score",
    formatting.number(objectives["score"].mean(), 2),
    border=True,
    help="Weight-averaged capped key-result progress, 0–1.",
)
off_col.metric(
    "Off track",
    formatting.number(off_track.sum()),
    help="At risk, lagging or missed.",
    border=True,
)
flag_col.metric(
    "Confidence disagrees",
    formatting.number(key_results["confidence_flag"].sum()),
    help="Key results on track with confidence below 0.4, or at risk above 0.7.",
    border=True,
)

st.subheader("Objective tree")
tree = objectives.sort_values(
    ["portfolio_name", "org_unit_kind", "org_unit_name"],
    key=lambda column: (
        column.map({"portfolio": 0, "product": 1}) if column.name == "org_unit_kind" else column
    ),
).assign(
    objective=lambda f: [
        ("" if kind == "portfolio" else "└ ") + title
        for kind, title in zip(f["org_unit_kind"], f["title"], strict=True)
    ],
    status_label=lambda f: f["status"].map(charts.STATUS_LABELS).fillna(f["status"]),
)
widgets.table(
    tree[
        [
            "objective",
            "org_unit_name",
            "owner",
            "kind",
            "score",
            "score_bar",
            "status_label",
            "kr_count",
            "at_risk_count",
        ]
    ],
    hide_index=True,
    name="objective_tree",
    viewer=viewer,
    key="objective_tree",
    column_config={
        "objective": st.column_config.TextColumn("Objective", width="large"),
        "org_unit_name": st.column_config.TextColumn("Org unit"),
        "owner": st.column_config.TextColumn("Owner"),
        "kind": st.column_config.TextColumn("Kind"),
        "score": st.column_config.ProgressColumn("Score", min_value=0, max_value=1, format="%.2f"),
        "score_bar": st.column_config.NumberColumn("Bar", format="%.1f"),
        "status_label": st.column_config.TextColumn("Status"),
        "kr_count": st.column_config.NumberColumn("KRs"),
        "at_risk_count": st.column_config.NumberColumn("KRs at risk"),
    },
)
widgets.chart(
    charts.objective_scores_chart(objectives, f", {period}"),
    "objective_scores",
    ("objective_score",),
)

widgets.chart(
    charts.key_result_progress_chart(
        key_results.merge(objectives[["objective_id", "org_unit_name"]], on="objective_id")
    ),
    "key_result_progress",
    ("key_result_progress",),
)
confidence = data.confidence_by_week(period, viewer)
confidence = confidence[confidence["objective_id"].isin(objectives["objective_id"])]
names = dict(zip(objectives["objective_id"], objectives["org_unit_name"], strict=True))
widgets.chart(charts.confidence_trend(confidence, names), "confidence_trend", ("confidence",))

flagged = key_results[key_results["confidence_flag"] | key_results["status"].isin(("at_risk",))]
if not flagged.empty:
    st.subheader("Key results to talk about")
    widgets.table(
        flagged.assign(
            status_label=flagged["status"].map(charts.STATUS_LABELS),
            expected=flagged["expected_progress"],
        )[
            [
                "key_result_id",
                "title",
                "value",
                "target",
                "score",
                "expected",
                "confidence",
                "status_label",
                "confidence_flag",
            ]
        ],
        hide_index=True,
        name="key_results_to_talk_about",
        viewer=viewer,
        key="flagged_key_results",
        column_config={
            "key_result_id": st.column_config.TextColumn("Key result"),
            "title": st.column_config.TextColumn("Title"),
            "value": st.column_config.NumberColumn("Value", format="localized"),
            "target": st.column_config.NumberColumn("Target", format="localized"),
            "score": st.column_config.NumberColumn("Progress", format="percent"),
            "expected": st.column_config.NumberColumn("Expected", format="percent"),
            "confidence": st.column_config.NumberColumn("Confidence", format="%.2f"),
            "status_label": st.column_config.TextColumn("Status"),
            "confidence_flag": st.column_config.CheckboxColumn("Confidence disagrees"),
        },
    )
