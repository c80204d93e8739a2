"""Aha! API pages → roadmap ideas, features and their status/release history."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from connectors import schemas
from connectors.aha import read_aha_folder
from connectors.errors import SourceFileError

PAGINATION = {"total_records": 2, "total_pages": 2, "current_page": 1}
IDEA = {
    "id": "6001",
    "reference_num": "PAY-I-12",
    "name": "Instant payouts to cards",
    "created_at": "2025-01-02T09:00:00.000Z",
    "updated_at": "2025-01-20T09:00:00.000+01:00",
    "workflow_status": {"id": "1", "name": "Under consideration"},
    "categories": [{"id": "9", "name": "payouts"}, {"id": "10", "name": "checkout"}],
    "product": {"reference_prefix": "PAY"},
}
FEATURE = {
    "id": "7001",
    "reference_num": "PAY-12",
    "name": "Card payouts",
    "created_at": "2025-01-05T10:00:00Z",
    "updated_at": "2025-02-01T10:00:00Z",
    "workflow_status": {"name": "In development"},
    "release": {"name": "2025 Q1", "release_date": "2025-03-31"},
    "initiative": {"reference_num": "PAY-S-3"},
    "product": {"reference_prefix": "PAY"},
    "custom_fields": [
        {
            "key": "investment_category",
            "name": "Investment category",
            "value": "customer_commitment",
        },
        {"key": "customer", "name": "Customer", "value": ["acme_bank"]},
    ],
    "integration_fields": [
        {"service_name": "jira", "name": "id", "value": "10002"},
        {"service_name": "jira", "name": "key", "value": "PAY-2"},
    ],
}
AUDITS = [
    {
        "id": "8001",
        "audit_action": "update",
        "created_at": "2025-01-10T08:00:00Z",
        "auditable_type": "Idea",
        "auditable_id": "6001",
        "changes": {"workflow_status": ["Under consideration", "Accepted"]},
    },
    {
        "id": "8002",
        "audit_action": "update",
        "created_at": "2025-02-03T08:00:00+0100",
        "auditable_type": "Feature",
        "auditable_id": "7001",
        "changes": {
            "workflow_status": ["Ready", "In development"],
            "release": [None, "2025 Q1"],
            "name": ["Payouts", "Card payouts"],
        },
    },
    {
        "id": "8003",
        "audit_action": "update",
        "created_at": "2025-02-04T08:00:00Z",
        "auditable_type": "Requirement",
        "auditable_id": "1",
        "changes": {"workflow_status": ["a", "b"]},
    },
]


@pytest.fixture
def aha_dir(tmp_path: Path, write_json: Callable[[Path, Any], Path]) -> Path:
    folder = tmp_path / "roadmap" / "aha"
    write_json(folder / "ideas_page_0001.json", {"ideas": [IDEA], "pagination": PAGINATION})
    second = {**IDEA, "id": "6002", "reference_num": "PAY-I-13", "categories": []}
    write_json(folder / "ideas_page_0002.json.gz", {"ideas": [second], "pagination": PAGINATION})
    write_json(
        folder / "features_page_0001.json", {"features": [FEATURE], "pagination": PAGINATION}
    )
    write_json(
        folder / "audits_page_0001.json", {"historical_audits": AUDITS, "pagination": PAGINATION}
    )
    return tmp_path


def test_tables_have_the_contract_schemas(aha_dir: Path) -> None:
    tables = read_aha_folder(aha_dir)
    for table in schemas.ROADMAP_TABLES:
        assert tables[table.name].schema == table.schema


def test_ideas_from_every_page(aha_dir: Path) -> None:
    ideas = read_aha_folder(aha_dir)["roadmap__ideas"].to_pylist()
    assert ideas[0] == {
        "idea_id": "6001",
        "reference_num": "PAY-I-12",
        "name": "Instant payouts to cards",
        "product_prefix": "PAY",
        "product_area": "payouts",
        "status": "Under consideration",
        "created_at": datetime(2025, 1, 2, 9, 0),
        "updated_at": datetime(2025, 1, 20, 8, 0),
        "_source": "roadmap/aha/ideas_page_0001.json",
    }
    assert (ideas[1]["idea_id"], ideas[1]["product_area"]) == ("6002", None)
    assert ideas[1]["_source"] == "roadmap/aha/ideas_page_0002.json.gz"


def test_features_with_release_category_customer_and_jira_epic(aha_dir: Path) -> None:
    [feature] = read_aha_folder(aha_dir)["roadmap__features"].to_pylist()
    assert feature == {
        "feature_id": "7001",
        "reference_num": "PAY-12",
        "name": "Card payouts",
        "product_prefix": "PAY",
        "initiative_ref": "PAY-S-3",
        "status": "In development",
        "release_name": "2025 Q1",
        "release_date": date(2025, 3, 31),
        "category": "customer_commitment",
        "customer": "acme_bank",
        "jira_epic_key": "PAY-2",
        "created_at": datetime(2025, 1, 5, 10, 0),
        "updated_at": datetime(2025, 2, 1, 10, 0),
        "_source": "roadmap/aha/features_page_0001.json",
    }


def test_history_has_status_and_release_changes_of_ideas_and_features(aha_dir: Path) -> None:
    history = read_aha_folder(aha_dir)["roadmap__history"].to_pylist()
    assert [
        (r["audit_id"], r["item_type"], r["field"], r["from_value"], r["to_value"]) for r in history
    ] == [
        ("8001", "idea", "workflow_status", "Under consideration", "Accepted"),
        ("8002", "feature", "workflow_status", "Ready", "In development"),
        ("8002", "feature", "release", None, "2025 Q1"),
    ]
    assert history[1]["changed_at"] == datetime(2025, 2, 3, 7, 0)
    assert history[0]["item_id"] == "6001"


def test_a_page_of_the_wrong_shape_is_refused(
    tmp_path: Path, write_json: Callable[[Path, Any], Path]
) -> None:
    write_json(tmp_path / "roadmap" / "aha" / "features_page_0001.json", {"ideas": []})
    with pytest.raises(SourceFileError, match="features_page_0001.json.*'features' list"):
        read_aha_folder(tmp_path)


def test_a_bad_release_date_names_the_record(
    tmp_path: Path, write_json: Callable[[Path, Any], Path]
) -> None:
    feature = {**FEATURE, "release": {"name": "2025 Q1", "release_date": "Q1"}}
    write_json(tmp_path / "roadmap" / "aha" / "features_page_0001.json", {"features": [feature]})
    with pytest.raises(SourceFileError) as caught:
        read_aha_folder(tmp_path)
    assert caught.value.column == "features[0].release.release_date"


def test_real_aha_feature_payload(
    real_fixtures: Path, tmp_path: Path, write_json: Callable[[Path, Any], Path]
) -> None:
    """A feature as Aha! really sends it (aha-services' fixture), wrapped into a page."""
    event = json.loads((real_fixtures / "aha" / "update_feature_event.json").read_text())
    write_json(
        tmp_path / "roadmap" / "aha" / "features_page_0001.json",
        {"features": [event["feature"]], "pagination": PAGINATION},
    )
    [row] = read_aha_folder(tmp_path)["roadmap__features"].to_pylist()
    assert (row["feature_id"], row["reference_num"]) == ("5886067808745625353", "PROD-2")
    assert row["product_prefix"] == "PROD"  # no product object: from the reference number
    assert row["release_date"] == date(2014, 6, 6)
    assert row["created_at"] == datetime(2013, 6, 5, 18, 29, 16)
    # Among Jira, Pivotal Tracker, Redmine, Trello and Bugzilla links, the Jira issue key.
    assert row["jira_epic_key"] == "APP-1"
    people = {event["feature"]["created_by_user"][k] for k in ("name", "email")}
    assert not people & {str(v) for v in row.values()}
