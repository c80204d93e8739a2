"""The metric definitions of METRICS.md, worded for a help icon, the Definitions page or a slide.

`METRICS` lists every figure a page or slide shows: its formula, grain, source mart and
the configuration it depends on. The column descriptions of the dbt docs (the marts'
YAML) are attached on the Definitions page, so the two cannot silently drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

MARTS_YAML_DIR = Path(__file__).resolve().parent.parent / "dbt_project" / "models" / "marts"
DEFINITIONS_PAGE = "/definitions"

REVENUE_VS_RND_COST = """
- **Revenue**: recognised revenue of each month from the finance export, mapped to
  products by SKU and converted to the reporting currency at the month's rate.
  Revenue on SKUs the catalog does not map lands on **Unmapped**.
- **R&D cost** = people cost + other R&D cost.
  - *People cost*: annual base salary / 12 × FTE-month × loading factor (default
    1.30, configurable per location), converted at the month's rate, and spread over
    products by effort: each working day goes to the Jira work the person had in
    progress that day (days without any stay with the team's product).
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


@dataclass(frozen=True)
class Metric:
    """One figure as the definitions page and the help icons describe it."""

    key: str
    name: str
    formula: str
    grain: str
    source: str  # `mart.column` it is read from
    configuration: str  # the settings it depends on, with their defaults
    pages: tuple[str, ...]

    @property
    def anchor(self) -> str:
        """The fragment of its section on the Definitions page."""
        return self.key.replace("_", "-")


METRICS: tuple[Metric, ...] = (
    Metric(
        "revenue",
        "Revenue",
        "Recognised revenue of the month from the finance export, mapped to products by SKU "
        "and converted at the month's FX rate",
        "product × month",
        "fct_product_cost_revenue.revenue",
        "catalog: skus per product; reporting_currency (default USD)",
        ("CPO overview", "Cost vs revenue"),
    ),
    Metric(
        "people_cost",
        "People cost",
        "annual salary / 12 × FTE-month × loading factor × FX rate, spread over products by "
        "the person-day engine",
        "product × month (never fewer than min_group_size people)",
        "fct_product_cost_revenue.people_cost",
        "loading_factor (default 1.30, per location); min_group_size (default 5); status map",
        ("Cost vs revenue",),
    ),
    Metric(
        "rnd_cost",
        "R&D cost",
        "people cost + other R&D cost (GL lines on R&D accounts whose cost centre maps to the "
        "product)",
        "product × month",
        "fct_product_cost_revenue.rnd_cost",
        "catalog: cost_centres per product, rnd_accounts; loading_factor",
        ("CPO overview", "Cost vs revenue"),
    ),
    Metric(
        "contribution",
        "Contribution",
        "revenue − R&D cost",
        "product × month",
        "fct_product_cost_revenue.contribution",
        "as revenue and R&D cost",
        ("CPO overview", "Cost vs revenue"),
    ),
    Metric(
        "rnd_pct_of_revenue",
        "R&D % of revenue",
        "Σ R&D cost / Σ revenue over the period; none (not infinity) without revenue",
        "product × month; summed before dividing",
        "fct_product_cost_revenue.rnd_pct_of_revenue",
        "as revenue and R&D cost",
        ("CPO overview", "Cost vs revenue"),
    ),
    Metric(
        "revenue_per_rnd_fte",
        "Revenue per R&D FTE",
        "revenue × 12 / Σ FTE-months (annualised)",
        "product × period",
        "fct_product_cost_revenue.revenue_per_rnd_fte",
        "HR fte; person-day allocation",
        ("Cost vs revenue",),
    ),
    Metric(
        "investment_share",
        "Investment mix",
        "FTE-months of a category / all FTE-months of the group and quarter; drift = share − "
        "target",
        "portfolio × product × quarter × category",
        "fct_investment_allocation.share",
        "catalog: target shares per category; category rules (roadmap item, issue type, "
        "labels, team default)",
        ("CPO overview",),
    ),
    Metric(
        "customer_commitment_cap",
        "Customer-commitment cap",
        "customer_commitment FTE-months / all FTE-months above the cap flags a sales-led "
        "product or portfolio (over_cap)",
        "portfolio × quarter",
        "fct_investment_allocation.portfolio_over_cap",
        "customer_commitment_cap (default 10%)",
        ("CPO overview",),
    ),
    Metric(
        "objective_score",
        "Objective score",
        "weight-averaged key-result progress capped to [0, 1]; the bar is 1.0 for committed "
        "and 0.7 for aspirational objectives",
        "objective × period",
        "fct_objective_scores.score",
        "okr_committed_bar 1.0, okr_aspirational_bar 0.7",
        ("CPO overview", "Goals"),
    ),
    Metric(
        "key_result_progress",
        "Key-result progress",
        "increase to (value − baseline) / (target − baseline); decrease to (baseline − value) / "
        "(baseline − target); keep above/below 1 or 0; milestone done / total. Expected = "
        "elapsed days / period days. On track ≥ 0.95 × expected, lagging ≥ 0.75 ×, else at "
        "risk",
        "key result × week (forward-filled between check-ins)",
        "fct_key_result_progress.progress",
        "okr_on_track_factor 0.95, okr_lagging_factor 0.75; metric bindings",
        ("Goals",),
    ),
    Metric(
        "confidence",
        "Confidence",
        "the latest check-in's 0–1 confidence; flagged when on track below 0.4 or at risk "
        "above 0.7",
        "key result × week",
        "fct_key_result_progress.confidence",
        "okr_low_confidence 0.4, okr_high_confidence 0.7",
        ("Goals",),
    ),
    Metric(
        "days_to_decision",
        "Time to decision",
        "days from an idea's creation to its first accepted or declined status; reported as "
        "median and 90th percentile, never the mean alone",
        "idea; summarised per quarter of the decision",
        "fct_decisions.days_to_decision",
        "status map (aha: accepted / declined statuses); decision_reversal_days 90",
        ("CPO overview", "Decisions"),
    ),
    Metric(
        "undecided_age",
        "Undecided ideas by age",
        "ideas without a decision, aged on the as-of date in buckets 0–7, 8–30, 31–90, over 90 "
        "days",
        "idea",
        "fct_decisions.undecided_age_bucket",
        "status map",
        ("Decisions",),
    ),
    Metric(
        "say_do_ratio",
        "Say/do",
        "features committed on the quarter's first day and delivered by its end / committed",
        "product × quarter",
        "fct_roadmap_predictability.say_do_ratio",
        "status map (aha: delivered statuses); releases named YYYY Qn or dated",
        ("CPO overview", "Portfolio"),
    ),
    Metric(
        "on_time",
        "On-time delivery",
        "delivered items whose delivery date is on or before the date of the release they were "
        "first planned for / delivered items",
        "roadmap item",
        "fct_portfolio_items.on_time",
        "status map (aha: delivered statuses)",
        ("Portfolio",),
    ),
    Metric(
        "enabled_share",
        "Accounts enabled",
        "partner accounts that switched the feature on by the month's end / partners active in "
        "the product's app",
        "feature × month",
        "fct_feature_adoption.enabled_share",
        "catalog: features with their enablement event and product app",
        ("Adoption",),
    ),
    Metric(
        "adoption_rate",
        "Adoption rate",
        "feature users / active users of the product in the same month; stickiness = average "
        "daily users / monthly users",
        "feature × month",
        "fct_feature_adoption.adoption_rate",
        "catalog: feature events; adoption_milestone_rate 10%",
        ("Adoption",),
    ),
    Metric(
        "unmapped",
        "Unmapped values",
        "source values the catalog does not map, with the money or effort they carry to the "
        "'unmapped' product",
        "source × kind × value",
        "fct_unmapped_values.amount",
        "catalog.yml mappings",
        ("Data health",),
    ),
)
METRICS_BY_KEY = {metric.key: metric for metric in METRICS}


@lru_cache(maxsize=1)
def dbt_column_descriptions() -> dict[str, str]:
    """`mart.column` → the column's description in the marts' dbt YAML (the dbt docs).

    A column without its own description gets its model's, which explains it in context.
    """
    found: dict[str, str] = {}
    for path in sorted(MARTS_YAML_DIR.glob("*/_*.yml")):
        document = yaml.safe_load(path.read_text()) or {}
        for model in document.get("models", []):
            model_text = " ".join(str(model.get("description", "")).split())
            for column in model.get("columns", []):
                text = " ".join(str(column.get("description", "")).split()) or model_text
                if text:
                    found[f"{model['name']}.{column['name']}"] = text
    return found


def help_text(*keys: str) -> str:
    """The tooltip of a chart's help icon: each metric's formula and a link to its definition."""
    lines = []
    for key in keys:
        metric = METRICS_BY_KEY[key]
        lines.append(
            f"**{metric.name}** = {metric.formula}. "
            f"[Definition]({DEFINITIONS_PAGE}#{metric.anchor})"
        )
    return "\n\n".join(lines)


UNMAPPED_FIXES = {
    "sku": "add the SKU to its product's skus in catalog.yml",
    "cost_centre": "add the cost centre to its product's cost_centres in catalog.yml",
    "hr_team": "map the HR team on its team (teams[].hr_team) in catalog.yml",
    "job_title": "add the job title to role_families in catalog.yml",
    "jira_project": "add the Jira project to its product's jira_projects in catalog.yml",
    "jira_status": "add the status to statuses.jira in catalog.yml",
    "assignee_not_in_hr": "check the HR export covers this Jira user (contractors, leavers)",
    "aha_product_prefix": "set the product's aha_prefix in catalog.yml",
    "aha_status": "add the status to statuses.aha in catalog.yml",
    "investment_category": "use new_capability, customer_commitment, ktlo or tech_investment in Aha!",
}


def unmapped_fix(kind: str) -> str:
    """What an analyst does about an unmapped value of `kind` (fct_unmapped_values.kind)."""
    return UNMAPPED_FIXES.get(kind, "map it in catalog.yml")
