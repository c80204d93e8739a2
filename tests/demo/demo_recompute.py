"""Money and effort recomputed from the generated files alone (json, csv, yaml).

An independent reading of the exports, written from seeds/README.md and METRICS.md
without the generator's objects: if it agrees with truth.json, the files really carry
the facts the generator says it planted.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

IN_PROGRESS_MEANING = "in_progress"


def _timestamp(text: str) -> datetime:
    """A Jira or Aha! timestamp as naive UTC."""
    return datetime.fromisoformat(text).astimezone(UTC).replace(tzinfo=None)


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _quarter(month: str) -> str:
    return f"{month[:4]}-Q{(int(month[5:]) - 1) // 3 + 1}"


def load_catalog(root: Path) -> dict[str, Any]:
    """catalog.yml as parsed YAML."""
    return yaml.safe_load((root / "catalog.yml").read_text(encoding="utf-8"))


def fx_rates(root: Path) -> dict[tuple[str, str], float]:
    """(YYYY-MM, currency) -> rate."""
    with (root / "finance" / "fx_rates.csv").open(encoding="utf-8") as handle:
        return {(r["Month"], r["Currency"]): float(r["Rate"]) for r in csv.DictReader(handle)}


def revenue_by_product_month(root: Path) -> dict[str, dict[str, float]]:
    """Σ amount × rate per mapped product and month."""
    catalog, rates = load_catalog(root), fx_rates(root)
    product_of = {
        sku: p["id"] for pf in catalog["portfolios"] for p in pf["products"] for sku in p["skus"]
    }
    result: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    with (root / "finance" / "revenue.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            product = product_of.get(row["SKU"], "__unmapped__")
            result[product][row["Period"]] += (
                float(row["Amount"]) * rates[(row["Period"], row["Currency"])]
            )
    return result


def other_rnd_cost_by_product_month(root: Path) -> dict[str, dict[str, float]]:
    """GL lines on R&D accounts of mapped cost centres, in USD."""
    catalog, rates = load_catalog(root), fx_rates(root)
    product_of = {
        cc: p["id"]
        for pf in catalog["portfolios"]
        for p in pf["products"]
        for cc in p["cost_centres"]
    }
    accounts = set(catalog["rnd_accounts"])
    result: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    with (root / "finance" / "gl.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Account"] not in accounts:
                continue
            month = row["Date"][:7]
            product = product_of.get(row["Cost Center"], "__unmapped__")
            result[product][month] += float(row["Amount"]) * rates[(month, row["Currency"])]
    return result


def employees(root: Path) -> list[dict[str, str]]:
    """hr/headcount.csv rows."""
    with (root / "hr" / "headcount.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _months(first: str, last: str) -> list[date]:
    months, current = [], date(int(first[:4]), int(first[5:7]), 1)
    end = date(int(last[:4]), int(last[5:7]), 1)
    while current <= end:
        months.append(current)
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


def jira_issues(root: Path) -> list[dict[str, Any]]:
    """Every issue of every search page."""
    issues: list[dict[str, Any]] = []
    for path in sorted((root / "jira" / "issues").glob("page_*.json*")):
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as handle:  # type: ignore[operator]
            issues += json.load(handle)["issues"]
    return issues


def aha_records(root: Path, stem: str, key: str) -> list[dict[str, Any]]:
    """Every record of an Aha! page series."""
    records: list[dict[str, Any]] = []
    for path in sorted((root / "roadmap" / "aha").glob(f"{stem}_page_*.json*")):
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as handle:  # type: ignore[operator]
            records += json.load(handle)[key]
    return records


def people_cost(
    root: Path, first_month: str, last_month: str, issues: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Team-default and person-day-allocated cost/FTE-months, straight from the files.

    `issues` are the parsed Jira issues when the caller has them already.
    """
    catalog, rates = load_catalog(root), fx_rates(root)
    settings = catalog["settings"]
    teams = {t["hr_team"]: t for t in catalog["teams"]}
    portfolio_of = {p["id"]: pf["id"] for pf in catalog["portfolios"] for p in pf["products"]}
    product_of_project = {
        k: p["id"]
        for pf in catalog["portfolios"]
        for p in pf["products"]
        for k in p["jira_projects"]
    }
    product_of_prefix = {
        p["aha_prefix"]: p["id"] for pf in catalog["portfolios"] for p in pf["products"]
    }
    in_progress = {s for s, m in catalog["statuses"]["jira"].items() if m == IN_PROGRESS_MEANING}
    type_rules = catalog["categories"]["jira_issue_types"]
    label_rules = catalog["categories"]["jira_labels"]
    fields = json.loads((root / "jira" / "fields.json").read_text(encoding="utf-8"))
    epic_link_ids = [f["id"] for f in fields if f["name"] == "Epic Link"]

    feature_of_epic: dict[str, tuple[str, str | None]] = {}
    for feature in aha_records(root, "features", "features"):
        epic = next(
            (
                i["value"]
                for i in feature["integration_fields"]
                if i["service_name"] == "jira" and i["name"] == "key"
            ),
            None,
        )
        category = next(
            (c["value"] for c in feature["custom_fields"] if c["key"] == "investment_category"),
            None,
        )
        if epic:
            feature_of_epic[epic] = (
                product_of_prefix[feature["product"]["reference_prefix"]],
                category,
            )

    email_of: dict[str, str] = {}
    issues = jira_issues(root) if issues is None else issues
    for issue in issues:
        for person in [issue["fields"].get("assignee"), issue["fields"].get("reporter")] + [
            h["author"] for h in issue["changelog"]["histories"]
        ]:
            if person and person.get("emailAddress"):
                email_of[person["accountId"]] = person["emailAddress"]

    # email -> day -> {issue key: issue}
    busy: dict[str, dict[date, dict[str, dict[str, Any]]]] = defaultdict(lambda: defaultdict(dict))
    for issue in issues:
        f = issue["fields"]
        histories = sorted(issue["changelog"]["histories"], key=lambda h: h["created"])
        # Replay backwards from the current state to the state at creation.
        status = f["status"]["name"]
        assignee = f["assignee"]["accountId"] if f.get("assignee") else None
        for history in reversed(histories):
            for item in reversed(history["items"]):
                if item["field"] == "status":
                    status = item["fromString"]
                elif item["field"] == "assignee":
                    assignee = item["from"]
        since = None
        timeline = [(_timestamp(h["created"]), h["items"]) for h in histories]
        end_of_data = datetime(9999, 1, 1)
        for moment, items in timeline + [(end_of_data, [])]:
            new_status, new_assignee = status, assignee
            for item in items:
                if item["field"] == "status":
                    new_status = item["toString"]
                elif item["field"] == "assignee":
                    new_assignee = item["to"]
            was = status in in_progress and assignee is not None
            now = new_status in in_progress and new_assignee is not None
            if was and (not now or new_assignee != assignee or moment == end_of_data):
                end = min(moment, datetime(2026, 11, 15))
                day = since.date()
                while day <= (end - timedelta(microseconds=1)).date():
                    busy[email_of[assignee]][day][issue["key"]] = issue
                    day += timedelta(days=1)
            if now and (not was or new_assignee != assignee):
                since = moment
            status, assignee = new_status, new_assignee

    def target(issue: dict[str, Any], team: dict[str, Any]) -> tuple[str, str]:
        f = issue["fields"]
        parent = f.get("parent")
        epic = parent["key"] if parent and parent["fields"]["issuetype"]["name"] == "Epic" else None
        for field_id in epic_link_ids:
            epic = epic or f.get(field_id)
        product = product_of_project[f["project"]["key"]]
        category = None
        if epic in feature_of_epic:
            product, category = feature_of_epic[epic]
        if category:
            return product, category
        if f["issuetype"]["name"] in type_rules:
            return product, type_rules[f["issuetype"]["name"]]
        for label in f["labels"]:
            if label in label_rules:
                return product, label_rules[label]
        return product, team["default_category"]

    out: dict[str, Any] = {
        "cost_default": defaultdict(lambda: defaultdict(float)),
        "cost_allocated": defaultdict(lambda: defaultdict(float)),
        "fte_category": defaultdict(lambda: defaultdict(lambda: defaultdict(float))),
    }
    for row in employees(root):
        team = teams[row["Team"]]
        amount, currency = row["Pay Rate"].split()
        salary, fte = float(amount), float(row["FTE"])
        factor = settings["loading_factor_by_location"].get(
            row["Location"], settings["loading_factor"]
        )
        hired = date.fromisoformat(row["Hire Date"])
        left = (
            date.max
            if row["Termination Date"] == "0000-00-00"
            else date.fromisoformat(row["Termination Date"])
        )
        person_busy = busy.get(row["Work Email"], {})
        for month in _months(first_month, last_month):
            nxt = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
            dim = (nxt - month).days
            first, last = max(month, hired), min(nxt - timedelta(days=1), left)
            if first > last:
                continue
            fte_month = fte * ((last - first).days + 1) / dim
            label = _month(month)
            cost = salary / 12 * fte_month * factor * rates[(label, currency)]
            out["cost_default"][team["product"]][label] += cost
            working = [
                first + timedelta(days=d)
                for d in range((last - first).days + 1)
                if (first + timedelta(days=d)).weekday() < 5
            ]
            shares: dict[tuple[str, str], float] = defaultdict(float)
            if not working:
                shares[(team["product"], "unallocated")] = 1.0
            for day in working:
                on_day = person_busy.get(day, {})
                if not on_day:
                    shares[(team["product"], "unallocated")] += 1 / len(working)
                for issue in on_day.values():
                    shares[target(issue, team)] += 1 / len(working) / len(on_day)
            for (product, category), share in shares.items():
                out["cost_allocated"][product][label] += cost * share
                out["fte_category"][portfolio_of[product]][_quarter(label)][category] += (
                    fte_month * share
                )
    return out
