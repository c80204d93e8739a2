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


def _many_series_color(field: str) -> alt.Color:
    """Colour for charts with many lines (objectives, features): 20 distinct colours,
    because a director's tree or a product's features outgrow category10's ten, and a
    legend below the chart so it never squeezes the plot."""
    return alt.Color(
        field,
        title=None,
        scale=alt.Scale(scheme="tableau20"),
        legend=alt.Legend(orient="bottom", columns=4, labelLimit=220),
    )


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
                axis=alt.Axis(format=".0%", tickCount=6),
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


# -- the palette of the other pages ------------------------------------------------------

CATEGORY_LABELS = {
    "new_capability": "New capability",
    "customer_commitment": "Customer commitment",
    "ktlo": "Keep the lights on",
    "tech_investment": "Tech investment",
    "unallocated": "Unallocated",
    "unmapped": "Unmapped",
}
CATEGORY_COLOURS = {
    "New capability": REVENUE_COLOUR,
    "Customer commitment": RND_COST_COLOUR,
    "Keep the lights on": "#7B8794",
    "Tech investment": "#6A4C93",
    "Unallocated": "#C9CED6",
    "Unmapped": "#E0B0B0",
}
STATUS_LABELS = {
    "achieved": "Achieved",
    "on_track": "On track",
    "lagging": "Lagging",
    "at_risk": "At risk",
    "missed": "Missed",
    "no_checkin": "No check-in",
    "not_started": "Not started",
    "rejected": "Rejected",
}
STATUS_COLOURS = {
    "Achieved": GAIN_COLOUR,
    "On track": "#66BB6A",
    "Lagging": "#F2B134",
    "At risk": LOSS_COLOUR,
    "Missed": "#8E1B1B",
    "No check-in": "#9E9E9E",
    "Not started": "#BDBDBD",
    "Rejected": "#616161",
}
ROADMAP_STATUS_LABELS = {
    "new": "Not started",
    "in_progress": "In progress",
    "delivered": "Delivered",
    "done": "Done",
    "accepted": "Accepted",
    "declined": "Declined",
    "unmapped": "Unmapped status",
}
ROADMAP_STATUS_COLOURS = {
    "Not started": "#C9CED6",
    "In progress": RND_COST_COLOUR,
    "Delivered": REVENUE_COLOUR,
    "Done": "#5C8FD1",
    "Accepted": "#66BB6A",
    "Declined": "#9E9E9E",
    "Unmapped status": "#E0B0B0",
}
AGE_BUCKET_LABELS = {
    "0-7": "0–7 days",
    "8-30": "8–30 days",
    "31-90": "31–90 days",
    "over_90": "over 90 days",
}
AGE_BUCKET_COLOURS = ["#C8E6C9", "#F2B134", RND_COST_COLOUR, LOSS_COLOUR]
MEDIAN_COLOUR = REVENUE_COLOUR
P90_COLOUR = "#90A4AE"


def _title(text: str, subtitle: str | None = None) -> alt.TitleParams:
    if subtitle:
        return alt.TitleParams(text, subtitle=subtitle, anchor="start")
    return alt.TitleParams(text, anchor="start")


def _scale(colours: dict[str, str]) -> alt.Scale:
    return alt.Scale(domain=list(colours), range=list(colours.values()))


def investment_mix_vs_targets(mix: pd.DataFrame, title_suffix: str = "") -> alt.LayerChart:
    """Share of FTE-months per investment category, a black tick at each target.

    `mix` has the `data.investment_mix` shape. Customer commitment above its cap is
    drawn in the loss colour and the cap is marked on its row, so the warning sign of a
    sales-led product reads without a legend.
    """
    frame = mix.copy()
    frame["label"] = frame["category"].map(CATEGORY_LABELS).fillna(frame["category"])
    cap = float(frame["customer_commitment_cap"].dropna().max()) if len(frame) else 0.1
    frame["over_cap"] = (frame["category"] == "customer_commitment") & (frame["share"] > cap)
    frame["share_label"] = [
        f"{share * 100:.0f}%" + (f"  (cap {cap * 100:.0f}%)" if over else "")
        for share, over in zip(frame["share"].fillna(0.0), frame["over_cap"], strict=True)
    ]
    order = [label for label in CATEGORY_COLOURS if label in set(frame["label"])]
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=220))
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X(
                "share:Q",
                title="Share of FTE-months",
                axis=alt.Axis(format=".0%", tickCount=6),
                scale=alt.Scale(domain=[0, max(0.6, float(frame["share"].max() or 0) + 0.15)]),
            ),
            color=alt.condition(
                "datum.over_cap",
                alt.value(LOSS_COLOUR),
                alt.Color("label:N", scale=_scale(CATEGORY_COLOURS), legend=None),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Category"),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
                alt.Tooltip("target_share:Q", title="Target", format=".0%"),
                alt.Tooltip("fte_months:Q", title="FTE-months", format=",.1f"),
            ],
        )
    )
    targets = (
        alt.Chart(frame.dropna(subset=["target_share"]))
        .mark_tick(color="#111111", thickness=3, size=22)
        .encode(y=y, x="target_share:Q", tooltip=[alt.Tooltip("target_share:Q", format=".0%")])
    )
    labels = (
        alt.Chart(frame)
        .mark_text(align="left", dx=6, fontSize=12)
        .encode(
            y=y,
            x="share:Q",
            text="share_label:N",
            color=alt.condition("datum.over_cap", alt.value(LOSS_COLOUR), alt.value(MUTED_COLOUR)),
        )
    )
    return alt.layer(bars, targets, labels).properties(
        title=_title(
            "Investment mix against targets" + title_suffix,
            "Share of R&D effort by category; black ticks are the targets",
        ),
        height=alt.Step(40),
    )


def commitment_vs_cap(by_portfolio: pd.DataFrame, title_suffix: str = "") -> alt.LayerChart:
    """Customer-commitment share per portfolio against the cap (`data.commitment_by_portfolio`)."""
    frame = by_portfolio.copy()
    cap = float(frame["customer_commitment_cap"].dropna().max()) if len(frame) else 0.1
    frame["share_label"] = [f"{value * 100:.0f}%" for value in frame["customer_commitment_share"]]
    y = alt.Y("portfolio_name:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220))
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X(
                "customer_commitment_share:Q",
                title="Customer-commitment share of FTE-months",
                axis=alt.Axis(format=".0%", tickCount=6),
                scale=alt.Scale(
                    domain=[
                        0,
                        max(cap * 2, float(frame["customer_commitment_share"].max() or 0) * 1.2),
                    ]
                ),
            ),
            color=alt.condition(
                "datum.over_cap", alt.value(LOSS_COLOUR), alt.value(RND_COST_COLOUR)
            ),
            tooltip=[
                alt.Tooltip("portfolio_name:N", title="Portfolio"),
                alt.Tooltip("customer_commitment_share:Q", title="Share", format=".1%"),
                alt.Tooltip("customer_commitment_cap:Q", title="Cap", format=".0%"),
            ],
        )
    )
    labels = (
        alt.Chart(frame)
        .mark_text(align="left", dx=6, fontSize=12)
        .encode(y=y, x="customer_commitment_share:Q", text="share_label:N")
    )
    rule = (
        alt.Chart(pd.DataFrame({"cap": [cap]}))
        .mark_rule(color="#111111", strokeDash=[6, 4], strokeWidth=2)
        .encode(x="cap:Q")
    )
    return alt.layer(bars, labels, rule).properties(
        title=_title(
            "Customer commitments against the cap" + title_suffix,
            f"Dashed line: the {cap * 100:.0f}% cap; above it, sales-led work crowds out the roadmap",
        ),
        height=alt.Step(48),
    )


def objective_scores_chart(objectives: pd.DataFrame, title_suffix: str = "") -> alt.LayerChart:
    """Score per objective coloured by status, a tick at its bar (`data.objective_scores`)."""
    frame = objectives.copy()
    frame["status_label"] = frame["status"].map(STATUS_LABELS).fillna(frame["status"])
    frame["who"] = frame["org_unit_name"].fillna(frame["org_unit"])
    frame["score"] = frame["score"].fillna(0.0)
    frame = frame.sort_values(["score", "who"])
    order = frame["who"].tolist()
    y = alt.Y("who:N", sort=order, title=None, axis=alt.Axis(labelLimit=240))
    present = [label for label in STATUS_COLOURS if label in set(frame["status_label"])]
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=y,
            # A little room past 1.0 so a tick at the bar is not cut by the frame.
            x=alt.X(
                "score:Q",
                title="Score (0–1)",
                scale=alt.Scale(domain=[0, 1.05], nice=False),
                axis=alt.Axis(values=[0, 0.2, 0.4, 0.6, 0.7, 0.8, 1.0]),
            ),
            color=alt.Color(
                "status_label:N",
                title=None,
                scale=alt.Scale(domain=present, range=[STATUS_COLOURS[s] for s in present]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("title:N", title="Objective"),
                alt.Tooltip("owner:N", title="Owner"),
                alt.Tooltip("score:Q", title="Score", format=".2f"),
                alt.Tooltip("score_bar:Q", title="Expected", format=".1f"),
                alt.Tooltip("status_label:N", title="Status"),
            ],
        )
    )
    bar_ticks = (
        alt.Chart(frame)
        .mark_tick(color="#111111", thickness=2, size=18)
        .encode(y=y, x="score_bar:Q")
    )
    return alt.layer(bars, bar_ticks).properties(
        title=_title(
            "Objective scores" + title_suffix,
            "Black ticks: the bar (1.0 committed, 0.7 aspirational)",
        ),
        height=alt.Step(22),
    )


def decision_latency_trend(latency: pd.DataFrame, title_suffix: str = "") -> alt.Chart:
    """Median and 90th-percentile days to decision per quarter (`data.decision_latency`)."""
    long = latency.melt(
        id_vars=["quarter", "decided"],
        value_vars=["median_days", "p90_days"],
        var_name="measure",
        value_name="days",
    )
    labels = {"median_days": "Median", "p90_days": "90th percentile"}
    long["measure"] = long["measure"].map(labels)
    return (
        alt.Chart(long)
        .mark_line(point=True, strokeWidth=2.5)
        .encode(
            x=alt.X("quarter:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("days:Q", title="Days to decision", scale=alt.Scale(zero=True)),
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(domain=list(labels.values()), range=[MEDIAN_COLOUR, P90_COLOUR]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("quarter:O", title="Quarter"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("days:Q", title="Days", format=",.1f"),
                alt.Tooltip("decided:Q", title="Decisions", format=","),
            ],
        )
        .properties(
            title=_title("Time to decision" + title_suffix, "Days from idea to first decision"),
            height=280,
        )
    )


def decision_days_histogram(days: pd.DataFrame) -> alt.Chart:
    """How long each decision took, binned (`data.decision_days`), accepted and declined stacked."""
    frame = days.assign(outcome=days["outcome"].str.capitalize())
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X(
                "days_to_decision:Q", bin=alt.Bin(step=14), title="Days to decision (2-week bins)"
            ),
            y=alt.Y("count():Q", title="Decisions"),
            color=alt.Color(
                "outcome:N",
                title=None,
                scale=alt.Scale(domain=["Accepted", "Declined"], range=[GAIN_COLOUR, P90_COLOUR]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[alt.Tooltip("count():Q", title="Decisions"), alt.Tooltip("outcome:N")],
        )
        .properties(
            title=_title("Latency distribution", "Decisions made in the period"), height=280
        )
    )


def decision_throughput_chart(throughput: pd.DataFrame) -> alt.Chart:
    """Ideas created and decided per quarter (`data.decision_throughput`)."""
    long = throughput.melt(
        id_vars=["quarter"],
        value_vars=["created", "decided"],
        var_name="measure",
        value_name="ideas",
    )
    long["measure"] = long["measure"].map({"created": "Created", "decided": "Decided"})
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("quarter:O", title=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("measure:N", sort=["Created", "Decided"]),
            y=alt.Y("ideas:Q", title="Ideas"),
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(domain=["Created", "Decided"], range=[P90_COLOUR, REVENUE_COLOUR]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=["quarter:O", "measure:N", alt.Tooltip("ideas:Q", format=",")],
        )
        .properties(title=_title("Throughput", "Ideas created and decided per quarter"), height=280)
    )


def undecided_ageing_chart(undecided: pd.DataFrame) -> alt.Chart:
    """Undecided ideas per product area, stacked by age (`data.undecided_ageing`)."""
    frame = undecided.assign(age=undecided["age_bucket"].map(AGE_BUCKET_LABELS))
    ages = list(AGE_BUCKET_LABELS.values())
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("product_area:N", sort="-x", title=None, axis=alt.Axis(labelLimit=200)),
            x=alt.X("sum(ideas):Q", title="Undecided ideas"),
            color=alt.Color(
                "age:N",
                title="Waiting",
                scale=alt.Scale(domain=ages, range=AGE_BUCKET_COLOURS),
                sort=ages,
                legend=alt.Legend(orient="top"),
            ),
            order=alt.Order("age_bucket:N"),
            tooltip=["product_area:N", "age:N", alt.Tooltip("ideas:Q", format=",")],
        )
        .properties(
            title=_title("Undecided ideas by age", "On the as-of date"), height=alt.Step(20)
        )
    )


def items_by_status_chart(items: pd.DataFrame) -> alt.Chart:
    """Roadmap items per product, stacked by status (`data.items_by_status`)."""
    frame = items.assign(
        status=items["status_meaning"].map(ROADMAP_STATUS_LABELS).fillna(items["status_meaning"])
    )
    present = [label for label in ROADMAP_STATUS_COLOURS if label in set(frame["status"])]
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("product_name:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220)),
            x=alt.X("sum(items):Q", title="Roadmap items"),
            color=alt.Color(
                "status:N",
                title=None,
                scale=alt.Scale(domain=present, range=[ROADMAP_STATUS_COLOURS[s] for s in present]),
                sort=present,
                legend=alt.Legend(orient="top"),
            ),
            tooltip=["product_name:N", "status:N", alt.Tooltip("items:Q", format=",")],
        )
        .properties(title=_title("Roadmap items by product and status"), height=alt.Step(24))
    )


def on_time_delivery_chart(delivery: pd.DataFrame) -> alt.LayerChart:
    """Share of delivered items that shipped by their planned date, per product (`data.delivery`)."""
    frame = delivery.assign(
        label=[
            f"{share * 100:.0f}% of {int(n)}"
            for share, n in zip(delivery["on_time_share"], delivery["delivered"], strict=True)
        ]
    )
    y = alt.Y("product_name:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220))
    bars = (
        alt.Chart(frame)
        .mark_bar(color=REVENUE_COLOUR)
        .encode(
            y=y,
            x=alt.X(
                "on_time_share:Q",
                title="Delivered on time",
                axis=alt.Axis(format=".0%", tickCount=6),
                scale=alt.Scale(domain=[0, 1.15]),
            ),
            tooltip=[
                "product_name:N",
                alt.Tooltip("on_time_share:Q", title="On time", format=".0%"),
                alt.Tooltip("delivered:Q", title="Delivered"),
                alt.Tooltip(
                    "mean_slip_days_when_late:Q", title="Mean slip when late", format=".0f"
                ),
            ],
        )
    )
    text = (
        alt.Chart(frame)
        .mark_text(align="left", dx=6, fontSize=12, color=MUTED_COLOUR)
        .encode(y=y, x="on_time_share:Q", text="label:N")
    )
    return alt.layer(bars, text).properties(
        title=_title("On-time delivery", "Items delivered in the period, by planned date"),
        height=alt.Step(24),
    )


def say_do_trend(say_do: pd.DataFrame, title_suffix: str = "") -> alt.LayerChart:
    """Say/do ratio per quarter (`data.say_do`), the running quarter drawn hollow."""
    frame = say_do.assign(
        state=say_do["is_complete"].map({True: "Complete", False: "Running"}),
        label=[f"{r * 100:.0f}%" if pd.notna(r) else "" for r in say_do["say_do_ratio"]],
    )
    x = alt.X("quarter:O", title=None, axis=alt.Axis(labelAngle=0))
    line = (
        alt.Chart(frame)
        .mark_line(strokeWidth=2.5, color=REVENUE_COLOUR)
        .encode(
            x=x,
            y=alt.Y(
                "say_do_ratio:Q",
                title="Delivered / committed",
                axis=alt.Axis(format=".0%", tickCount=6),
                scale=alt.Scale(domain=[0, 1.1]),
            ),
        )
    )
    points = (
        alt.Chart(frame)
        .mark_point(size=70, strokeWidth=2, color=REVENUE_COLOUR)
        .encode(
            x=x,
            y="say_do_ratio:Q",
            fill=alt.condition("datum.is_complete", alt.value(REVENUE_COLOUR), alt.value("white")),
            tooltip=[
                "quarter:O",
                alt.Tooltip("say_do_ratio:Q", title="Say/do", format=".0%"),
                alt.Tooltip("committed:Q", title="Committed at quarter start"),
                alt.Tooltip("delivered:Q", title="Delivered of those"),
                alt.Tooltip("state:N", title="Quarter"),
            ],
        )
    )
    text = (
        alt.Chart(frame)
        .mark_text(dy=-12, fontSize=11, color=MUTED_COLOUR)
        .encode(x=x, y="say_do_ratio:Q", text="label:N")
    )
    return alt.layer(line, points, text).properties(
        title=_title(
            "Say/do: roadmap delivered as committed" + title_suffix,
            "Committed on the quarter's first day and delivered by its end; hollow = running",
        ),
        height=280,
    )


def key_result_progress_chart(key_results: pd.DataFrame) -> alt.LayerChart:
    """Each key result's score against the progress expected by now (`data.key_results`)."""
    frame = key_results.copy()
    frame["status_label"] = frame["status"].map(STATUS_LABELS).fillna(frame["status"])
    frame["score"] = frame["score"].fillna(0.0)
    # Key-result ids end in -KR<n>; the objective's org unit (when given) says whose it is.
    number = frame["key_result_id"].str.rsplit("-", n=1).str[-1]
    owner = frame["org_unit_name"] + " " if "org_unit_name" in frame else ""
    frame["name"] = owner + number + " · " + frame["title"]
    present = [label for label in STATUS_COLOURS if label in set(frame["status_label"])]
    y = alt.Y("name:N", title=None, sort=None, axis=alt.Axis(labelLimit=320))
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X(
                "score:Q",
                title="Progress (capped at 1)",
                scale=alt.Scale(domain=[0, 1.05], nice=False),
                axis=alt.Axis(values=[0, 0.2, 0.4, 0.6, 0.8, 1.0], format=".0%"),
            ),
            color=alt.Color(
                "status_label:N",
                title=None,
                scale=alt.Scale(domain=present, range=[STATUS_COLOURS[s] for s in present]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("title:N", title="Key result"),
                alt.Tooltip("value:Q", title="Value", format=",.2f"),
                alt.Tooltip("target:Q", title="Target", format=",.2f"),
                alt.Tooltip("score:Q", title="Progress", format=".0%"),
                alt.Tooltip("expected_progress:Q", title="Expected", format=".0%"),
                alt.Tooltip("confidence:Q", title="Confidence", format=".2f"),
            ],
        )
    )
    expected = (
        alt.Chart(frame)
        .mark_tick(color="#111111", thickness=2, size=18)
        .encode(y=y, x="expected_progress:Q")
    )
    return alt.layer(bars, expected).properties(
        title=_title("Key results against expected", "Black ticks: progress expected by now"),
        height=alt.Step(22),
    )


def confidence_trend(confidence: pd.DataFrame, names: dict[str, str]) -> alt.Chart:
    """Mean key-result confidence per objective and week (`data.confidence_by_week`)."""
    frame = confidence.assign(
        objective=confidence["objective_id"].map(names).fillna(confidence["objective_id"])
    )
    return (
        alt.Chart(frame)
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X("week_start:T", title=None, axis=alt.Axis(format="%d %b")),
            y=alt.Y("confidence:Q", title="Confidence (0–1)", scale=alt.Scale(domain=[0, 1])),
            color=_many_series_color("objective:N"),
            tooltip=[
                "objective:N",
                alt.Tooltip("week_start:T", title="Week of", format="%d %b %Y"),
                alt.Tooltip("confidence:Q", format=".2f"),
            ],
        )
        .properties(
            title=_title("Confidence trend", "Mean of the key results' latest check-ins"),
            height=280,
        )
    )


ADOPTION_MEASURES = {"enabled_share": "Accounts enabled", "adoption_rate": "Users adopting"}


def adoption_by_feature(adoption: pd.DataFrame, month_label: str) -> alt.Chart:
    """Per feature: share of partner accounts that enabled it, then of users who used it.

    `adoption` holds one month of `data.feature_adoption`.
    """
    long = adoption.assign(
        feature=adoption["feature_id"].str.replace("_", " ").str.capitalize()
    ).melt(
        id_vars=["feature", "product_name", "enabled_accounts", "eligible_accounts"],
        value_vars=list(ADOPTION_MEASURES),
        var_name="measure",
        value_name="share",
    )
    long["measure"] = long["measure"].map(ADOPTION_MEASURES)
    order = (
        adoption.assign(feature=adoption["feature_id"].str.replace("_", " ").str.capitalize())
        .sort_values("enabled_share", ascending=False)["feature"]
        .tolist()
    )
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("feature:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
            yOffset=alt.YOffset("measure:N", sort=list(ADOPTION_MEASURES.values())),
            x=alt.X(
                "share:Q",
                title=None,
                axis=alt.Axis(format=".0%", tickCount=6),
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(
                    domain=list(ADOPTION_MEASURES.values()), range=[RND_COST_COLOUR, REVENUE_COLOUR]
                ),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                "feature:N",
                "product_name:N",
                "measure:N",
                alt.Tooltip("share:Q", format=".1%"),
                alt.Tooltip("enabled_accounts:Q", title="Accounts enabled"),
                alt.Tooltip("eligible_accounts:Q", title="Active accounts"),
            ],
        )
        .properties(
            title=_title(
                f"Adoption by feature, {month_label}",
                "Partners that switched it on, then end users of the product who used it",
            ),
            height=alt.Step(14),
        )
    )


def adoption_trend(adoption: pd.DataFrame) -> alt.Chart:
    """Adoption rate per feature by month (`data.feature_adoption`), released months only."""
    frame = adoption[adoption["is_released"]].assign(
        feature=lambda f: f["feature_id"].str.replace("_", " ").str.capitalize()
    )
    return (
        alt.Chart(frame)
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X("yearmonth(month):T", title=None, axis=alt.Axis(format="%b %Y")),
            y=alt.Y(
                "adoption_rate:Q", title="Users adopting", axis=alt.Axis(format=".0%", tickCount=6)
            ),
            color=_many_series_color("feature:N"),
            tooltip=[
                "feature:N",
                alt.Tooltip("yearmonth(month):T", title="Month", format="%b %Y"),
                alt.Tooltip("adoption_rate:Q", format=".1%"),
                alt.Tooltip("enabled_share:Q", title="Accounts enabled", format=".0%"),
            ],
        )
        .properties(title=_title("Adoption rate by month"), height=300)
    )
