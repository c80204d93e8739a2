"""OKRs from one workbook (`okrs/okrs.xlsx`), combined with the CSVs, and the checks
that stop bad OKR input naming the source, the record and the field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from connectors.errors import SourceFileError
from connectors.registry import ReadContext
from connectors.sources import source

OBJECTIVES = [
    [
        "objective_id",
        "title",
        "owner",
        "org_unit",
        "period",
        "period_start",
        "period_end",
        "parent_objective_id",
        "kind",
    ],
    [
        "O-1",
        "Win mid-market",
        "VP Payments",
        "payments",
        "2026-Q1",
        datetime(2026, 1, 1),
        "2026-03-31",
        None,
        "committed",
    ],
    [
        "O-2",
        "Faster payouts",
        "PM Payments API",
        "payments_api",
        "2026-Q1",
        datetime(2026, 1, 1),
        datetime(2026, 3, 31),
        "O-1",
        "aspirational",
    ],
]
KEY_RESULTS = [
    [
        "key_result_id",
        "objective_id",
        "title",
        "kr_type",
        "baseline",
        "target",
        "unit",
        "weight",
        "metric_binding",
    ],
    [101, "O-1", "Payout volume", "increase_to", 10, 40, "m USD", 0.5, None],
    [
        "KR-2",
        "O-2",
        "Payout latency",
        "decrease_to",
        "48",
        "4",
        "hours",
        1,
        "adoption_rate:instant_payouts",
    ],
]
CHECKINS = [
    ["key_result_id", "checkin_date", "value", "confidence", "note"],
    [101, datetime(2026, 2, 2), 22, 0.7, "on track"],
    ["KR-2", "2026-02-09", 30.5, 0.4, None],
]


def _workbook(
    folder: Path, objectives=OBJECTIVES, key_results=KEY_RESULTS, checkins=CHECKINS
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in (
        ("objectives", objectives),
        ("key_results", key_results),
        ("checkins", checkins),
    ):
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(folder / "okrs.xlsx")


def _read(sources_dir: Path, pseudonymise) -> dict:
    return source("okrs").read(ReadContext(sources_dir=sources_dir, pseudonymise=pseudonymise))


def test_a_workbook_lands_like_the_csvs(tmp_path: Path, pseudonymise) -> None:
    _workbook(tmp_path / "okrs")
    tables = _read(tmp_path, pseudonymise)
    objectives = {r["objective_id"]: r for r in tables["okr__objectives"].to_pylist()}
    assert objectives["O-1"]["period_start"] == date(2026, 1, 1)
    assert objectives["O-1"]["period_end"] == date(2026, 3, 31)
    assert (objectives["O-2"]["parent_objective_id"], objectives["O-2"]["kind"]) == (
        "O-1",
        "aspirational",
    )
    key_results = {r["key_result_id"]: r for r in tables["okr__key_results"].to_pylist()}
    # An id typed as an Excel number reads "101", not "101.0".
    assert sorted(key_results) == ["101", "KR-2"]
    assert (key_results["KR-2"]["baseline"], key_results["KR-2"]["target"]) == (48.0, 4.0)
    checkins = sorted(
        (r["key_result_id"], r["checkin_date"], r["value"], r["confidence"])
        for r in tables["okr__checkins"].to_pylist()
    )
    assert checkins == [("101", date(2026, 2, 2), 22.0, 0.7), ("KR-2", date(2026, 2, 9), 30.5, 0.4)]
    assert tables["okr__checkins"].to_pylist()[0]["_source"] == "okrs/okrs.xlsx#checkins"


def test_a_workbook_and_csvs_combine(
    tmp_path: Path, write_text: Callable[[Path, str], Path], pseudonymise
) -> None:
    _workbook(tmp_path / "okrs")
    write_text(
        tmp_path / "okrs" / "checkins.csv",
        "key_result_id,checkin_date,value,confidence,note\nKR-2,2026-02-16,20,0.5,\n",
    )
    tables = _read(tmp_path, pseudonymise)
    assert tables["okr__checkins"].num_rows == 3


def test_a_checkin_for_a_missing_key_result_names_sheet_and_record(
    tmp_path: Path, pseudonymise
) -> None:
    _workbook(tmp_path / "okrs", checkins=[*CHECKINS, ["KR-9", "2026-02-09", 1, 0.5, None]])
    with pytest.raises(SourceFileError) as failure:
        _read(tmp_path, pseudonymise)
    message = str(failure.value)
    assert message.startswith("okrs/okrs.xlsx#checkins, column 'key_result_id'")
    assert "'KR-9'" in message and "2026-02-09" in message


def test_a_date_in_the_wrong_format_names_sheet_row_and_column(
    tmp_path: Path, pseudonymise
) -> None:
    _workbook(tmp_path / "okrs", checkins=[*CHECKINS, ["KR-2", "09/02/2026", 1, 0.5, None]])
    with pytest.raises(SourceFileError) as failure:
        _read(tmp_path, pseudonymise)
    assert str(failure.value).startswith(
        "okrs/okrs.xlsx#checkins, line 4, column 'checkin_date': expected a date YYYY-MM-DD"
    )


def test_a_target_equal_to_the_baseline_names_the_key_result(
    tmp_path: Path, write_text: Callable[[Path, str], Path], pseudonymise
) -> None:
    write_text(
        tmp_path / "okrs" / "objectives.csv",
        "objective_id,title,owner,org_unit,period,period_start,period_end,parent_objective_id,kind\n"
        "O-1,Win,VP Payments,payments,2026-Q1,2026-01-01,2026-03-31,,committed\n",
    )
    write_text(
        tmp_path / "okrs" / "key_results.csv",
        "key_result_id,objective_id,title,kr_type,baseline,target,unit,weight,metric_binding\n"
        "KR-1,O-1,Keep uptime,keep_above,99.9,99.9,%,1,\n"
        "KR-2,O-1,Grow volume,increase_to,40,40,m USD,1,\n",
    )
    with pytest.raises(SourceFileError) as failure:
        _read(tmp_path, pseudonymise)
    message = str(failure.value)
    # keep_above with target = baseline is fine; increase_to is not.
    assert message.startswith("okrs/key_results.csv, column 'target'")
    assert "'KR-2'" in message and "increase_to" in message
