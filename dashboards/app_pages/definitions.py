"""Definitions: every metric the pages and the board pack show, with its formula, grain,
source and the configuration it depends on, and the column's description from the dbt
docs. The help icon beside each chart links here (`?metric=<key>`)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import widgets
from dashboards.metric_definitions import METRICS, METRICS_BY_KEY, dbt_column_descriptions

viewer = widgets.gate("definitions")
st.title("Definitions")
st.caption(
    "The contract of every mart (METRICS.md), as the dbt docs of `dbt_project/models/marts/` "
    "describe it. Configuration lives in `catalog.yml` (settings) and `dbt_project.yml` (vars)."
)

described = dbt_column_descriptions()


def show(metric_key: str, highlighted: bool = False) -> None:
    """One metric's definition; the one a help icon pointed at comes first, framed."""
    metric = METRICS_BY_KEY[metric_key]
    box = st.container(border=highlighted)
    with box:
        box.subheader(metric.name, anchor=metric.anchor)
        box.markdown(
            f"- **Formula**: {metric.formula}\n"
            f"- **Grain**: {metric.grain}\n"
            f"- **Source**: `marts.{metric.source}`\n"
            f"- **Configuration**: {metric.configuration}\n"
            f"- **Shown on**: {', '.join(metric.pages)}"
        )
        docs = described.get(metric.source)
        if docs:
            box.caption(f"dbt docs: {docs}")


asked = st.query_params.get("metric")
if asked in METRICS_BY_KEY:
    st.info(f"You asked about **{METRICS_BY_KEY[asked].name}**.", icon=":material/help:")
    show(asked, highlighted=True)
    st.divider()

widgets.table(
    pd.DataFrame(
        [
            {
                "Metric": metric.name,
                "Formula": metric.formula,
                "Grain": metric.grain,
                "Source": f"marts.{metric.source}",
                "Configuration": metric.configuration,
            }
            for metric in METRICS
        ]
    ),
    hide_index=True,
    name="definitions",
    viewer=viewer,
    key="definitions_table",
    column_config={"Formula": st.column_config.TextColumn(width="large")},
)
for metric in METRICS:
    if metric.key != asked:
        show(metric.key)
