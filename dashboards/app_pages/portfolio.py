"""Portfolio: the roadmap by product and status, on-time delivery and say/do."""

from __future__ import annotations

import streamlit as st

from dashboards import charts, data, formatting, widgets

picked = widgets.start_page("Portfolio", "portfolio")
viewer = picked.viewer
if not widgets.require_tables("marts.fct_portfolio_items", "marts.fct_roadmap_predictability"):
    st.stop()
selection = picked.selection
widgets.as_of_caption(picked.period.span, picked.scope)

delivery = data.delivery(selection, viewer)
ratios = data.say_do(selection, viewer=viewer)
complete = ratios[ratios["is_complete"]]
delivered = int(delivery["delivered"].sum())
on_time = int(delivery["on_time"].sum())
delivered_col, on_time_col, say_do_col = st.columns(3)
delivered_col.metric("Items delivered", formatting.number(delivered), border=True)
on_time_col.metric(
    "Delivered on time",
    formatting.percent(on_time / delivered if delivered else None, 0),
    help="Delivered on or before the date of the release each item was first planned for.",
    border=True,
)
if complete.empty:
    say_do_col.metric("Say/do", formatting.MISSING, border=True)
else:
    last = complete.iloc[-1]
    previous = complete.iloc[-2] if len(complete) > 1 else None
    say_do_col.metric(
        f"Say/do, {last['quarter']}",
        formatting.percent(last["say_do_ratio"], 0),
        delta=(
            None
            if previous is None
            else formatting.points(last["say_do_ratio"] - previous["say_do_ratio"])
        ),
        help=f"{int(last['delivered'])} of {int(last['committed'])} committed items delivered.",
        border=True,
    )

status_col, on_time_chart_col = st.columns(2)
with status_col:
    widgets.chart(
        charts.items_by_status_chart(data.items_by_status(selection, viewer)),
        "roadmap_items_by_status",
        ("on_time",),
    )
with on_time_chart_col:
    if delivery.empty:
        st.info("No roadmap item was delivered in this period.")
    else:
        widgets.chart(charts.on_time_delivery_chart(delivery), "on_time_delivery", ("on_time",))

widgets.chart(charts.say_do_trend(ratios), "say_do", ("say_do_ratio",))

st.subheader("Say/do by product and quarter")
by_product = data.say_do(selection, by_product=True, viewer=viewer)
widgets.table(
    by_product.sort_values(["quarter_start", "say_do_ratio"], ascending=[False, True]),
    hide_index=True,
    name="say_do_by_product",
    viewer=viewer,
    key="say_do_by_product",
    column_config={
        "product_id": None,
        "quarter_start": None,
        "product_name": st.column_config.TextColumn("Product"),
        "quarter": st.column_config.TextColumn("Quarter"),
        "is_complete": st.column_config.CheckboxColumn("Complete"),
        "committed": st.column_config.NumberColumn("Committed at start"),
        "delivered": st.column_config.NumberColumn("Delivered of those"),
        "delivered_unplanned": st.column_config.NumberColumn("Delivered unplanned"),
        "say_do_ratio": st.column_config.NumberColumn("Say/do", format="percent"),
    },
)
