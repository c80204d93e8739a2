"""Segment, Mixpanel, Pendo and daily-usage files → the analytics raw tables.

Segment runs on the Segment spec's own examples (../shared/fixtures/real/segment): every
message lands once, traits never land and personal properties are dropped.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from connectors import schemas
from connectors.analytics_sources import read_analytics_folder
from connectors.errors import SourceFileError
from connectors.pseudonymise import Pseudonymiser

EVENTS = schemas.ANALYTICS_EVENTS.name
USAGE = schemas.ANALYTICS_DAILY_FEATURE_USAGE.name


def _segment_messages(folder: Path) -> list[dict]:
    return [
        json.loads(line)
        for path in sorted(folder.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


@pytest.fixture
def segment_sources(tmp_path: Path, real_fixtures: Path) -> Path:
    shutil.copytree(real_fixtures / "segment", tmp_path / "analytics" / "segment")
    return tmp_path


def test_every_segment_spec_example_lands_once(
    segment_sources: Path, pseudonymise: Pseudonymiser
) -> None:
    messages = _segment_messages(segment_sources / "analytics" / "segment")
    assert len(messages) == 12
    events = read_analytics_folder(segment_sources, pseudonymise)[EVENTS]
    assert events.num_rows == len(messages)
    assert len(set(events.column("event_id").to_pylist())) == len(messages)
    kinds = Counter(m["type"] for m in messages)
    landed = Counter(
        "track" if t not in ("page", "screen", "identify", "group") else t
        for t in events.column("event_type").to_pylist()
    )
    assert landed == kinds
    tracked = {m["event"] for m in messages if m["type"] == "track"}
    assert tracked <= set(events.column("event_type").to_pylist())


def test_segment_users_times_and_accounts(
    segment_sources: Path, pseudonymise: Pseudonymiser
) -> None:
    rows = read_analytics_folder(segment_sources, pseudonymise)[EVENTS].to_pylist()
    clicked = next(r for r in rows if r["event_type"] == "Course Clicked")
    assert clicked["event_id"] == "ajs-f8ca1e4de5024d9430b3928bd8ac6b96"
    assert clicked["event_time"] == datetime(2015, 12, 12, 19, 11, 1, 249000)
    signed_up = next(r for r in rows if r["event_type"] == "Signed Up")
    assert signed_up["user_key"] == pseudonymise("user:019mr8mf4r")
    assert signed_up["account_id"] == "acct_123"
    group = next(r for r in rows if r["event_type"] == "group")
    assert group["account_id"] == "0e8c78ea9d97a7b8185e8632"
    # A message without any timestamp (the spec's short examples) has no time.
    assert sum(r["event_time"] is None for r in rows) == 7


def test_no_trait_or_personal_property_of_a_segment_user_lands(
    segment_sources: Path, pseudonymise: Pseudonymiser
) -> None:
    events = read_analytics_folder(segment_sources, pseudonymise)[EVENTS]
    text = json.dumps(events.to_pylist(), default=str)
    for personal in ("Peter Gibbons", "peter@example.com", "pgibbons", "Gibbons", "410-555"):
        assert personal not in text
    signed_up = next(r for r in events.to_pylist() if r["event_type"] == "Signed Up")
    assert json.loads(signed_up["properties_json"]) == {"type": "organic", "title": "Mr"}


def test_mixpanel_export_lines_become_events(
    tmp_path: Path, write_text: Callable[[Path, str], Path], pseudonymise: Pseudonymiser
) -> None:
    lines = [
        {
            "event": "Instant Payout Sent",
            "properties": {
                "time": 1741083072,
                "distinct_id": "u-7",
                "$insert_id": "mp-1",
                "$os": "iOS",
                "mp_country_code": "DE",
                "partner": "acme_bank",
                "amount": 12,
                "$email": "someone@example.com",
            },
        },
        {
            "event": "Feature Enabled",
            "properties": {
                "time": 1741083072123,
                "distinct_id": "$device:d-9",
                "$insert_id": "mp-2",
                "app": "wallet",
                "feature": "instant_payouts",
            },
        },
        {"event": "Repeated", "properties": {"time": 1741083072, "$insert_id": "mp-1"}},
    ]
    write_text(
        tmp_path / "analytics" / "mixpanel" / "payments" / "2025-03.jsonl.gz",
        "".join(json.dumps(line) + "\n" for line in lines),
    )
    rows = read_analytics_folder(tmp_path, pseudonymise)[EVENTS].to_pylist()
    assert [r["event_id"] for r in rows] == ["mp-1", "mp-2"]
    first, second = rows
    assert first["event_time"] == datetime(2025, 3, 4, 10, 11, 12)
    assert second["event_time"] == datetime(2025, 3, 4, 10, 11, 12, 123000)
    assert first["user_key"] == pseudonymise("user:u-7")
    assert second["user_key"] == pseudonymise("device:d-9")
    assert (first["app"], second["app"]) == ("payments", "wallet")
    assert (first["account_id"], first["platform"], first["country"]) == ("acme_bank", "iOS", "DE")
    assert json.loads(first["properties_json"]) == {"amount": 12}
    assert json.loads(second["properties_json"]) == {"feature": "instant_payouts"}


def test_a_bad_mixpanel_time_names_file_line_and_column(
    tmp_path: Path, write_text: Callable[[Path, str], Path], pseudonymise: Pseudonymiser
) -> None:
    good = {"event": "A", "properties": {"time": 1741083072, "$insert_id": "1"}}
    bad = {"event": "B", "properties": {"time": "yesterday", "$insert_id": "2"}}
    write_text(
        tmp_path / "analytics" / "mixpanel" / "e.jsonl", f"{json.dumps(good)}\n{json.dumps(bad)}\n"
    )
    with pytest.raises(SourceFileError) as caught:
        read_analytics_folder(tmp_path, pseudonymise)
    error = caught.value
    assert (error.path, error.line, error.column) == (
        "analytics/mixpanel/e.jsonl",
        2,
        "properties.time",
    )


def test_pendo_and_daily_usage_csvs_land_one_row_per_line(
    tmp_path: Path, write_text: Callable[[Path, str], Path], pseudonymise: Pseudonymiser
) -> None:
    write_text(
        tmp_path / "analytics" / "pendo" / "feature_events.csv",
        "Day,Visitor ID,Account ID,Feature,Number of Events,App\n"
        "2025-03-04,v-1,acme_bank,Instant Payout Sent,3,payments\n"
        "2025-03-04 10:00:00,v-2,beta_bank,Instant Payout Sent,1,payments\n",
    )
    write_text(
        tmp_path / "analytics" / "feature_usage" / "usage.csv",
        "date,app,feature,account_id,users,events\n"
        '2025-03-05,payments,Instant Payout Sent,acme_bank,"1,204",5000\n',
    )
    rows = read_analytics_folder(tmp_path, pseudonymise)[USAGE].to_pylist()
    assert [(r["_source"], r["line_number"]) for r in rows] == [
        ("analytics/pendo/feature_events.csv", 2),
        ("analytics/pendo/feature_events.csv", 3),
        ("analytics/feature_usage/usage.csv", 2),
    ]
    assert [r["usage_date"] for r in rows] == [date(2025, 3, 4), date(2025, 3, 4), date(2025, 3, 5)]
    assert [r["users"] for r in rows] == [1, 1, 1204]
    assert [r["events"] for r in rows] == [3, 1, 5000]
    assert rows[0]["user_key"] == pseudonymise("user:v-1")
    assert rows[2]["user_key"] is None
    assert {r["feature"] for r in rows} == {"Instant Payout Sent"}


def test_a_usage_csv_without_users_names_the_missing_column(
    tmp_path: Path, write_text: Callable[[Path, str], Path], pseudonymise: Pseudonymiser
) -> None:
    write_text(
        tmp_path / "analytics" / "feature_usage" / "u.csv",
        "date,app,feature\n2025-03-05,payments,X\n",
    )
    with pytest.raises(SourceFileError) as caught:
        read_analytics_folder(tmp_path, pseudonymise)
    assert (caught.value.path, caught.value.line, caught.value.column) == (
        "analytics/feature_usage/u.csv",
        1,
        "users",
    )
