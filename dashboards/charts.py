"""Altair chart specs shared by the dashboards and the board pack.

Pure functions: a DataFrame in (the shapes `dashboards.data` returns), a chart out,
no Streamlit. The board pack renders the same specs to PNG/SVG with vl-convert, so
colours and labels are set here explicitly rather than left to a theme.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from dashboards.formatting import CURRENCY_SYMBOLS, money

REVENUE_COLOUR = "#2E6FB7"
RND_COST_COLOUR = "#E8862A"
LOSS_COLOUR = "#C62828"
GAIN_COLOUR = "#2E7D32"
MUTED_COLOUR = "#444444"
LOSS_MARK = "▼ loss"

MEASURE_LABELS = {"revenue": "Revenue", "rnd_cost": "R&D cost"}


def _money_axis(currency: str) -> alt.Axis:
    """An axis that reads like the KPI tiles: `$1.2M`, `$850K`, `$0`, `$1.5B`."""
    dollar = CURRENCY_SYMBOLS.get(currency) == "$"
    # d3-format's "$" always prints a dollar sign, so other currencies keep a bare SI
    # number and name the currency in the axis title instead.
    zero = "$0" if dollar else "0"
    return alt.Axis(
        format="$~s" if dollar else "~s",
        # d3 writes thousands as `k` and billions as `G`; finance reads `K` and `B`.
        labelExpr=f"datum.value == 0 ? '{zero}' : "
        "replace(replace(datum.label, 'k', 'K'), 'G', 'B')",
        title=f"Amount ({currency})",
    )


def revenue_vs_rnd_cost_by_product(summary: pd.DataFrame, currency: str = "USD") -> alt.LayerChart:
    """Revenue beside R&D cost per product, best contribution on top.

    `summary` has product_name, revenue, rnd_cost and contribution (one row per
    product, as `data.product_summary` returns). A product whose R&D cost exceeds its
    revenue gets a red axis label ending in "▼ loss" and a red contribution figure at
    the end of its bars, so the flag survives a black-and-white printout.
    """
    frame = summary.sort_values(["contribution", "product_name"], ascending=[False, True]).copy()
    frame["loss_making"] = frame["rnd_cost"] > frame["revenue"]
    frame["product_label"] = frame["product_name"].where(
        ~frame["loss_making"], frame["product_name"] + f"  {LOSS_MARK}"
    )
    frame["bar_end"] = frame[["revenue", "rnd_cost"]].max(axis=1)
    frame["contribution_label"] = [
        ("+" if value >= 0 else "") + money(value, currency) for value in frame["contribution"]
    ]
    # Room to the right of the longest bar for its contribution figure.
    x_max = float(frame["bar_end"].max()) * 1.12 if len(frame) else 0.0
    order = frame["product_label"].tolist()
    losses = frame.loc[frame["loss_making"], "product_label"].tolist()

    long = frame.melt(
        id_vars=["product_label", "product_name", "contribution", "loss_making"],
        value_vars=list(MEASURE_LABELS),
        var_name="measure",
        value_name="amount",
    )
    long["measure"] = long["measure"].map(MEASURE_LABELS)

    # JSON string literals are valid Vega expression literals, quotes in names included.
    is_loss = f"indexof({json.dumps(losses)}, datum.value) >= 0"
    label_colour = alt.expr(f"{is_loss} ? '{LOSS_COLOUR}' : '{MUTED_COLOUR}'")
    label_weight = alt.expr(f"{is_loss} ? 'bold' : 'normal'")
    y = alt.Y(
        "product_label:N",
        sort=order,
        title=None,
        axis=alt.Axis(labelColor=label_colour, labelFontWeight=label_weight, labelLimit=260),
    )

    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=y,
            yOffset=alt.YOffset("measure:N", sort=list(MEASURE_LABELS.values())),
            x=alt.X(
                "amount:Q",
                axis=_money_axis(currency),
                scale=alt.Scale(domainMax=x_max) if x_max > 0 else alt.Undefined,
            ),
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(
                    domain=list(MEASURE_LABELS.values()), range=[REVENUE_COLOUR, RND_COST_COLOUR]
                ),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("product_name:N", title="Product"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("amount:Q", title=f"Amount ({currency})", format=",.0f"),
                alt.Tooltip("contribution:Q", title="Contribution", format=",.0f"),
            ],
        )
    )
    contribution = (
        alt.Chart(frame)
        .mark_text(align="left", dx=6, fontSize=12, fontWeight="bold")
        .encode(
            y=y,
            x=alt.X("bar_end:Q"),
            text=alt.Text("contribution_label:N"),
            color=alt.Color(
                "loss_making:N",
                scale=alt.Scale(domain=[True, False], range=[LOSS_COLOUR, GAIN_COLOUR]),
                legend=None,
            ),
        )
    )
    return (
        alt.layer(bars, contribution)
        .resolve_scale(color="independent")
        .properties(
            title=alt.TitleParams(
                "Revenue vs R&D cost by product",
                subtitle="Sorted by contribution (revenue − R&D cost), shown at the end of each pair",
                anchor="start",
            ),
            height=alt.Step(16),
        )
    )


def monthly_trend(monthly: pd.DataFrame, currency: str = "USD") -> alt.Chart:
    """Monthly revenue and R&D cost as two lines (`data.monthly_totals` shape)."""
    long = monthly.melt(
        id_vars=["month"], value_vars=list(MEASURE_LABELS), var_name="measure", value_name="amount"
    )
    long["measure"] = long["measure"].map(MEASURE_LABELS)
    return (
        alt.Chart(long)
        .mark_line(point=True, strokeWidth=2.5)
        .encode(
            x=alt.X("yearmonth(month):T", title=None, axis=alt.Axis(format="%b %Y")),
            y=alt.Y("amount:Q", axis=_money_axis(currency)),
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(
                    domain=list(MEASURE_LABELS.values()), range=[REVENUE_COLOUR, RND_COST_COLOUR]
                ),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("yearmonth(month):T", title="Month", format="%b %Y"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("amount:Q", title=f"Amount ({currency})", format=",.0f"),
            ],
        )
        .properties(
            title=alt.TitleParams("Revenue and R&D cost by month", anchor="start"),
            height=300,
        )
    )


def rnd_pct_of_revenue_trend(monthly: pd.DataFrame) -> alt.LayerChart:
    """R&D cost as a share of revenue by month, against a dashed 100% line.

    Months without revenue have no ratio and show as gaps (`data.monthly_totals` shape).
    """
    line = (
        alt.Chart(monthly)
        .mark_line(
            point=alt.OverlayMarkDef(color=RND_COST_COLOUR), strokeWidth=2.5, color=RND_COST_COLOUR
        )
        .encode(
            x=alt.X("yearmonth(month):T", title=None, axis=alt.Axis(format="%b %Y")),
            y=alt.Y(
                "rnd_pct_of_revenue:Q",
                title="R&D % of revenue",
                axis=alt.Axis(format=".0%"),
                scale=alt.Scale(zero=True),
            ),
            tooltip=[
                alt.Tooltip("yearmonth(month):T", title="Month", format="%b %Y"),
                alt.Tooltip("rnd_pct_of_revenue:Q", title="R&D % of revenue", format=".1%"),
            ],
        )
    )
    break_even = (
        alt.Chart(pd.DataFrame({"level": [1.0], "label": ["R&D cost = revenue"]}))
        .mark_rule(color=LOSS_COLOUR, strokeDash=[6, 4])
        .encode(y="level:Q")
    )
    break_even_label = (
        alt.Chart(pd.DataFrame({"level": [1.0], "label": ["R&D cost = revenue"]}))
        .mark_text(align="left", baseline="bottom", dx=4, dy=-3, color=LOSS_COLOUR)
        .encode(y="level:Q", text="label:N", x=alt.value(0))
    )
    return alt.layer(line, break_even, break_even_label).properties(
        title=alt.TitleParams("R&D % of revenue by month", anchor="start"),
        height=300,
    )
