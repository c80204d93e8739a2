"""truth.json's row counts are what the files hold, counted here with json and csv only."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path
from typing import Any

from demo_recompute import aha_records, load_catalog


def _csv_rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def test_every_raw_table_has_a_row_count(planted: dict[str, Any]) -> None:
    tables = {
        "catalog__settings",
        "catalog__loading_factors",
        "catalog__target_shares",
        "catalog__portfolios",
        "catalog__products",
        "catalog__product_areas",
        "catalog__product_mappings",
        "catalog__teams",
        "catalog__role_families",
        "catalog__status_map",
        "catalog__category_rules",
        "catalog__features",
        "catalog__rnd_accounts",
        "jira__projects",
        "jira__statuses",
        "jira__issues",
        "jira__changelog",
        "hr__employees",
        "hr__compensation",
        "finance__gl_lines",
        "finance__revenue",
        "finance__fx_rates",
        "analytics__events",
        "roadmap__ideas",
        "roadmap__features",
        "roadmap__history",
        "okr__objectives",
        "okr__key_results",
        "okr__checkins",
    }
    assert set(planted["row_counts"]) == tables
    assert all(count > 0 for count in planted["row_counts"].values())


def test_csv_row_counts_match(demo: Path, planted: dict[str, Any]) -> None:
    counts = planted["row_counts"]
    assert counts["hr__employees"] == _csv_rows(demo / "hr" / "headcount.csv")
    assert counts["finance__gl_lines"] == _csv_rows(demo / "finance" / "gl.csv")
    assert counts["finance__revenue"] == _csv_rows(demo / "finance" / "revenue.csv")
    assert counts["finance__fx_rates"] == _csv_rows(demo / "finance" / "fx_rates.csv")
    assert counts["okr__objectives"] == _csv_rows(demo / "okrs" / "objectives.csv")
    assert counts["okr__key_results"] == _csv_rows(demo / "okrs" / "key_results.csv")
    assert counts["okr__checkins"] == _csv_rows(demo / "okrs" / "checkins.csv")


def test_jira_counts_match(issues: list[dict[str, Any]], planted: dict[str, Any]) -> None:
    counts = planted["row_counts"]
    assert counts["jira__issues"] == len(issues) == len({i["id"] for i in issues})
    items = sum(len(h["items"]) for i in issues for h in i["changelog"]["histories"])
    assert counts["jira__changelog"] == items


def test_jira_pages_say_how_many_issues_there_are(demo: Path, issues: list[dict[str, Any]]) -> None:
    pages = sorted((demo / "jira" / "issues").glob("page_*.json.gz"))
    starts = []
    for path in pages:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            page = json.load(handle)
        assert page["total"] == len(issues) and page["maxResults"] == 100
        assert len(page["issues"]) <= 100
        starts.append(page["startAt"])
    assert starts == [100 * n for n in range(len(pages))]


def test_roadmap_counts_match(demo: Path, planted: dict[str, Any]) -> None:
    counts = planted["row_counts"]
    assert counts["roadmap__ideas"] == len(aha_records(demo, "ideas", "ideas"))
    assert counts["roadmap__features"] == len(aha_records(demo, "features", "features"))
    audits = aha_records(demo, "audits", "historical_audits")
    # One history row per audited workflow_status or release change.
    fields = sum(1 for a in audits for f in a["changes"] if f in ("workflow_status", "release"))
    assert counts["roadmap__history"] == fields


def test_analytics_count_matches(demo: Path, planted: dict[str, Any]) -> None:
    lines = 0
    for path in sorted((demo / "analytics" / "amplitude").glob("*.json.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            lines += sum(1 for line in handle if line.strip())
    assert planted["row_counts"]["analytics__events"] == lines
    assert 50_000 <= lines <= 200_000


def test_catalog_counts_match(demo: Path, planted: dict[str, Any]) -> None:
    catalog = load_catalog(demo)
    counts = planted["row_counts"]
    products = [p for pf in catalog["portfolios"] for p in pf["products"]]
    assert counts["catalog__products"] == len(products)
    assert counts["catalog__teams"] == len(catalog["teams"])
    assert counts["catalog__product_mappings"] == sum(
        len(p["jira_projects"]) + len(p["skus"]) + len(p["cost_centres"]) for p in products
    )
    assert counts["catalog__status_map"] == sum(len(m) for m in catalog["statuses"].values())
