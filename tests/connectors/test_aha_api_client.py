"""The Aha! API client against a fake Aha! on 127.0.0.1: paging, 429, 5xx, real payloads.

The features and releases served are Aha!'s own payloads (`../shared/fixtures/real/aha/`,
from aha-services): the same feature PROD-2 arrives three times (created, assigned,
updated) and release OPS-R-1 twice, as an API re-paging while data changes would list
them; each must land once.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from fake_roadmap_apis import FakeRoadmapApi

from connectors.aha_api import AhaApiConfig, read_aha_api
from connectors.errors import SourceFileError
from connectors.http import HttpError, RetryPolicy

NO_WAIT = RetryPolicy(attempts=4, base_delay=0.0, sleep=lambda _: None)
IDEAS = [
    {
        "id": str(100 + n),
        "reference_num": f"PAY-I-{n}",
        "name": f"Idea {n}",
        "created_at": f"2025-01-0{n}T09:00:00Z",
        "updated_at": "2025-02-01T09:00:00+0100",
        "workflow_status": {"name": "Accepted" if n % 2 else "New"},
        "categories": [{"name": "checkout"}],
        "product": {"reference_prefix": "PAY"},
    }
    for n in range(1, 6)
]
INITIATIVES = [
    {
        "id": "900",
        "reference_num": "PAY-S-1",
        "name": "Instant payouts",
        "workflow_status": {"name": "Under consideration"},
        "created_at": "2025-01-02T00:00:00Z",
    }
]
GOALS = [{"id": "700", "reference_num": "PAY-G-1", "name": "Grow payouts"}]
AUDITS = [
    {
        "id": "a1",
        "auditable_type": "Idea",
        "auditable_id": "101",
        "created_at": "2025-01-20T10:00:00Z",
        "changes": {"workflow_status": ["New", "Accepted"]},
    },
    {
        "id": "a2",
        "auditable_type": "Feature",
        "auditable_id": "5886067808745625353",
        "created_at": "2025-01-21T10:00:00Z",
        "changes": {"release": ["Spring", "Summer"], "name": ["a", "b"]},
    },
    {
        "id": "a3",
        "auditable_type": "Release",
        "auditable_id": "5811270231731728292",
        "created_at": "2025-01-22T10:00:00Z",
        "changes": {"workflow_status": ["New", "Shipped"]},
    },
]


def _real(real_fixtures: Path, name: str, key: str) -> dict:
    return json.loads((real_fixtures / "aha" / f"{name}.json").read_text())[key]


@pytest.fixture
def collections(real_fixtures: Path) -> dict[str, list[dict]]:
    features = [
        _real(real_fixtures, name, "feature")
        for name in (
            "create_feature_event",
            "create_feature_event_assignee",
            "update_feature_event",
        )
    ]
    releases = [
        _real(real_fixtures, name, "release")
        for name in ("create_release_event", "update_release_event")
    ]
    return {
        "ideas": IDEAS,
        "features": features,
        "initiatives": INITIATIVES,
        "releases": releases,
        "goals": GOALS,
        "historical_audits": AUDITS,
    }


def test_every_record_lands_once_through_pages_429_and_5xx(collections) -> None:
    with FakeRoadmapApi("aha", collections, page_size=2) as fake:
        fake.faults = [("/ideas?", 429), ("/features?", 500), ("/historical_audits?", 503)]
        config = AhaApiConfig(fake.base_url, "secret-token", retry=NO_WAIT)
        tables = read_aha_api(config)
    assert sorted(tables["roadmap__ideas"].column("idea_id").to_pylist()) == [
        "101",
        "102",
        "103",
        "104",
        "105",
    ]
    assert tables["roadmap__features"].column("feature_id").to_pylist() == ["5886067808745625353"]
    items = {
        (row["item_type"], row["item_id"]): row for row in tables["roadmap__items"].to_pylist()
    }
    assert set(items) == {
        ("initiative", "900"),
        ("release", "5811270231731728292"),
        ("goal", "700"),
    }
    # Ideas: 3 pages of 2; every page served exactly once although the first try failed.
    idea_pages = [position for path, position in fake.served if path == "/api/v1/ideas"]
    assert sorted(idea_pages) == [1, 2, 3]
    assert len(fake.faults) == 0
    # Only idea and feature audits are history; the feature audit keeps the release change.
    history = sorted(
        (r["audit_id"], r["field"], r["from_value"], r["to_value"])
        for r in tables["roadmap__history"].to_pylist()
    )
    assert history == [
        ("a1", "workflow_status", "New", "Accepted"),
        ("a2", "release", "Spring", "Summer"),
    ]


def test_real_feature_and_release_payloads_parse(collections) -> None:
    with FakeRoadmapApi("aha", collections, page_size=2) as fake:
        tables = read_aha_api(AhaApiConfig(fake.base_url, "secret-token", retry=NO_WAIT))
    feature = tables["roadmap__features"].to_pylist()[0]
    assert feature["reference_num"] == "PROD-2"
    assert feature["product_prefix"] == "PROD"  # from the reference: no product object
    assert feature["status"] == "Ready to develop"
    assert feature["release_name"] == "Summer"
    assert feature["release_date"] == date(2014, 6, 6)
    assert feature["jira_epic_key"] == "APP-1"
    assert feature["created_at"] == datetime(2013, 6, 5, 18, 29, 16)
    release = next(r for r in tables["roadmap__items"].to_pylist() if r["item_type"] == "release")
    assert (release["tool"], release["reference"], release["product_ref"]) == (
        "aha",
        "OPS-R-1",
        "OPS",
    )
    assert release["release_date"] == date(2013, 1, 28)
    assert release["status"] == "Ready to develop"
    # The payloads carry a person's name and e-mail (created_by_user); neither lands.
    landed = json.dumps([t.to_pylist() for t in tables.values()], default=str)
    assert "@" not in landed


def test_product_scope_reads_each_product_and_audits_once(collections) -> None:
    per_product = {**collections}
    with FakeRoadmapApi("aha", per_product, page_size=10) as fake:
        config = AhaApiConfig(
            fake.base_url, "secret-token", products=("PAY", "CARD"), retry=NO_WAIT
        )
        read_aha_api(config)
    paths = [path.split("?")[0] for path in fake.requests]
    assert paths.count("/api/v1/products/PAY/ideas") == 1
    assert paths.count("/api/v1/products/CARD/features") == 1
    assert paths.count("/api/v1/historical_audits") == 1
    assert "/api/v1/ideas" not in paths


def test_persistent_5xx_fails_naming_the_url_without_the_token(collections) -> None:
    with FakeRoadmapApi("aha", collections) as fake:
        fake.faults = [("/ideas?", 500)] * 4
        with pytest.raises(HttpError) as failure:
            read_aha_api(AhaApiConfig(fake.base_url, "secret-token", retry=NO_WAIT))
    assert "/api/v1/ideas" in str(failure.value) and "HTTP 500" in str(failure.value)
    assert "secret-token" not in str(failure.value)
    assert "secret-token" not in repr(AhaApiConfig("acme", "secret-token"))


def test_a_bad_timestamp_names_the_url_record_and_field(collections) -> None:
    broken = {**collections, "ideas": [{**IDEAS[0], "created_at": "05/01/2025"}]}
    with FakeRoadmapApi("aha", broken) as fake, pytest.raises(SourceFileError) as failure:
        read_aha_api(AhaApiConfig(fake.base_url, "secret-token", retry=NO_WAIT))
    message = str(failure.value)
    assert "/api/v1/ideas" in message and "ideas[0].created_at" in message
    assert "05/01/2025" in message
