"""A tiny company as raw rows, whose answers the dbt tests work out by hand.

Two products in two portfolios, a EUR revenue line, a SKU and a cost centre the catalog
does not map, a joiner and a leaver on the 10th, a part-timer with a scheduled leaving
date, a team the catalog does not know and a month without an EUR rate. Reporting
currency USD, loading factor 1.30 (Berlin 1.40).
"""

from __future__ import annotations

RAW_ROWS: dict[str, list[dict[str, object]]] = {
    "catalog__settings": [
        {"setting": "reporting_currency", "value": "USD"},
        {"setting": "loading_factor", "value": "1.30"},
        # one or two people per product: a threshold of 1 publishes every product's own
        # figures, so the hand-computed cost tests read them; folding is tested with 2
        # in test_dbt_product_folding.py
        {"setting": "min_group_size", "value": "1"},
    ],
    "catalog__loading_factors": [{"location": "Berlin", "loading_factor": 1.40}],
    "catalog__portfolios": [
        {"portfolio_id": "platform", "portfolio_name": "Platform", "director": "VP Platform"},
        {"portfolio_id": "growth", "portfolio_name": "Growth", "director": "VP Growth"},
    ],
    "catalog__products": [
        {
            "product_id": "payments_api",
            "product_name": "Payments API",
            "portfolio_id": "platform",
            "pm": "PM Payments API",
            "aha_prefix": "PAY",
            "analytics_app": "payments",
            "launched_on": "2019-04-01",
        },
        {
            "product_id": "insights",
            "product_name": "Insights",
            "portfolio_id": "growth",
            "pm": "PM Insights",
            "aha_prefix": "INS",
            "analytics_app": "insights",
            "launched_on": "2023-09-01",
        },
    ],
    "catalog__product_areas": [
        {"product_area": "payouts", "product_id": "payments_api"},
        {"product_area": "checkout", "product_id": "payments_api"},
        {"product_area": "dashboards", "product_id": "insights"},
    ],
    "catalog__product_mappings": [
        {"product_id": "payments_api", "kind": "sku", "value": "PAY-STD"},
        {"product_id": "insights", "kind": "sku", "value": "INS-PRO"},
        {"product_id": "payments_api", "kind": "cost_centre", "value": "CC-4100"},
        {"product_id": "payments_api", "kind": "jira_project", "value": "PAY"},
    ],
    "catalog__teams": [
        {
            "team_id": "payments_core",
            "team_name": "Payments Core",
            "product_id": "payments_api",
            "hr_team": "Payments Core",
            "default_category": "new_capability",
        },
        {
            "team_id": "insights_team",
            "team_name": "Insights",
            "product_id": "insights",
            "hr_team": "Insights",
            "default_category": "new_capability",
        },
    ],
    "catalog__role_families": [
        {"job_title": "Senior Software Engineer", "role_family": "engineering"},
        {"job_title": "Product Manager", "role_family": "pm"},
    ],
    "catalog__status_map": [
        {"tool": "jira", "status": "In Progress", "meaning": " In_Progress "},
        {"tool": "jira", "status": "Done", "meaning": "DONE"},
    ],
    "catalog__rnd_accounts": [{"account": "6100"}, {"account": "6200"}],
    "finance__fx_rates": [
        {"month": "2025-01-01", "currency": "USD", "rate": 1.0},
        {"month": "2025-01-01", "currency": "EUR", "rate": 1.10},
        {"month": "2025-02-01", "currency": "USD", "rate": 1.0},
        {"month": "2025-02-01", "currency": "EUR", "rate": 1.20},
        # March has no EUR rate: February's carries over
        {"month": "2025-03-01", "currency": "USD", "rate": 1.0},
    ],
    "finance__revenue": [
        {
            "period_month": "2025-01-01",
            "sku": "PAY-STD",
            "customer": "acme_bank",
            "amount": 1000.0,
            "currency": "USD",
        },
        {
            "period_month": "2025-02-01",
            "sku": "PAY-STD",
            "customer": "beta_pay",
            "amount": 500.0,
            "currency": "eur",
        },
        {
            "period_month": "2025-02-01",
            "sku": "MYSTERY-SKU",
            "customer": "gamma_fin",
            "amount": 200.0,
            "currency": "USD",
        },
        {
            "period_month": "2025-03-01",
            "sku": "INS-PRO",
            "customer": "acme_bank",
            "amount": 300.0,
            "currency": "USD",
        },
        {
            "period_month": "2025-03-01",
            "sku": "PAY-STD",
            "customer": "beta_pay",
            "amount": 100.0,
            "currency": "EUR",
        },
    ],
    "finance__gl_lines": [
        {
            # Office rent: not R&D, so it moves no product figure, but it opens the
            # finance history in December, before the FX export starts.
            "line_number": 1,
            "posted_on": "2024-12-20",
            "account": "7000",
            "account_name": "Office rent",
            "cost_centre": "CC-4100",
            "amount": 900.0,
            "currency": "USD",
            "memo": "rent",
            "_source": "finance/gl.csv",
        },
        {
            "line_number": 2,
            "posted_on": "2025-01-15",
            "account": "6100",
            "account_name": "Cloud hosting",
            "cost_centre": "CC-4100",
            "amount": 100.0,
            "currency": "USD",
            "memo": "cloud",
            "_source": "finance/gl.csv",
        },
        {
            "line_number": 3,
            "posted_on": "2025-02-03",
            "account": "6200",
            "account_name": "Dev tools",
            "cost_centre": "CC-4100",
            "amount": 50.0,
            "currency": "EUR",
            "memo": "tools",
            "_source": "finance/gl.csv",
        },
        {
            "line_number": 4,
            "posted_on": "2025-02-10",
            "account": "5000",
            "account_name": "Travel",
            "cost_centre": "CC-4100",
            "amount": 999.0,
            "currency": "USD",
            "memo": "not R&D",
            "_source": "finance/gl.csv",
        },
        {
            "line_number": 5,
            "posted_on": "2025-03-05",
            "account": "6100",
            "account_name": "Cloud hosting",
            "cost_centre": "CC-9999",
            "amount": 40.0,
            "currency": "USD",
            "memo": "unmapped cost centre",
            "_source": "finance/gl.csv",
        },
    ],
    "hr__employees": [
        {
            "employee_key": "emp_joiner",
            "person_key": "p1",
            "team": "Payments Core",
            "job_title": "Senior Software Engineer",
            "location": "New York",
            "fte": 1.0,
            "hired_on": "2025-01-10",
        },
        {
            "employee_key": "emp_leaver",
            "person_key": "p2",
            "team": "Payments Core",
            "job_title": "Product Manager",
            "location": "Berlin",
            "fte": 1.0,
            "hired_on": "2024-11-04",
            "terminated_on": "2025-02-10",
        },
        # a scheduled future leaving date must not extend the as-of month
        {
            "employee_key": "emp_part_timer",
            "person_key": "p3",
            "team": "Insights",
            "job_title": "Data Analyst",
            "location": "New York",
            "fte": 0.5,
            "hired_on": "2025-01-01",
            "terminated_on": "2025-08-31",
        },
        {
            "employee_key": "emp_skunkworks",
            "person_key": "p4",
            "team": "Skunkworks",
            "job_title": "Senior Software Engineer",
            "location": "New York",
            "fte": 1.0,
            "hired_on": "2025-03-01",
        },
    ],
    "hr__compensation": [
        {
            "employee_key": "emp_joiner",
            "annual_salary": 120000.0,
            "currency": "USD",
            "effective_on": "2025-01-10",
        },
        {
            "employee_key": "emp_joiner",
            "annual_salary": 132000.0,
            "currency": "USD",
            "effective_on": "2025-03-01",
        },
        {
            "employee_key": "emp_leaver",
            "annual_salary": 96000.0,
            "currency": "EUR",
            "effective_on": "2024-12-01",
        },
        {
            "employee_key": "emp_part_timer",
            "annual_salary": 60000.0,
            "currency": "USD",
            "effective_on": "2025-01-01",
        },
        {
            "employee_key": "emp_skunkworks",
            "annual_salary": 48000.0,
            "currency": "USD",
            "effective_on": "2025-03-01",
        },
    ],
}
