"""Sample inputs and places shared by the connector tests (a module with a name of its
own, so it cannot be confused with another folder's conftest)."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REAL_FIXTURES = PROJECT_ROOT / ".." / "shared" / "fixtures" / "real"

MINIMAL_CATALOG = """\
reporting_currency: USD
settings:
  loading_factor_by_location: {Berlin: 1.40}
  target_shares: {new_capability: 0.50, customer_commitment: 0.10, ktlo: 0.25, tech_investment: 0.15}
portfolios:
  - id: platform
    name: Platform
    director: VP Platform
    products:
      - id: payments_api
        name: Payments API
        pm: PM Payments API
        launched_on: 2019-04-01
        product_areas: [checkout, payouts]
        jira_projects: [PAY]
        aha_prefix: PAY
        analytics_app: payments
        skus: [PAY-STD, PAY-ENT]
        cost_centres: [CC-4100]
teams:
  - id: payments_core
    name: Payments Core
    product: payments_api
    hr_team: Payments Core
    default_category: new_capability
role_families:
  Product Manager: pm
  Senior Software Engineer: engineering
statuses:
  jira: {In Progress: in_progress, Done: done}
  aha: {Accepted: accepted, Declined: declined, Shipped: delivered}
categories:
  jira_issue_types: {Bug: ktlo}
  jira_labels: {tech-debt: tech_investment}
features:
  - id: instant_payouts
    product: payments_api
    event_type: Instant Payout Sent
    enable_event_type: Feature Enabled
    released_on: 2025-02-01
rnd_accounts: ["6100", "6200"]
"""
