"""Cost vs revenue: which products make money and what each costs in R&D."""

from __future__ import annotations

import streamlit as st

from dashboards import charts, data, filters, formatting, metric_definitions, widgets

viewer = widgets.gate("cost_vs_revenue")
st.title("Cost vs revenue")

unavailable = data.serving_unavailable()
if unavailable is not None:
    st.info(unavailable.message)
    st.stop()

bounds = data.month_bounds()
if bounds is None:
    st.warning(
        "The serving copy holds no cost or revenue months yet: check that finance and HR "
        "sources are present, then run `productops refresh`."
    )
    st.stop()

picked = filters.current()
basis = data.basis()
notes = [metric_definitions.people_cost_basis_note(value) for value in basis.people_cost_basis]
notes += [metric_definitions.revenue_basis_note(value) for value in basis.revenue_basis]
notes.append(f"amounts in {basis.currency}")
widgets.as_of_caption(*notes)

period = picked.period
selection = picked.selection
st.caption(f"{period.span} ({period.months} months) · {picked.scope}")


def money(value: float) -> str:
    """A KPI figure in the reporting currency, e.g. `$1.2M`."""
    return formatting.money(value, basis.currency)


totals = data.totals(selection, viewer)
revenue_col, cost_col, contribution_col, pct_col = st.columns(4)
revenue_col.metric("Revenue", money(totals.revenue), border=True)
cost_col.metric(
    "R&D cost",
    money(totals.rnd_cost),
    border=True,
    help=f"People {money(totals.people_cost)} + other R&D {money(totals.other_rnd_cost)}",
)
contribution_col.metric("Contribution", money(totals.contribution), border=True)
pct_col.metric("R&D % of revenue", formatting.percent(totals.rnd_pct_of_revenue), border=True)

summary = data.product_summary(selection, viewer)
losing = summary[summary["loss_making"]]
if not losing.empty:
    names = ", ".join(losing["product_name"])
    st.warning(
        f"R&D cost exceeds revenue for {len(losing)} of {len(summary)} products "
        f"in this period: {names}.",
        icon=":material/trending_down:",
    )

widgets.chart(
    charts.revenue_vs_rnd_cost_by_product(summary, basis.currency),
    "revenue_vs_rnd_cost_by_product",
    ("revenue", "rnd_cost", "contribution"),
)
with st.expander("How revenue, R&D cost and contribution are defined"):
    st.markdown(metric_definitions.REVENUE_VS_RND_COST)

monthly = data.monthly_totals(selection, viewer)
trend_col, pct_trend_col = st.columns(2)
with trend_col:
    widgets.chart(
        charts.monthly_trend(monthly, basis.currency), "monthly_trend", ("revenue", "rnd_cost")
    )
    with st.expander("About the monthly trend"):
        st.markdown(metric_definitions.MONTHLY_TREND)
with pct_trend_col:
    widgets.chart(
        charts.rnd_pct_of_revenue_trend(monthly), "rnd_pct_of_revenue", ("rnd_pct_of_revenue",)
    )
    with st.expander("How R&D % of revenue is defined"):
        st.markdown(metric_definitions.RND_PCT_OF_REVENUE)

st.subheader("By product")
table = summary.assign(flag=summary["loss_making"].map({True: "R&D cost > revenue", False: ""}))[
    [
        "product_name",
        "portfolio_name",
        "revenue",
        "rnd_cost",
        "contribution",
        "rnd_pct_of_revenue",
        "rnd_fte",
        "revenue_per_rnd_fte",
        "flag",
    ]
]
# The table keeps exact figures (sortable numbers); the tiles above are rounded.
money_format = formatting.table_money_format(basis.currency)
widgets.table(
    table,
    hide_index=True,
    name="cost_vs_revenue_by_product",
    viewer=viewer,
    placeholder="—",
    column_config={
        "product_name": st.column_config.TextColumn("Product"),
        "portfolio_name": st.column_config.TextColumn("Portfolio"),
        "revenue": st.column_config.NumberColumn("Revenue", format=money_format),
        "rnd_cost": st.column_config.NumberColumn("R&D cost", format=money_format),
        "contribution": st.column_config.NumberColumn("Contribution", format=money_format),
        "rnd_pct_of_revenue": st.column_config.NumberColumn("R&D % of revenue", format="percent"),
        "rnd_fte": st.column_config.NumberColumn("R&D FTE", format="%.1f"),
        "revenue_per_rnd_fte": st.column_config.NumberColumn(
            "Revenue per R&D FTE", format=money_format
        ),
        "flag": st.column_config.TextColumn("Flag"),
    },
)
with st.expander("How the table's columns are defined"):
    st.markdown(metric_definitions.PRODUCT_TABLE)
