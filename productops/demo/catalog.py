"""catalog.yml for a generated company, in the shape of seeds/README.md.

A few things are left out on purpose so the unmapped bucket has work: one legacy SKU
(revenue with no product) and one GL cost centre (an innovation lab's cloud bill).
Every status the tools use is mapped: the not-started ones (Jira `To Do`, Aha! `New`
and `Ready to develop`) to `new`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from productops.demo.finance import RND_ACCOUNTS
from productops.demo.org import DEFAULT_LOADING_FACTOR, LOCATIONS, REPORTING_CURRENCY, Company
from productops.demo.people import JOB_TITLES, Person
from productops.demo.work import CUSTOMER_COMMITMENT_LABEL, TECH_DEBT_LABEL

TARGET_SHARES = {
    "new_capability": 0.50,
    "customer_commitment": 0.10,
    "ktlo": 0.25,
    "tech_investment": 0.15,
}
JIRA_STATUS_MAP = {
    "To Do": "new",
    "In Progress": "in_progress",
    "In Review": "in_progress",
    "Done": "done",
    "Won't Do": "done",
}
AHA_STATUS_MAP = {
    "New": "new",
    "Ready to develop": "new",
    "Under consideration": "in_progress",
    "Accepted": "accepted",
    "Declined": "declined",
    "In development": "in_progress",
    "Shipped": "delivered",
}
UNMAPPED_STATUSES: dict[str, list[str]] = {"jira": [], "aha": []}
CATEGORY_RULES = {
    "jira_issue_types": {"Bug": "ktlo"},
    "jira_labels": {
        CUSTOMER_COMMITMENT_LABEL: "customer_commitment",
        TECH_DEBT_LABEL: "tech_investment",
    },
}
HEADER = (
    "# The organisation map of the demo company (written by `productops generate`).\n"
    "# Owners are role handles, never people. Left unmapped on purpose, so the data-health\n"
    "# page has something to show: SKU {sku} and cost centre {cc}.\n"
)


def catalog_document(company: Company, people: list[Person]) -> dict[str, Any]:
    """The catalog as a YAML-ready mapping."""
    titles = sorted({p.title for p in people})
    return {
        "reporting_currency": REPORTING_CURRENCY,
        "settings": {
            "loading_factor": DEFAULT_LOADING_FACTOR,
            "loading_factor_by_location": {
                loc.name: loc.loading_factor for loc in LOCATIONS if loc.loading_factor is not None
            },
            "min_group_size": 5,
            "customer_commitment_cap": 0.10,
            "target_shares": dict(TARGET_SHARES),
        },
        "portfolios": [
            {
                "id": pf.id,
                "name": pf.name,
                "director": pf.director,
                "products": [
                    {
                        "id": p.id,
                        "name": p.name,
                        "pm": p.pm,
                        "launched_on": p.launched_on,
                        "product_areas": list(p.areas),
                        "jira_projects": [pr.key for pr in p.projects],
                        "aha_prefix": p.prefix,
                        "analytics_app": p.app,
                        "skus": list(p.skus),
                        "cost_centres": [p.cost_centre],
                    }
                    for p in pf.products
                ],
            }
            for pf in company.portfolios
        ],
        "teams": [
            {
                "id": t.id,
                "name": t.name,
                "product": t.product_id,
                "hr_team": t.name,
                "default_category": t.default_category,
            }
            for t in company.teams
        ],
        "role_families": {title: JOB_TITLES[title][0] for title in titles},
        "statuses": {"jira": dict(JIRA_STATUS_MAP), "aha": dict(AHA_STATUS_MAP)},
        "categories": {kind: dict(rules) for kind, rules in CATEGORY_RULES.items()},
        "features": [
            {
                "id": f.id,
                "product": f.product_id,
                "event_type": f.event_type,
                "enable_event_type": "Feature Enabled",
                "released_on": f.released_on,
            }
            for p in company.products.values()
            for f in p.features
        ],
        "rnd_accounts": list(RND_ACCOUNTS),
    }


def write_catalog(path: Path, company: Company, people: list[Person]) -> dict[str, int]:
    """Write catalog.yml; returns the row count of every catalog__* raw table."""
    document = catalog_document(company, people)
    body = yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100
    )
    path.write_text(
        HEADER.format(sku=company.unmapped_sku, cc=company.unmapped_cost_centre) + body,
        encoding="utf-8",
        newline="\n",
    )
    products = [p for pf in document["portfolios"] for p in pf["products"]]
    return {
        "catalog__settings": 4,  # reporting_currency, loading_factor, min_group_size, cap
        "catalog__loading_factors": len(document["settings"]["loading_factor_by_location"]),
        "catalog__target_shares": len(document["settings"]["target_shares"]),
        "catalog__portfolios": len(document["portfolios"]),
        "catalog__products": len(products),
        "catalog__product_areas": sum(len(p["product_areas"]) for p in products),
        "catalog__product_mappings": sum(
            len(p["jira_projects"]) + len(p["skus"]) + len(p["cost_centres"]) for p in products
        ),
        "catalog__teams": len(document["teams"]),
        "catalog__role_families": len(document["role_families"]),
        "catalog__status_map": sum(len(m) for m in document["statuses"].values()),
        "catalog__category_rules": sum(len(m) for m in document["categories"].values()),
        "catalog__features": len(document["features"]),
        "catalog__rnd_accounts": len(document["rnd_accounts"]),
    }
