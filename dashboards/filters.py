"""The filters every page shares: period, portfolio and products, in the sidebar.

They are drawn by the entry point (`streamlit_app.py`) before the page runs, so they
keep their values when the user moves between pages; pages read them with `current()`.
The options are only the portfolios and products the signed-in viewer may see, and the
picked filters carry that viewer so every query a page makes is scoped to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboards import access, data, periods
from dashboards.viewers import Viewer

ALL_PORTFOLIOS = "All portfolios"
STATE_KEY = "_global_filters"


@dataclass(frozen=True)
class GlobalFilters:
    """What the user picked, and the `data.Selection` it amounts to."""

    period: periods.Period
    portfolio_id: str | None
    portfolio_name: str
    product_ids: tuple[str, ...]
    product_names: tuple[str, ...]
    viewer: Viewer

    @property
    def selection(self) -> data.Selection:
        """The months, portfolio and products as one query filter."""
        return data.Selection(
            self.period.start, self.period.end, self.portfolio_id, self.product_ids
        )

    @property
    def quarter(self) -> periods.Quarter:
        """The newest complete quarter ending in the period (what a board sees)."""
        return periods.last_complete_quarter(self.period.end)

    @property
    def scope(self) -> str:
        """Which products the figures cover, e.g. `All portfolios`, `Payments` or `Ledger, Cards`."""
        if self.product_names:
            return ", ".join(self.product_names)
        return self.portfolio_name

    def for_quarter(self, quarter: periods.Quarter) -> data.Selection:
        """The same portfolio and products over one quarter's months."""
        return data.Selection(
            quarter.start, quarter.last_month, self.portfolio_id, self.product_ids
        )


def everything_label(viewer: Viewer, portfolio_names: tuple[str, ...]) -> str:
    """What the portfolio filter's first option (no filter) covers for `viewer`.

    `All portfolios` only for a viewer who sees them all; a director reads their own:
    `Payments`, or `Your portfolios: Payments, Growth` when they own several.
    """
    if viewer.sees_everything:
        return ALL_PORTFOLIOS
    if len(portfolio_names) == 1:
        return portfolio_names[0]
    return f"Your portfolios: {', '.join(portfolio_names) or 'none'}"


def render_sidebar() -> GlobalFilters | None:
    """Draw the shared filters in the sidebar; None when there is no data to filter yet."""
    if data.serving_unavailable() is not None:
        return None
    viewer = access.viewer()
    bounds = data.month_bounds()
    if bounds is None:
        return None
    catalog = data.products(viewer)
    options = {period.label: period for period in periods.period_options(*bounds)}
    with st.sidebar:
        st.markdown("**Filters** (shared by every page)")
        period = options[
            st.selectbox(
                "Period",
                list(options),
                index=list(options).index(periods.DEFAULT_LABEL),
                key="period",
            )
        ]
        portfolios = catalog.drop_duplicates("portfolio_id")
        portfolio_names = dict(
            zip(portfolios["portfolio_name"], portfolios["portfolio_id"], strict=True)
        )
        everything = everything_label(viewer, tuple(portfolio_names))
        # One portfolio to see: its name is the only choice, not a second copy of it.
        options = [everything] if everything in portfolio_names else [everything, *portfolio_names]
        # A value kept from another login, or set by hand, that is not an option here
        # falls back to the default rather than failing the page.
        if st.session_state.get("portfolio") not in options:
            st.session_state.pop("portfolio", None)
        portfolio_name = st.selectbox(
            "Portfolio", options, key="portfolio", disabled=len(options) == 1
        )
        # The first option is everything the viewer may see: no portfolio filter.
        portfolio_id = None if portfolio_name == everything else portfolio_names[portfolio_name]
        in_portfolio = (
            catalog if portfolio_id is None else catalog[catalog["portfolio_id"] == portfolio_id]
        )
        product_names = dict(
            zip(in_portfolio["product_name"], in_portfolio["product_id"], strict=True)
        )
        kept = st.session_state.get("products")
        if kept is not None and not set(kept) <= set(product_names):
            st.session_state["products"] = [name for name in kept if name in product_names]
        chosen = st.multiselect(
            "Products", list(product_names), placeholder="All products", key="products"
        )
        st.caption(f"{period.span} ({period.months} months)")
    picked = GlobalFilters(
        period=period,
        portfolio_id=portfolio_id,
        portfolio_name=portfolio_name,
        product_ids=tuple(product_names[name] for name in chosen if name in product_names),
        product_names=tuple(name for name in chosen if name in product_names),
        viewer=viewer,
    )
    st.session_state[STATE_KEY] = picked
    return picked


def current() -> GlobalFilters | None:
    """The filters the entry point drew for this run, or None without data.

    A page run on its own (a test, or `streamlit run` on the page file) has no entry
    point to draw them, so it draws them itself.
    """
    picked = st.session_state.get(STATE_KEY)
    return picked if picked is not None else render_sidebar()
