"""Data health: blocked refreshes, how fresh each source is, what the last refresh
published and what the catalog does not map yet."""

from __future__ import annotations

import streamlit as st

from dashboards import data, filters, formatting, metric_definitions, widgets

viewer = widgets.gate("data_health")
st.title("Data health")

# Shown before anything else, and even without a serving copy: a refresh the quality gate
# stopped is why the data below may be older than expected.
failures = data.quality_failures(viewer)
if not failures.empty:
    blocked = ", ".join(sorted(failures["source"].unique()))
    st.error(
        f"The quality gate stopped the latest refresh of: {blocked}. Nothing of those "
        "exports was landed and the dashboards keep showing the last good data. Fix the "
        "export and drop it again (or run `productops refresh`)."
    )
    widgets.table(
        failures,
        hide_index=True,
        name="quality_failures",
        viewer=viewer,
        column_config={
            "source": st.column_config.TextColumn("Source"),
            "checked_at": st.column_config.DatetimeColumn("Checked (UTC)"),
            "batch_id": None,
            "table": st.column_config.TextColumn("Table"),
            "check": st.column_config.TextColumn("Check"),
            "failures": st.column_config.TextColumn("What failed", width="large"),
            "sample_rows": st.column_config.TextColumn("Sample rows", width="large"),
        },
    )

unavailable = data.serving_unavailable()
if unavailable is not None:
    st.info(unavailable.message)
    st.stop()

refresh = data.refresh_info()
if refresh is None:
    st.caption(
        "This serving copy has no `meta.refresh` record: it was published by an older "
        "refresh. Run `productops refresh` to record the batch and its row counts."
    )
else:
    details = [f"Data as of {refresh.as_of}"]
    if refresh.batch_id:
        details.append(f"batch {refresh.batch_id}")
    if refresh.sources_dir:
        details.append(f"sources folder `{refresh.sources_dir}`")
    st.caption(" · ".join(details))

st.subheader("Freshness per source")
freshness = data.source_freshness(viewer=viewer)
if freshness is None:
    st.caption("This serving copy records no source loads; the next refresh adds them.")
else:
    stale = freshness.loc[freshness["stale"], "source"].tolist()
    if stale:
        st.warning(
            f"Stale: {', '.join(stale)}. Their newest export is older than the source's "
            "limit; the figures built from them may be out of date."
        )
    else:
        st.caption("Every source's export is within its limit.")
    widgets.table(
        freshness,
        hide_index=True,
        name="freshness",
        viewer=viewer,
        width=900,
        column_config={
            "source": st.column_config.TextColumn("Source"),
            "exported_at": st.column_config.DatetimeColumn("Newest export (UTC)"),
            "loaded_at": st.column_config.DatetimeColumn("Loaded (UTC)"),
            "rows": st.column_config.NumberColumn("Rows", format="localized"),
            "age_hours": st.column_config.NumberColumn("Age (hours)", format="%.1f"),
            "max_age_hours": st.column_config.NumberColumn("Limit (hours)", format="%.0f"),
            "stale": st.column_config.CheckboxColumn("Stale"),
        },
    )

st.subheader("Rows per mart")
counts, counted_from = data.mart_row_counts(viewer)
st.caption(f"Row counts from {counted_from}.")
empty = counts.loc[counts["rows"] == 0, "mart"].tolist()
if empty:
    st.warning(
        f"{len(empty)} mart(s) published no rows: {', '.join(empty)}. "
        "Check that their sources are present in the sources folder."
    )
widgets.table(
    counts,
    hide_index=True,
    name="rows_per_mart",
    viewer=viewer,
    width=560,
    column_config={
        "mart": st.column_config.TextColumn("Mart"),
        "rows": st.column_config.NumberColumn("Rows", format="localized"),
    },
)

st.subheader("What the catalog misses")
bounds = data.month_bounds()
if bounds is None:
    st.info("No cost or revenue months are published yet, so there is nothing to attribute.")
    st.stop()

basis = data.basis()
picked = filters.current()
period = picked.period
st.caption(
    f"{period.span}: amounts that landed on the product **Unmapped** because the catalog "
    "does not map their SKU, cost centre or HR team."
)

shares = data.unmapped_share(period.start, period.end, viewer).set_index("measure")
revenue_col, cost_col, people_col, other_col = st.columns(4)
for column, measure in (
    (revenue_col, "revenue"),
    (cost_col, "rnd_cost"),
    (people_col, "people_cost"),
    (other_col, "other_rnd_cost"),
):
    row = shares.loc[measure]
    column.metric(
        f"{row['label']} on unmapped",
        formatting.percent(row["share"]),
        border=True,
        help=(
            f"{formatting.money(row['unmapped'], basis.currency)} of "
            f"{formatting.money(row['total'], basis.currency)}"
        ),
    )
with st.expander("How the unmapped bucket works"):
    st.markdown(metric_definitions.UNMAPPED_BUCKET)

money_format = formatting.table_money_format(basis.currency)
widgets.table(
    shares.reset_index()[["label", "unmapped", "total", "share"]],
    hide_index=True,
    name="unmapped_share",
    viewer=viewer,
    width=760,
    placeholder="—",
    column_config={
        "label": st.column_config.TextColumn("Measure"),
        "unmapped": st.column_config.NumberColumn("On unmapped", format=money_format),
        "total": st.column_config.NumberColumn("All products", format=money_format),
        "share": st.column_config.NumberColumn("Share", format="percent"),
    },
)

by_month = data.unmapped_by_month(period.start, period.end, viewer)
if by_month.empty:
    st.success("Nothing landed on unmapped in this period: the catalog maps every source value.")
else:
    st.markdown(f"**Months with unmapped amounts** ({len(by_month)} of {period.months})")
    widgets.table(
        by_month,
        hide_index=True,
        name="unmapped_by_month",
        viewer=viewer,
        width=760,
        column_config={
            "month": st.column_config.DateColumn("Month", format="MMM YYYY"),
            "revenue": st.column_config.NumberColumn("Revenue", format=money_format),
            "people_cost": st.column_config.NumberColumn("People cost", format=money_format),
            "other_rnd_cost": st.column_config.NumberColumn("Other R&D cost", format=money_format),
            "rnd_cost": st.column_config.NumberColumn("R&D cost", format=money_format),
        },
    )

st.subheader("Values the catalog does not map")
if not data.table_present("marts.fct_unmapped_values"):
    st.caption("This serving copy has no `marts.fct_unmapped_values`; the next refresh adds it.")
else:
    unmapped = data.unmapped_values(viewer)
    if unmapped.empty:
        st.success("The catalog maps every value the sources sent.")
    else:
        st.caption(
            "Every value a source sent that `catalog.yml` does not map, the costliest first "
            "(amounts over the whole history). Map each where the last column says and refresh."
        )
        widgets.table(
            unmapped.assign(what_to_do=unmapped["kind"].map(metric_definitions.unmapped_fix)),
            hide_index=True,
            name="unmapped_values",
            viewer=viewer,
            key="unmapped_values",
            column_config={
                "source": st.column_config.TextColumn("Source"),
                "kind": st.column_config.TextColumn("Kind"),
                "value": st.column_config.TextColumn("Value"),
                "occurrences": st.column_config.NumberColumn("Rows", format="localized"),
                "amount": st.column_config.NumberColumn("Amount", format=money_format),
                "fte_months": st.column_config.NumberColumn("FTE-months", format="%.1f"),
                "currency": None,
                "what_to_do": st.column_config.TextColumn("What to do", width="large"),
            },
        )
