"""Amplitude's Export API client against a fake Amplitude on 127.0.0.1.

The fake serves real ZIP archives of gzipped hourly JSON-lines files built here from 300
events over three days (Jan 1-3 2025; Jan 2 has none, so its range answers 404), with a
429 and a 500 injected. Every event must arrive exactly once; a second run must ask only
for the hours after the watermark minus the overlap, and landing both runs (merged by
event id) must equal one full export.
"""

from __future__ import annotations

import base64
import json
import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fake_export_apis import FakeAmplitude

from connectors.amplitude_api import (
    AmplitudeApiConfig,
    AmplitudeClient,
    read_amplitude_api,
    state_path,
)
from connectors.errors import SourceFileError
from connectors.http import HttpError, RetryPolicy
from connectors.pseudonymise import Pseudonymiser
from connectors.registry import ReadContext
from connectors.sources import source

NO_WAIT = RetryPolicy(attempts=3, base_delay=0.0, sleep=lambda _: None)
API_KEY = "amp-project-key"
SECRET = "canary-amplitude-secret-4f1c9e"
JAN1 = datetime(2025, 1, 1)


def _event(n: int, hour: datetime) -> dict[str, Any]:
    return {
        "$insert_id": f"ins-{n:04d}",
        "uuid": f"uuid-{n:04d}",
        "event_type": "Feature Used" if n % 3 else "Session Start",
        "event_time": (hour + timedelta(minutes=n % 60)).strftime("%Y-%m-%d %H:%M:%S.%f"),
        "user_id": f"user-{n % 17}" if n % 5 else None,
        "device_id": f"device-{n % 23}",
        "groups": {"partner": [f"acct-{n % 4}"]},
        "app": 187520,
        "platform": "Web",
        "country": "Germany",
        "event_properties": {"feature": f"f{n % 6}"},
    }


def _events_by_hour() -> dict[datetime, list[dict[str, Any]]]:
    """300 events: 150 spread over Jan 1's hours and 150 over Jan 3's; none on Jan 2.
    Event 7 is sent again an hour later, as Amplitude does when a client retries."""
    by_hour: dict[datetime, list[dict[str, Any]]] = {}
    for n in range(300):
        day = JAN1 if n < 150 else JAN1 + timedelta(days=2)
        hour = day + timedelta(hours=n % 24)
        by_hour.setdefault(hour, []).append(_event(n, hour))
    by_hour[JAN1 + timedelta(hours=8)].append(_event(7, JAN1 + timedelta(hours=7)))
    return by_hour


def _config(base_url: str, last: datetime, **overrides: Any) -> AmplitudeApiConfig:
    return AmplitudeApiConfig(
        api_key=API_KEY,
        secret_key=SECRET,
        start=JAN1,
        base_url=base_url,
        retry=NO_WAIT,
        last_hour=lambda: last,
        **overrides,
    )


def _export_ranges(fake: FakeAmplitude) -> list[tuple[str, str]]:
    ranges = []
    for path in fake.requests:
        query = dict(part.split("=") for part in path.split("?", 1)[1].split("&"))
        ranges.append((query["start"], query["end"]))
    return ranges


def _rows(tables: dict) -> dict[str, dict[str, Any]]:
    rows = tables["analytics__events"].to_pylist()
    return {r["event_id"]: {k: v for k, v in r.items() if k != "_source"} for r in rows}


def test_every_event_arrives_once_through_429_500_and_404(
    tmp_path: Path, pseudonymise: Pseudonymiser
) -> None:
    last = JAN1 + timedelta(days=3) - timedelta(hours=1)  # 2025-01-03T23
    with FakeAmplitude(API_KEY, SECRET, _events_by_hour()) as fake:
        fake.faults = [("start=20250101T00", 429), ("start=20250103T00", 500)]
        tables = read_amplitude_api(_config(fake.base_url, last), pseudonymise, tmp_path)
    events = tables["analytics__events"]
    ids = events.column("event_id").to_pylist()
    assert len(ids) == 300 and sorted(ids) == [f"ins-{n:04d}" for n in range(300)]
    # One day a request; the 429 and the 500 were retried, Jan 2 answered 404 (no data).
    assert _export_ranges(fake) == [
        ("20250101T00", "20250101T23"),
        ("20250101T00", "20250101T23"),
        ("20250102T00", "20250102T23"),
        ("20250103T00", "20250103T23"),
        ("20250103T00", "20250103T23"),
    ]
    row = next(r for r in events.to_pylist() if r["event_id"] == "ins-0001")
    assert row["user_key"] == pseudonymise("user:user-1")
    assert row["account_id"] == "acct-1" and row["event_type"] == "Feature Used"
    assert row["event_time"] == datetime(2025, 1, 1, 1, 1)
    assert json.loads(row["properties_json"]) == {"feature": "f1"}
    # Event 5 has no user id: it is keyed by its device, pseudonymised.
    anonymous = next(r for r in events.to_pylist() if r["event_id"] == "ins-0005")
    assert anonymous["user_key"] == pseudonymise("device:device-5")
    # `_source` names the range and the hour file.
    assert row["_source"].endswith(
        "/api/2/export?start=20250101T00&end=20250101T23!187520/187520_2025-01-01_1#0.json.gz"
    )
    state = json.loads(state_path(tmp_path, _config(fake.base_url, last)).read_text())
    assert state == {"exported_through": "20250103T23"}


def test_second_run_asks_from_watermark_minus_overlap_and_merges_to_the_full_set(
    tmp_path: Path, pseudonymise: Pseudonymiser
) -> None:
    by_hour = _events_by_hour()
    first_last = datetime(2025, 1, 3, 23)
    second_last = datetime(2025, 1, 4, 5)
    with FakeAmplitude(API_KEY, SECRET, by_hour) as fake:
        first = read_amplitude_api(_config(fake.base_url, first_last), pseudonymise, tmp_path)
        # After the first run: a late event uploaded at 22:00 on Jan 3 (inside the
        # overlap) and 12 new events on Jan 4.
        late_hour = datetime(2025, 1, 3, 22)
        by_hour[late_hour].append(_event(900, late_hour))
        for n in range(1000, 1012):
            hour = datetime(2025, 1, 4, n % 6)
            by_hour.setdefault(hour, []).append(_event(n, hour))
        fake.requests.clear()
        # The analytics source, as a refresh calls it: API events plus no files here.
        context = ReadContext(
            sources_dir=tmp_path / "no-files",
            pseudonymise=pseudonymise,
            state_dir=tmp_path,
            amplitude=_config(fake.base_url, second_last),
        )
        second = source("analytics").read(context)
        # Only Jan 3 21:00 (watermark 23:00 + 1 h - 3 h overlap) to Jan 4 05:00.
        assert _export_ranges(fake) == [("20250103T21", "20250104T05")]
        assert second["analytics__daily_feature_usage"].num_rows == 0
        full = read_amplitude_api(
            _config(fake.base_url, second_last), pseudonymise, tmp_path / "fresh"
        )
    second_rows = _rows(second)
    # The overlap re-delivers Jan 3 21-23 h events; every id is new or already landed.
    assert "ins-0900" in second_rows and len(second_rows) == 1 + 12 + 3 * 6
    landed = {**_rows(first), **second_rows}  # merge by event id, as landing does
    assert landed == _rows(full)
    assert len(landed) == 300 + 1 + 12


def test_a_third_run_with_nothing_new_asks_only_the_overlap(
    tmp_path: Path, pseudonymise: Pseudonymiser
) -> None:
    last = datetime(2025, 1, 3, 23)
    with FakeAmplitude(API_KEY, SECRET, _events_by_hour()) as fake:
        read_amplitude_api(_config(fake.base_url, last), pseudonymise, tmp_path)
        fake.requests.clear()
        again = read_amplitude_api(_config(fake.base_url, last), pseudonymise, tmp_path)
    assert _export_ranges(fake) == [("20250103T21", "20250103T23")]
    assert again["analytics__events"].num_rows == 3 * 6


def test_the_secret_key_never_reaches_errors_logs_or_reprs(
    tmp_path: Path, pseudonymise: Pseudonymiser, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    basic = base64.b64encode(f"{API_KEY}:{SECRET}".encode()).decode()
    last = datetime(2025, 1, 1, 23)
    with FakeAmplitude(API_KEY, SECRET, _events_by_hour()) as fake:
        fake.faults = [("start=20250101T00", 500)] * 3
        config = _config(fake.base_url, last)
        with pytest.raises(HttpError) as failure:
            read_amplitude_api(config, pseudonymise, tmp_path)
        shown = [str(failure.value), repr(failure.value), repr(config), caplog.text]
        with AmplitudeClient(config) as client:
            shown.append(repr(client))
    assert "/api/2/export" in str(failure.value) and "HTTP 500" in str(failure.value)
    assert failure.value.attempts == 3
    for text in shown:
        assert SECRET not in text and basic not in text
    # A failed run leaves no watermark: the next one starts over.
    assert not state_path(tmp_path, config).exists()


def test_a_broken_line_names_the_range_hour_file_and_line(
    tmp_path: Path, pseudonymise: Pseudonymiser
) -> None:
    hour = datetime(2025, 1, 1, 4)
    broken = {hour: [_event(1, hour), {**_event(2, hour), "event_time": "yesterday"}]}
    with (
        FakeAmplitude(API_KEY, SECRET, broken) as fake,
        pytest.raises(SourceFileError) as failure,
    ):
        read_amplitude_api(_config(fake.base_url, datetime(2025, 1, 1, 23)), pseudonymise)
    message = str(failure.value)
    assert "start=20250101T00" in message and "187520_2025-01-01_4#0.json.gz" in message
    assert "line 2" in message and "event_time" in message and "yesterday" in message
