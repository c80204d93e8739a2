"""The metric definitions of /work/shared/METRICS.md, worded for a help expander or a slide note."""

from __future__ import annotations

REVENUE_VS_RND_COST = """
- **Revenue**: recognised revenue of each month from the finance export, mapped to
  products by SKU and converted to the reporting currency at the month's rate.
  Revenue on SKUs the catalog does not map lands on **Unmapped**.
- **R&D cost** = people cost + other R&D cost.
  - *People cost*: annual base salary / 12 × FTE-month × loading factor (default
    1.30, configurable per location), converted at the month's rate.
  - *Other R&D cost*: general-ledger lines on R&D accounts whose cost centre maps
    to the product (cloud, tools, contractors).
- **Contribution** = revenue − R&D cost. Products are sorted by contribution; a
  product whose R&D cost exceeds its revenue in the period is marked as a loss.
"""

MONTHLY_TREND = """
- Monthly revenue and R&D cost of the selected products, in the reporting currency.
- The gap between the two lines is the contribution (revenue − R&D cost).
"""

RND_PCT_OF_REVENUE = """
- **R&D % of revenue** = R&D cost / revenue of the month.
- A month with no revenue has no ratio (shown as a gap), never infinity.
- Above the dashed 100% line, R&D cost exceeds revenue.
- For a whole period it is Σ R&D cost / Σ revenue, not an average of monthly ratios.
"""

PRODUCT_TABLE = """
- **R&D FTE**: average FTE per month over the period (HR `fte` × share of the
  month employed, summed per month).
- **Revenue per R&D FTE** = revenue × 12 / Σ FTE-months (annualised).
- **Flag**: the product's R&D cost exceeds its revenue in the period.
"""

UNMAPPED_BUCKET = """
- Anything a source sends that the catalog does not map (a SKU, a cost centre, an
  HR team) lands on the product **Unmapped** instead of vanishing.
- Share = the unmapped amount / the amount of all products in the period.
- Map the missing values in `catalog.yml` (`skus`, `cost_centres`, `teams[].hr_team`)
  and refresh to bring the share down.
"""

PEOPLE_COST_BASIS = {
    "team_default": "people cost follows each team's main product until effort allocation lands",
    "allocated": "people cost follows effort: each person-day is split across the Jira work in progress that day",
}

REVENUE_BASIS = {
    "recognised": "revenue is recognised revenue from the finance export",
    "arr": "revenue is ARR / 12 where only ARR is given",
}


def people_cost_basis_note(basis: str) -> str:
    """A sentence saying how people cost is attributed for a `people_cost_basis` value."""
    return PEOPLE_COST_BASIS.get(basis, f"people cost basis: {basis}")


def revenue_basis_note(basis: str) -> str:
    """A sentence saying what revenue means for a `revenue_basis` value."""
    return REVENUE_BASIS.get(basis, f"revenue basis: {basis}")
