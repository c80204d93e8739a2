"""The raw tables of every source, defined once: names, Arrow schemas and natural keys.

This module is connectors/README.md's table contract in code. Readers build their
tables with these schemas and `connectors.sources` registers them, so a column can
only change in one place.

Types: text is `string`, double is `float64`, int is `int64`, date is `date32` and
timestamp is `timestamp("us")` holding **UTC** wall-clock values without a zone, so SQL
never depends on a session time zone.
"""

from __future__ import annotations

import pyarrow as pa

from connectors.registry import RawTable

TEXT = pa.string()
DOUBLE = pa.float64()
INT = pa.int64()
DATE = pa.date32()
TIMESTAMP = pa.timestamp("us")


def _table(name: str, key: tuple[str, ...], *columns: tuple[str, pa.DataType]) -> RawTable:
    schema = pa.schema([pa.field(c, t) for c, t in columns] + [pa.field("_source", TEXT)])
    missing = [k for k in key if k not in schema.names]
    if missing:
        raise ValueError(f"{name}: key columns {missing} are not in the schema")
    return RawTable(name=name, schema=schema, key=key)


# --- catalog.yml ------------------------------------------------------------------

CATALOG_SETTINGS = _table("catalog__settings", ("setting",), ("setting", TEXT), ("value", TEXT))
CATALOG_LOADING_FACTORS = _table(
    "catalog__loading_factors", ("location",), ("location", TEXT), ("loading_factor", DOUBLE)
)
CATALOG_TARGET_SHARES = _table(
    "catalog__target_shares", ("category",), ("category", TEXT), ("target_share", DOUBLE)
)
CATALOG_PORTFOLIOS = _table(
    "catalog__portfolios",
    ("portfolio_id",),
    ("portfolio_id", TEXT),
    ("portfolio_name", TEXT),
    ("director", TEXT),
)
CATALOG_PRODUCTS = _table(
    "catalog__products",
    ("product_id",),
    ("product_id", TEXT),
    ("product_name", TEXT),
    ("portfolio_id", TEXT),
    ("pm", TEXT),
    ("aha_prefix", TEXT),
    ("analytics_app", TEXT),
    ("launched_on", DATE),
)
CATALOG_PRODUCT_AREAS = _table(
    "catalog__product_areas", ("product_area",), ("product_area", TEXT), ("product_id", TEXT)
)
CATALOG_PRODUCT_MAPPINGS = _table(
    "catalog__product_mappings",
    ("kind", "value"),
    ("product_id", TEXT),
    ("kind", TEXT),
    ("value", TEXT),
)
CATALOG_TEAMS = _table(
    "catalog__teams",
    ("team_id",),
    ("team_id", TEXT),
    ("team_name", TEXT),
    ("product_id", TEXT),
    ("hr_team", TEXT),
    ("default_category", TEXT),
)
CATALOG_ROLE_FAMILIES = _table(
    "catalog__role_families", ("job_title",), ("job_title", TEXT), ("role_family", TEXT)
)
CATALOG_STATUS_MAP = _table(
    "catalog__status_map",
    ("tool", "status"),
    ("tool", TEXT),
    ("status", TEXT),
    ("meaning", TEXT),
)
CATALOG_CATEGORY_RULES = _table(
    "catalog__category_rules",
    ("kind", "value"),
    ("kind", TEXT),
    ("value", TEXT),
    ("category", TEXT),
)
CATALOG_FEATURES = _table(
    "catalog__features",
    ("feature_id",),
    ("feature_id", TEXT),
    ("product_id", TEXT),
    ("event_type", TEXT),
    ("enable_event_type", TEXT),
    ("released_on", DATE),
)
CATALOG_RND_ACCOUNTS = _table("catalog__rnd_accounts", ("account",), ("account", TEXT))

# --- jira/ --------------------------------------------------------------------------

JIRA_PROJECTS = _table(
    "jira__projects",
    ("project_id",),
    ("project_id", TEXT),
    ("project_key", TEXT),
    ("project_name", TEXT),
)
JIRA_STATUSES = _table(
    "jira__statuses",
    ("status_id",),
    ("status_id", TEXT),
    ("status_name", TEXT),
    ("status_category", TEXT),
)
JIRA_ISSUES = _table(
    "jira__issues",
    ("issue_id",),
    ("issue_id", TEXT),
    ("issue_key", TEXT),
    ("project_key", TEXT),
    ("issue_type", TEXT),
    ("summary", TEXT),
    ("status", TEXT),
    ("status_category", TEXT),
    ("assignee_key", TEXT),
    ("parent_key", TEXT),
    ("epic_key", TEXT),
    ("labels", TEXT),
    ("components", TEXT),
    ("story_points", DOUBLE),
    ("created_at", TIMESTAMP),
    ("updated_at", TIMESTAMP),
    ("resolved_at", TIMESTAMP),
)
JIRA_CHANGELOG = _table(
    "jira__changelog",
    ("issue_id", "history_id", "item_index"),
    ("issue_id", TEXT),
    ("history_id", TEXT),
    ("field", TEXT),
    ("from_value", TEXT),
    ("from_string", TEXT),
    ("to_value", TEXT),
    ("to_string", TEXT),
    ("author_key", TEXT),
    ("item_index", INT),
    ("changed_at", TIMESTAMP),
)

# --- hr/ ----------------------------------------------------------------------------

HR_EMPLOYEES = _table(
    "hr__employees",
    ("employee_key",),
    ("employee_key", TEXT),
    ("person_key", TEXT),
    ("manager_key", TEXT),
    ("department", TEXT),
    ("division", TEXT),
    ("team", TEXT),
    ("job_title", TEXT),
    ("location", TEXT),
    ("fte", DOUBLE),
    ("hired_on", DATE),
    ("terminated_on", DATE),
)
HR_COMPENSATION = _table(
    "hr__compensation",
    ("employee_key", "effective_on"),
    ("employee_key", TEXT),
    ("annual_salary", DOUBLE),
    ("currency", TEXT),
    ("effective_on", DATE),
)

# --- finance/ -----------------------------------------------------------------------

FINANCE_GL_LINES = _table(
    "finance__gl_lines",
    ("_source", "line_number"),
    ("line_number", INT),
    ("posted_on", DATE),
    ("account", TEXT),
    ("account_name", TEXT),
    ("cost_centre", TEXT),
    ("amount", DOUBLE),
    ("currency", TEXT),
    ("memo", TEXT),
)
FINANCE_REVENUE = _table(
    "finance__revenue",
    ("period_month", "sku", "customer"),
    ("period_month", DATE),
    ("sku", TEXT),
    ("customer", TEXT),
    ("amount", DOUBLE),
    ("currency", TEXT),
)
FINANCE_FX_RATES = _table(
    "finance__fx_rates",
    ("month", "currency"),
    ("month", DATE),
    ("currency", TEXT),
    ("rate", DOUBLE),
)

# --- analytics/ ---------------------------------------------------------------------

ANALYTICS_EVENTS = _table(
    "analytics__events",
    ("event_id",),
    ("event_id", TEXT),
    ("event_type", TEXT),
    ("event_time", TIMESTAMP),
    ("user_key", TEXT),
    ("account_id", TEXT),
    ("app", TEXT),
    ("platform", TEXT),
    ("country", TEXT),
    ("properties_json", TEXT),
)

# Pre-aggregated usage (a generic daily CSV, Pendo feature events): one row per line.
ANALYTICS_DAILY_FEATURE_USAGE = _table(
    "analytics__daily_feature_usage",
    ("_source", "line_number"),
    ("line_number", INT),
    ("usage_date", DATE),
    ("app", TEXT),
    ("feature", TEXT),
    ("account_id", TEXT),
    ("user_key", TEXT),
    ("users", INT),
    ("events", INT),
)

# --- roadmap/ -----------------------------------------------------------------------

ROADMAP_IDEAS = _table(
    "roadmap__ideas",
    ("idea_id",),
    ("idea_id", TEXT),
    ("reference_num", TEXT),
    ("name", TEXT),
    ("product_prefix", TEXT),
    ("product_area", TEXT),
    ("status", TEXT),
    ("created_at", TIMESTAMP),
    ("updated_at", TIMESTAMP),
)
ROADMAP_FEATURES = _table(
    "roadmap__features",
    ("feature_id",),
    ("feature_id", TEXT),
    ("reference_num", TEXT),
    ("name", TEXT),
    ("product_prefix", TEXT),
    ("initiative_ref", TEXT),
    ("status", TEXT),
    ("release_name", TEXT),
    ("release_date", DATE),
    ("category", TEXT),
    ("customer", TEXT),
    ("jira_epic_key", TEXT),
    ("created_at", TIMESTAMP),
    ("updated_at", TIMESTAMP),
)
ROADMAP_HISTORY = _table(
    "roadmap__history",
    ("audit_id", "field"),
    ("audit_id", TEXT),
    ("item_type", TEXT),
    ("item_id", TEXT),
    ("field", TEXT),
    ("from_value", TEXT),
    ("to_value", TEXT),
    ("changed_at", TIMESTAMP),
)

# Every roadmap tool's items in one shape: Productboard, generic exports (ProdPad, Jira
# Product Discovery, spreadsheets) and Aha!'s initiatives, releases and goals.
ROADMAP_ITEMS = _table(
    "roadmap__items",
    ("tool", "item_type", "item_id"),
    ("tool", TEXT),
    ("item_type", TEXT),
    ("item_id", TEXT),
    ("reference", TEXT),
    ("name", TEXT),
    ("product_ref", TEXT),
    ("parent_id", TEXT),
    ("status", TEXT),
    ("release_name", TEXT),
    ("release_date", DATE),
    ("created_at", TIMESTAMP),
    ("updated_at", TIMESTAMP),
)

# --- okrs/ --------------------------------------------------------------------------

OKR_OBJECTIVES = _table(
    "okr__objectives",
    ("objective_id",),
    ("objective_id", TEXT),
    ("title", TEXT),
    ("owner", TEXT),
    ("org_unit", TEXT),
    ("period", TEXT),
    ("period_start", DATE),
    ("period_end", DATE),
    ("parent_objective_id", TEXT),
    ("kind", TEXT),
)
OKR_KEY_RESULTS = _table(
    "okr__key_results",
    ("key_result_id",),
    ("key_result_id", TEXT),
    ("objective_id", TEXT),
    ("title", TEXT),
    ("kr_type", TEXT),
    ("baseline", DOUBLE),
    ("target", DOUBLE),
    ("unit", TEXT),
    ("weight", DOUBLE),
    ("metric_binding", TEXT),
)
OKR_CHECKINS = _table(
    "okr__checkins",
    ("key_result_id", "checkin_date"),
    ("key_result_id", TEXT),
    ("checkin_date", DATE),
    ("value", DOUBLE),
    ("confidence", DOUBLE),
    ("note", TEXT),
)

CATALOG_TABLES: tuple[RawTable, ...] = (
    CATALOG_SETTINGS,
    CATALOG_LOADING_FACTORS,
    CATALOG_TARGET_SHARES,
    CATALOG_PORTFOLIOS,
    CATALOG_PRODUCTS,
    CATALOG_PRODUCT_AREAS,
    CATALOG_PRODUCT_MAPPINGS,
    CATALOG_TEAMS,
    CATALOG_ROLE_FAMILIES,
    CATALOG_STATUS_MAP,
    CATALOG_CATEGORY_RULES,
    CATALOG_FEATURES,
    CATALOG_RND_ACCOUNTS,
)
JIRA_TABLES: tuple[RawTable, ...] = (JIRA_PROJECTS, JIRA_STATUSES, JIRA_ISSUES, JIRA_CHANGELOG)
HR_TABLES: tuple[RawTable, ...] = (HR_EMPLOYEES, HR_COMPENSATION)
FINANCE_TABLES: tuple[RawTable, ...] = (FINANCE_GL_LINES, FINANCE_REVENUE, FINANCE_FX_RATES)
ANALYTICS_TABLES: tuple[RawTable, ...] = (ANALYTICS_EVENTS, ANALYTICS_DAILY_FEATURE_USAGE)
ROADMAP_TABLES: tuple[RawTable, ...] = (ROADMAP_IDEAS, ROADMAP_FEATURES, ROADMAP_HISTORY)
# The roadmap source lands the Aha! tables above plus every tool's items.
ROADMAP_SOURCE_TABLES: tuple[RawTable, ...] = (*ROADMAP_TABLES, ROADMAP_ITEMS)
OKR_TABLES: tuple[RawTable, ...] = (OKR_OBJECTIVES, OKR_KEY_RESULTS, OKR_CHECKINS)
