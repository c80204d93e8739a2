"""The demo exports look like what the real tools send, and join the way real ones do."""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from demo_recompute import aha_records, employees, load_catalog

SIZE_BUDGET_BYTES = 18 * 1024 * 1024
JIRA_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000")
AHA_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")


@pytest.fixture(scope="module")
def staff(demo: Path) -> list[dict[str, str]]:
    return employees(demo)


def test_the_demo_company_fits_the_repository_budget(demo: Path) -> None:
    size = sum(p.stat().st_size for p in demo.rglob("*") if p.is_file())
    assert size < SIZE_BUDGET_BYTES, f"{size / 1e6:.1f} MB"


def test_custom_field_ids_each_have_one_name(demo: Path) -> None:
    fields = json.loads((demo / "jira" / "fields.json").read_text(encoding="utf-8"))
    names: dict[str, set[str]] = {}
    for field in fields:
        names.setdefault(field["id"], set()).add(field["name"])
    assert all(len(n) == 1 for n in names.values())
    by_name = {f["name"]: f["id"] for f in fields}
    for needed in ("Story Points", "Story point estimate", "Epic Link", "Sprint"):
        assert by_name[needed].startswith("customfield_")


def test_every_jira_person_is_an_employee(
    issues: list[dict[str, Any]], staff: list[dict[str, str]]
) -> None:
    emails = {row["Work Email"] for row in staff}
    assignees = {
        i["fields"]["assignee"]["emailAddress"] for i in issues if i["fields"].get("assignee")
    }
    assert assignees and assignees <= emails
    known_accounts = {
        i["fields"]["assignee"]["accountId"] for i in issues if i["fields"].get("assignee")
    }
    known_accounts |= {
        h["author"]["accountId"]
        for i in issues
        for h in i["changelog"]["histories"]
        if h["author"].get("emailAddress")
    }
    changelog_people = {
        value
        for i in issues
        for h in i["changelog"]["histories"]
        for item in h["items"]
        if item["field"] == "assignee"
        for value in (item["from"], item["to"])
        if value
    }
    # A changelog names people by account id only; each one can be traced to an e-mail.
    assert changelog_people <= known_accounts


def test_hr_has_mid_month_hires_and_leavers_and_part_timers(
    staff: list[dict[str, str]], planted: dict[str, Any]
) -> None:
    start = date.fromisoformat(planted["history_start"])

    def mid_month(text: str) -> bool:
        day = date.fromisoformat(text)
        return day >= start and day.day not in (1, 28, 29, 30, 31)

    assert sum(mid_month(r["Hire Date"]) for r in staff) >= 20
    leavers = [r for r in staff if r["Termination Date"] != "0000-00-00"]
    assert sum(mid_month(r["Termination Date"]) for r in leavers) >= 20
    assert {"0.5", "0.8", "1"} <= {r["FTE"] for r in staff}
    assert {r["Pay Rate"].split()[1] for r in staff} == {"USD", "EUR", "GBP"}
    assert all(re.fullmatch(r"\d+\.\d{2} [A-Z]{3}", r["Pay Rate"]) for r in staff)
    numbers = {r["Employee #"] for r in staff}
    assert {r["Reports To"] for r in staff if r["Reports To"]} <= numbers


def test_every_job_title_and_team_is_in_the_catalog(
    demo: Path, staff: list[dict[str, str]]
) -> None:
    catalog = load_catalog(demo)
    assert {r["Job Title"] for r in staff} <= set(catalog["role_families"])
    assert {r["Team"] for r in staff} <= {t["hr_team"] for t in catalog["teams"]}
    assert len({r["Location"] for r in staff}) >= 4
    assert set(catalog["settings"]["loading_factor_by_location"]) <= {r["Location"] for r in staff}


def test_jira_uses_both_epic_link_styles_and_real_histories(issues: list[dict[str, Any]]) -> None:
    by_parent = [i for i in issues if i["fields"].get("parent")]
    by_link = [i for i in issues if i["fields"].get("customfield_10014")]
    assert by_parent and by_link
    transitions = Counter(
        (item["fromString"], item["toString"])
        for i in issues
        for h in i["changelog"]["histories"]
        for item in h["items"]
        if item["field"] == "status"
    )
    assert transitions[("Done", "In Progress")] > 0  # reopened
    assert transitions[("In Progress", "In Review")] > 0
    assert transitions[("In Progress", "Won't Do")] > 0
    fields = Counter(
        item["field"] for i in issues for h in i["changelog"]["histories"] for item in h["items"]
    )
    assert fields["assignee"] > 0 and fields["Epic Link"] > 0
    assert fields["IssueParentAssociation"] > 0
    labels = Counter(label for i in issues for label in i["fields"]["labels"])
    assert labels["customer-commitment"] > 0 and labels["tech-debt"] > 0
    assert {i["fields"]["issuetype"]["name"] for i in issues} == {"Epic", "Story", "Task", "Bug"}
    stamps = [i["fields"]["created"] for i in issues[:500]] + [
        h["created"] for i in issues[:500] for h in i["changelog"]["histories"]
    ]
    assert all(JIRA_TIMESTAMP.fullmatch(s) for s in stamps)


def test_every_feature_links_an_existing_epic(demo: Path, issues: list[dict[str, Any]]) -> None:
    epics = {i["key"] for i in issues if i["fields"]["issuetype"]["name"] == "Epic"}
    features = aha_records(demo, "features", "features")
    linked = [
        next(
            f["value"]
            for f in feature["integration_fields"]
            if f["service_name"] == "jira" and f["name"] == "key"
        )
        for feature in features
    ]
    assert sorted(linked) == sorted(epics)
    assert all(re.fullmatch(r"\d{4} Q[1-4]", f["release"]["name"]) for f in features)
    assert all(AHA_TIMESTAMP.fullmatch(f["created_at"]) for f in features)


def test_roadmap_history_has_decisions_slips_and_reversals(
    demo: Path, planted: dict[str, Any]
) -> None:
    audits = aha_records(demo, "audits", "historical_audits")
    status_moves = Counter(
        tuple(a["changes"]["workflow_status"]) for a in audits if "workflow_status" in a["changes"]
    )
    assert status_moves[("New", "Accepted")] + status_moves[("Under consideration", "Accepted")]
    assert status_moves[("Accepted", "Declined")] + status_moves[("Declined", "Accepted")] > 0
    slips = [
        a
        for a in audits
        if a["auditable_type"] == "Feature"
        and "release" in a["changes"]
        and a["changes"]["release"][0] is not None
    ]
    assert slips
    assert planted["reversed_ideas"]


def test_analytics_events_have_the_export_fields(demo: Path, planted: dict[str, Any]) -> None:
    catalog = load_catalog(demo)
    apps = {p["analytics_app"] for pf in catalog["portfolios"] for p in pf["products"]}
    feature_of = {f["event_type"]: f["id"] for f in catalog["features"]}
    path = demo / "analytics" / "amplitude" / "events_2026-10.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        events = [json.loads(line) for line in handle]
    for event in events[:1000]:
        assert {
            "$insert_id",
            "event_type",
            "event_time",
            "user_id",
            "device_id",
            "app",
            "platform",
            "country",
            "groups",
            "event_properties",
            "user_properties",
        } <= set(event)
        assert event["app"] in apps and event["event_time"].startswith("2026-10-")
    enables = [e for e in events if e["event_type"] == "Feature Enabled"]
    used = {feature_of[e["event_type"]] for e in events if e["event_type"] in feature_of}
    assert used and all(e["event_properties"]["feature"] in feature_of.values() for e in enables)
    assert [e["event_time"] for e in events] == sorted(e["event_time"] for e in events)


def test_key_results_cover_every_type(demo: Path) -> None:
    with (demo / "okrs" / "key_results.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["kr_type"] for r in rows} == {
        "increase_to",
        "decrease_to",
        "keep_above",
        "keep_below",
        "milestone",
    }
    assert any(r["metric_binding"] for r in rows)
    with (demo / "okrs" / "objectives.csv").open(encoding="utf-8") as handle:
        objectives = list(csv.DictReader(handle))
    assert any(o["parent_objective_id"] for o in objectives)
    assert {o["kind"] for o in objectives} == {"committed", "aspirational"}
