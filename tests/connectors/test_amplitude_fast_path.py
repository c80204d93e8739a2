"""The DuckDB reader of Amplitude files builds exactly the Python reader's table.

Both readers read the same folders (the demo company's events and hand-made hostile
files) and the tables are compared row for row; malformed files fail with the same
error. The report says which rows SQL built, so the fast path is shown to be taken.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from connectors import schemas
from connectors.amplitude import AMPLITUDE_DIR, amplitude_files, read_amplitude_folder
from connectors.amplitude_duckdb import _first_occurrences, _Part, read_with_report
from connectors.analytics_sources import read_analytics_folder
from connectors.errors import SourceFileError
from connectors.pseudonymise import Pseudonymiser
from connectors.spilled import SpilledTable

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _both(sources_dir: Path, pseudonymise: Pseudonymiser) -> tuple[pa.Table, pa.Table, Any]:
    """(DuckDB table, Python table, report) for every Amplitude file under sources_dir."""
    files = amplitude_files(sources_dir / AMPLITUDE_DIR)
    fast, report = read_with_report(files, sources_dir, pseudonymise)
    slow = read_amplitude_folder(sources_dir, pseudonymise)[schemas.ANALYTICS_EVENTS.name]
    return fast, slow, report


def _assert_same_rows(fast: pa.Table, slow: pa.Table) -> None:
    assert fast.schema == slow.schema == schemas.ANALYTICS_EVENTS.schema
    assert fast.num_rows == slow.num_rows
    for number, (got, want) in enumerate(zip(fast.to_pylist(), slow.to_pylist(), strict=True)):
        assert got == want, f"row {number}"


def _event(insert_id: str | None, **fields: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "$insert_id": insert_id,
        "event_type": "Screen Viewed",
        "event_time": "2025-03-04 10:11:12.345000",
        "user_id": "u-1",
        "device_id": "d-1",
        "app": "payments",
        "platform": "iOS",
        "country": "DE",
        "groups": {"partner": "acme_bank"},
        "event_properties": {"screen": "Home"},
        "user_properties": {"email": "someone@example.com"},
    }
    if insert_id is None:
        del event["$insert_id"]
    event.update(fields)
    return event


def _lines(events: list[Any], newline: str = "\n") -> str:
    return "".join(
        (e if isinstance(e, str) else json.dumps(e, ensure_ascii=False)) + newline for e in events
    )


PERSONAL_SPELLINGS = {
    "email": "a",
    "Email Address": "b",
    "$first_name": "c",
    "first-name": "d",
    "Last_Name": "e",
    "Phone Number": "f",
    "ip": "g",
    "NAME": "h",
    "user name": "i",
    "E\u00a0mail": "j",  # a no-break space is a blank to Python's \s as well
    "plan": "kept",
}

# Each event tries one way SQL could differ from Python; ids say which.
HOSTILE_A = [
    _event("plain"),
    _event("no-props", event_properties=None),
    _event("empty-props", event_properties={}),
    _event("list-props", event_properties=[]),
    _event("list-props-full", event_properties=[1, "x"]),
    _event("text-props", event_properties="text"),
    _event("personal", event_properties=PERSONAL_SPELLINGS),
    _event("personal-one", event_properties={"Email": "x"}),
    _event(
        "personal-ascii",
        event_properties={"Phone Number": "1", "$first_name": "c", "first-name": "d", "plan": "p"},
    ),
    _event("email-value", event_properties={"contact": " someone@example.com ", "at": "a @ b"}),
    _event("email-not", event_properties={"handle": "a@b"}),
    _event("unicode", event_properties={"größe": "Café ☕ 日本 😀", "line": "a\u2028b"}),
    _event("unicode-value", event_properties={"screen": "Café ☕ 日本 😀 \u2028 \x7f"}),
    _event("nested", event_properties={"cart": {"z": 1, "a": [1, {"y": None, "b": 2}]}}),
    _event(
        "numbers",
        event_properties={
            "int": 1,
            "neg": -7,
            "zero": 0,
            "float": 1.5,
            "big_float": 1e20,
            "ten": 10.0,
            "tiny": 1e-7,
            "huge_int": 12345678901234567890123,
            "yes": True,
            "no": False,
            "nothing": None,
        },
    ),
    _event("not-finite", event_properties={"n": float("nan"), "i": float("inf")}),
    (
        '{"$insert_id": "huge-exponent", "event_time": "2025-03-04 10:11:12", '
        '"event_properties": {"x": 1e400, "y": -0}}'
    ),
    _event("ints", event_properties={"b": 2, "a": -3, "c": 12345678901234567890123}),
    _event("flags", event_properties={"on": True, "off": False, "none": None}),
    _event("escapes", event_properties={"q": 'say "hi"', "b": "back\\slash", "t": "tab\tend"}),
    _event("control", event_properties={"c": "\x01\x1f"}),
    _event("key-order", event_properties={"b": "1", "B": "2", "_x": "3", "a.b": "4", "$c": "5"}),
    _event("empty-key", event_properties={"": "blank"}),
    _event("device-only", user_id=None, device_id="d-9"),
    _event("empty-user", user_id="", device_id="d-8"),
    _event("nobody", user_id=None, device_id=None),
    _event("spaced-user", user_id=" u 1 "),
    _event(None, uuid="uuid-only"),
    _event("", uuid="empty-insert-id"),
    _event("dup-in-file", event_type="first"),
    _event("dup-in-file", event_type="second"),
    _event("groups-empty", groups={}),
    _event("groups-list", groups={"partner": ["beta_bank", "x"]}),
    _event("groups-empty-list", groups={"partner": []}),
    _event("groups-null", groups={"partner": None}),
    _event("groups-blank", groups={"partner": ""}),
    _event("groups-text", groups="acme"),
    _event("groups-more", groups={"partner": "p", "org": "o"}),
    _event("groups-number", groups={"partner": 5}),
    _event("groups-missing", groups={"org": "o"}),
    _event("time-z", event_time="2025-03-04T10:11:12.345Z"),
    _event("time-offset", event_time="2025-03-04T10:11:12+02:00"),
    _event("time-seconds", event_time="2025-03-04 10:11:12"),
    _event("time-millis", event_time="2025-03-04T10:11:12.345"),
    _event("time-padded", event_time=" 2025-03-04 10:11:12 "),
    _event("time-1-digit", event_time="2025-03-04 10:11:12.5"),
    _event("number-type", event_type=5, app=True, platform=1.5, country=None),
    _event("blank-platform", platform=""),
    _event("ext", country="Ünïcode"),
    "",
    "   ",
]
HOSTILE_B = [
    _event("dup-in-file", event_type="third"),  # an earlier file already had it
    _event("plain", event_type="again"),
    _event("b-own", user_id=None, device_id="d-9"),
]


@pytest.fixture
def hostile_dir(tmp_path: Path, write_text: Callable[[Path, str], Path]) -> Path:
    folder = tmp_path / "analytics" / "amplitude"
    write_text(folder / "a_2025-03.json.gz", _lines(HOSTILE_A))
    write_text(folder / "b_2025-04.jsonl", _lines(HOSTILE_B, newline="\r\n"))
    write_text(folder / "c_2025-05.jsonl.gz", _lines([_event("plain"), _event("c-own")]))
    # A byte-order mark: DuckDB refuses the file, the Python reader reads it.
    bom = folder / "d_2025-06.jsonl"
    bom.write_bytes(b"\xef\xbb\xbf" + _lines([_event("bom-1"), _event("dup-in-file")]).encode())
    # Old Mac line ends: Python splits lines on a lone CR, DuckDB refuses the file.
    write_text(folder / "e_2025-07.jsonl", _lines([_event("cr-1"), _event("cr-2")], newline="\r"))
    return tmp_path


def test_the_demo_events_are_the_same_and_all_built_by_sql(pseudonymise: Pseudonymiser) -> None:
    fast, slow, report = _both(SEEDS, pseudonymise)
    _assert_same_rows(fast, slow)
    assert fast.num_rows == 91_033
    assert (report.sql_rows, report.python_rows, report.python_files) == (91_033, 0, [])


def test_hostile_files_are_the_same_row_for_row(
    hostile_dir: Path, pseudonymise: Pseudonymiser
) -> None:
    fast, slow, report = _both(hostile_dir, pseudonymise)
    _assert_same_rows(fast, slow)
    # Every path was taken: SQL rows, `event_row` rows and two files read by Python
    # (58 rows read: 27 by SQL, 27 by `event_row`, 4 in the Python files).
    assert (report.sql_rows, report.python_rows) == (27, 31)
    assert report.python_files == [
        "analytics/amplitude/d_2025-06.jsonl",
        "analytics/amplitude/e_2025-07.jsonl",
    ]
    # File a: 49 events (and two blank lines), dup-in-file twice; b, c and d add one
    # own event each and repeat dup-in-file (b, d) and plain (b, c); e adds two.
    assert report.repeated_ids_dropped == 1 + 2 + 1 + 1
    assert fast.num_rows == 48 + 1 + 1 + 1 + 2


def test_what_lands_from_the_hostile_files(hostile_dir: Path, pseudonymise: Pseudonymiser) -> None:
    fast, _, _ = _both(hostile_dir, pseudonymise)
    rows = {row["event_id"]: row for row in fast.to_pylist()}
    assert json.loads(rows["personal"]["properties_json"]) == {"plan": "kept"}
    assert rows["personal-one"]["properties_json"] == "{}"
    assert rows["personal-ascii"]["properties_json"] == '{"plan": "p"}'
    assert json.loads(rows["email-value"]["properties_json"]) == {"at": "a @ b"}
    assert rows["email-not"]["properties_json"] == '{"handle": "a@b"}'
    assert rows["key-order"]["properties_json"] == (
        '{"$c": "5", "B": "2", "_x": "3", "a.b": "4", "b": "1"}'
    )
    assert rows["ints"]["properties_json"] == '{"a": -3, "b": 2, "c": 12345678901234567890123}'
    assert rows["unicode"]["properties_json"] == '{"größe": "Café ☕ 日本 😀", "line": "a\u2028b"}'
    assert "example.com" not in json.dumps(list(rows.values()), default=str)
    assert rows["dup-in-file"]["event_type"] == "first"  # the first line of the first file
    assert rows["plain"]["_source"] == "analytics/amplitude/a_2025-03.json.gz"
    assert rows["device-only"]["user_key"] == pseudonymise("device:d-9")
    assert rows["b-own"]["user_key"] == pseudonymise("device:d-9")
    assert rows["empty-user"]["user_key"] == pseudonymise("device:d-8")
    assert rows["nobody"]["user_key"] is None
    assert rows["spaced-user"]["user_key"] == pseudonymise("user: u 1 ")
    assert rows["uuid-only"]["account_id"] == "acme_bank"
    assert rows["groups-list"]["account_id"] == "beta_bank"
    assert rows["groups-number"]["account_id"] == "5"
    assert rows["bom-1"]["_source"] == "analytics/amplitude/d_2025-06.jsonl"
    assert str(rows["time-offset"]["event_time"]) == "2025-03-04 08:11:12"
    assert rows["not-finite"]["properties_json"] == '{"i": Infinity, "n": NaN}'
    assert rows["huge-exponent"]["properties_json"] == '{"x": Infinity, "y": 0}'


def test_the_analytics_source_uses_it_and_honours_wanted(
    hostile_dir: Path, pseudonymise: Pseudonymiser
) -> None:
    events = read_analytics_folder(hostile_dir, pseudonymise)["analytics__events"]
    _assert_same_rows(events, read_amplitude_folder(hostile_dir, pseudonymise)["analytics__events"])

    def only_b(paths: list[Path]) -> list[Path]:
        return [p for p in paths if p.name.startswith("b_")]

    narrowed = read_analytics_folder(hostile_dir, pseudonymise, only_b)["analytics__events"]
    _assert_same_rows(
        narrowed,
        read_amplitude_folder(hostile_dir, pseudonymise, wanted=only_b)["analytics__events"],
    )
    assert sorted(narrowed.column("event_id").to_pylist()) == ["b-own", "dup-in-file", "plain"]


def test_no_files_give_an_empty_table(tmp_path: Path, pseudonymise: Pseudonymiser) -> None:
    table, report = read_with_report([], tmp_path, pseudonymise)
    assert (table.num_rows, table.schema) == (0, schemas.ANALYTICS_EVENTS.schema)
    assert report.sql_rows == 0


def test_ids_whose_hashes_collide_are_told_apart_by_the_ids() -> None:
    def part(ids: list[str], hashes: list[int]) -> _Part:
        columns = {name: [None] * len(ids) for name in schemas.ANALYTICS_EVENTS.schema.names}
        columns["event_id"] = ids
        table = pa.Table.from_pydict(columns, schema=schemas.ANALYTICS_EVENTS.schema)
        return _Part(table, np.array(hashes, dtype=np.uint64))

    tables, dropped = _first_occurrences([part(["a", "b", "a"], [7, 7, 7]), part(["b"], [7])])
    assert [t.column("event_id").to_pylist() for t in tables] == [["a", "b"], []]
    assert dropped == 2


GOOD = _lines([_event("ok-1"), _event("ok-2")])
# (file name, content as text or bytes): each must fail exactly as the Python reader does.
MALFORMED: dict[str, tuple[str, str | bytes]] = {
    "broken-line": ("2025-03.json.gz", GOOD + '{"$insert_id": "e2", \n'),
    "no-time": ("a.jsonl", _lines([_event("e1"), _event("e2", event_time=None)])),
    "bad-time": ("a.jsonl", _lines([_event("e1"), _event("e2", event_time="03/04/2025")])),
    "impossible-date": ("a.jsonl", GOOD + _lines([_event("e3", event_time="2025-02-30 10:00:00")])),
    "hour-24": ("a.jsonl", _lines([_event("e1", event_time="2025-02-03 24:00:00")])),
    "no-id": ("a.jsonl", GOOD + _lines([_event(None)])),
    "blank-ids": ("a.jsonl", _lines([_event("", uuid="")])),
    "not-an-object": ("a.jsonl", GOOD + "[1, 2]\n"),
    "a-number-line": ("a.jsonl", GOOD + "5\n"),
    "repeated-key": ("a.jsonl", GOOD + '{"$insert_id": "x", "$insert_id": "y"}\n'),
    "trailing-text": ("a.jsonl", GOOD + '{"$insert_id": "x"} x\n'),
    "two-objects": ("a.jsonl", GOOD + '{"$insert_id": "x"}{"$insert_id": "y"}\n'),
    "raw-tab": ("a.jsonl", GOOD + '{"$insert_id": "x\ty"}\n'),
    "single-quotes": ("a.jsonl", GOOD + "{'$insert_id': 'x'}\n"),
    "inf-property": (
        "a.jsonl",
        GOOD + '{"$insert_id": "x", "event_time": "2025-03-04 10:11:12", '
        '"event_properties": {"v": inf}}\n',
    ),
    "inf-user": ("a.jsonl", GOOD + '{"$insert_id": "x", "user_id": inf}\n'),
    "not-gzip": ("2025-03.json.gz", b'{"$insert_id": "e1"}\n'),
    "empty-gzip": ("2025-03.json.gz", b""),
    "truncated-gzip": ("2025-03.json.gz", gzip.compress(GOOD.encode() * 200)[:-30]),
    "not-utf8": ("a.jsonl", GOOD.encode() + b'{"$insert_id": "\xff\xfe"}\n'),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_files_fail_with_the_python_readers_error(
    case: str, tmp_path: Path, write_text: Callable[[Path, str], Path], pseudonymise: Pseudonymiser
) -> None:
    name, content = MALFORMED[case]
    folder = tmp_path / "analytics" / "amplitude"
    write_text(folder / "0_good.jsonl", _lines([_event("before")]))
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        write_text(path, content)
    with pytest.raises(SourceFileError) as python_error:
        read_amplitude_folder(tmp_path, pseudonymise)
    with pytest.raises(SourceFileError) as duckdb_error:
        read_with_report(amplitude_files(folder), tmp_path, pseudonymise)
    assert str(duckdb_error.value) == str(python_error.value)
    assert duckdb_error.value.path == f"analytics/amplitude/{name}"


def test_the_first_bad_file_is_the_one_named(
    tmp_path: Path, write_text: Callable[[Path, str], Path], pseudonymise: Pseudonymiser
) -> None:
    folder = tmp_path / "analytics" / "amplitude"
    write_text(folder / "1.jsonl", GOOD + _lines([_event("e3", event_time="soon")]))
    write_text(folder / "2.jsonl", "{broken\n")
    with pytest.raises(SourceFileError, match=r"1.jsonl, line 3, column 'event_time'"):
        read_with_report(amplitude_files(folder), tmp_path, pseudonymise)


def test_the_one_known_difference_a_trailing_comma_is_read(
    tmp_path: Path, write_text: Callable[[Path, str], Path], pseudonymise: Pseudonymiser
) -> None:
    """DuckDB's JSON parser accepts `{"a": 1,}`, Python's refuses it: the fast path reads
    the event as if the comma were not there (finding such lines would cost a second
    read of every file; no exporter writes them)."""
    folder = tmp_path / "analytics" / "amplitude"
    line = json.dumps(_event("e1"))[:-1] + ", }\n"
    write_text(folder / "a.jsonl", line)
    with pytest.raises(SourceFileError, match="a.jsonl, line 1: expected one JSON object"):
        read_amplitude_folder(tmp_path, pseudonymise)
    table, _ = read_with_report(amplitude_files(folder), tmp_path, pseudonymise)
    assert table.to_pylist()[0]["event_type"] == "Screen Viewed"


def test_events_spilled_to_files_are_the_same_rows(
    hostile_dir: Path, pseudonymise: Pseudonymiser, tmp_path: Path
) -> None:
    files = amplitude_files(hostile_dir / AMPLITUDE_DIR)
    in_memory, memory_report = read_with_report(files, hostile_dir, pseudonymise)
    spill_dir = tmp_path / "spill"

    spilled, report = read_with_report(files, hostile_dir, pseudonymise, spill_dir)

    assert isinstance(spilled, SpilledTable)
    _assert_same_rows(spilled.to_table(), in_memory)
    # Repeated ids are dropped across spilled parts as across in-memory ones (5 here).
    assert report == memory_report and report.repeated_ids_dropped == 5
    assert spilled.num_rows == in_memory.num_rows == 53
    assert set(spilled.files) == set(spill_dir.iterdir())
    assert sorted(spilled.sources) == sorted(set(in_memory.column("_source").to_pylist()))
    assert spilled.null_counts["user_key"] == in_memory.column("user_key").null_count


def test_spilled_events_join_another_formats_events(
    hostile_dir: Path, pseudonymise: Pseudonymiser, write_text: Callable[[Path, str], Path]
) -> None:
    mixpanel = {
        "event": "Checkout",
        "properties": {"$insert_id": "plain", "distinct_id": "u-7", "time": 1741083072},
    }
    own = {**mixpanel, "properties": {**mixpanel["properties"], "$insert_id": "mp-own"}}
    write_text(hostile_dir / "analytics" / "mixpanel" / "2025-03.json", _lines([mixpanel, own]))
    spill_dir = hostile_dir / "spill"

    spilled = read_analytics_folder(hostile_dir, pseudonymise, spill_dir=spill_dir)
    in_memory = read_analytics_folder(hostile_dir, pseudonymise)

    events = spilled["analytics__events"]
    assert isinstance(events, SpilledTable)
    _assert_same_rows(events.to_table(), in_memory["analytics__events"])
    # Mixpanel's "plain" repeats an Amplitude id and is dropped; "mp-own" joins.
    assert events.to_table().column("event_id").to_pylist().count("plain") == 1
    assert "mp-own" in events.to_table().column("event_id").to_pylist()
    assert "analytics/mixpanel/2025-03.json" in events.sources
