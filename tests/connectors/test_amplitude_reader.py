"""Amplitude export files → analytics__events, streamed, with users pseudonymised."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from connectors import schemas
from connectors.amplitude import read_amplitude_folder
from connectors.errors import SourceFileError
from connectors.pseudonymise import Pseudonymiser


def _event(insert_id: str, **overrides: Any) -> dict[str, Any]:
    event = {
        "$insert_id": insert_id,
        "event_type": "Instant Payout Sent",
        "event_time": "2025-03-04 10:11:12.345000",
        "user_id": "u-1",
        "device_id": "d-1",
        "app": "payments",
        "platform": "iOS",
        "country": "Germany",
        "groups": {"partner": "acme_bank"},
        "event_properties": {"amount": 10, "currency": "EUR"},
        "user_properties": {"email": "someone@example.com"},
    }
    event.update(overrides)
    return event


def _lines(*events: dict[str, Any]) -> str:
    return "".join(json.dumps(e) + "\n" for e in events)


@pytest.fixture
def amplitude_dir(tmp_path: Path, write_text: Callable[[Path, str], Path]) -> Path:
    folder = tmp_path / "analytics" / "amplitude"
    write_text(
        folder / "2025-03.json.gz",
        _lines(
            _event("e1"),
            _event("e2", user_id=None, device_id="d-9", groups={"partner": ["beta_bank", "x"]}),
            _event(
                "e3",
                event_type="Feature Enabled",
                event_properties={"feature": "instant_payouts"},
                event_time="2025-03-31 23:59:59.000000",
                groups={},
            ),
        ),
    )
    write_text(folder / "2025-04.jsonl", "\n" + _lines(_event("e4", user_id="u-2"), _event("e1")))
    return tmp_path


def test_events_land_with_the_contract_schema(
    amplitude_dir: Path, pseudonymise: Pseudonymiser
) -> None:
    table = read_amplitude_folder(amplitude_dir, pseudonymise)["analytics__events"]
    assert table.schema == schemas.ANALYTICS_EVENTS.schema
    first = table.to_pylist()[0]
    assert first == {
        "event_id": "e1",
        "event_type": "Instant Payout Sent",
        "event_time": datetime(2025, 3, 4, 10, 11, 12, 345000),
        "user_key": pseudonymise("user:u-1"),
        "account_id": "acme_bank",
        "app": "payments",
        "platform": "iOS",
        "country": "Germany",
        "properties_json": '{"amount": 10, "currency": "EUR"}',
        "_source": "analytics/amplitude/2025-03.json.gz",
    }


def test_users_accounts_and_properties(amplitude_dir: Path, pseudonymise: Pseudonymiser) -> None:
    rows = {
        r["event_id"]: r
        for r in read_amplitude_folder(amplitude_dir, pseudonymise)["analytics__events"].to_pylist()
    }
    assert rows["e2"]["user_key"] == pseudonymise("device:d-9")  # anonymous: the device
    assert rows["e2"]["account_id"] == "beta_bank"  # first of a list of groups
    assert rows["e3"]["account_id"] is None
    assert json.loads(rows["e3"]["properties_json"]) == {"feature": "instant_payouts"}
    assert rows["e4"]["_source"] == "analytics/amplitude/2025-04.jsonl"
    assert "example.com" not in json.dumps(list(rows.values()), default=str)


def test_a_repeated_insert_id_is_kept_once(
    amplitude_dir: Path, pseudonymise: Pseudonymiser
) -> None:
    table = read_amplitude_folder(amplitude_dir, pseudonymise)["analytics__events"]
    assert sorted(table.column("event_id").to_pylist()) == ["e1", "e2", "e3", "e4"]


def test_many_events_are_built_in_batches(
    tmp_path: Path, write_text: Callable[[Path, str], Path], pseudonymise: Pseudonymiser
) -> None:
    write_text(
        tmp_path / "analytics" / "amplitude" / "big.json.gz",
        _lines(*(_event(f"e{i}", user_id=f"u{i % 7}") for i in range(1000))),
    )
    table = read_amplitude_folder(tmp_path, pseudonymise, batch_rows=64)["analytics__events"]
    assert table.num_rows == 1000
    assert table.column("event_id").num_chunks == 16  # 15 full batches of 64 and one of 40
    assert len(set(table.column("user_key").to_pylist())) == 7


def test_a_broken_line_names_file_and_line(
    tmp_path: Path, write_text: Callable[[Path, str], Path], pseudonymise: Pseudonymiser
) -> None:
    write_text(
        tmp_path / "analytics" / "amplitude" / "2025-03.json.gz",
        _lines(_event("e1")) + '{"$insert_id": "e2", \n',
    )
    with pytest.raises(SourceFileError) as caught:
        read_amplitude_folder(tmp_path, pseudonymise)
    assert (caught.value.path, caught.value.line) == ("analytics/amplitude/2025-03.json.gz", 2)


def test_an_event_without_time_is_refused(
    tmp_path: Path, write_text: Callable[[Path, str], Path], pseudonymise: Pseudonymiser
) -> None:
    write_text(
        tmp_path / "analytics" / "amplitude" / "a.jsonl",
        _lines(_event("e1"), _event("e2", event_time="03/04/2025")),
    )
    with pytest.raises(SourceFileError, match="line 2, column 'event_time': expected a timestamp"):
        read_amplitude_folder(tmp_path, pseudonymise)


def test_no_files_give_an_empty_table(tmp_path: Path, pseudonymise: Pseudonymiser) -> None:
    table = read_amplitude_folder(tmp_path, pseudonymise)["analytics__events"]
    assert (table.num_rows, table.schema) == (0, schemas.ANALYTICS_EVENTS.schema)


def test_a_file_that_is_not_gzip_is_named(tmp_path: Path, pseudonymise: Pseudonymiser) -> None:
    path = tmp_path / "analytics" / "amplitude" / "2025-03.json.gz"
    path.parent.mkdir(parents=True)
    path.write_text('{"$insert_id": "e1"}\n')  # a plain file with a .gz name
    with pytest.raises(SourceFileError, match="2025-03.json.gz, line 1: expected a readable file"):
        read_amplitude_folder(tmp_path, pseudonymise)
