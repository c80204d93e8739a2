"""The OKR export → objectives, key results and check-ins, with the values OKR maths needs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from connectors import schemas
from connectors.errors import SourceFileError
from connectors.okrs import read_okr_folder

OBJECTIVES = """\
objective_id,title,owner,org_unit,period,period_start,period_end,parent_objective_id,kind
O-1,Grow payouts,VP Platform,platform,2025-Q1,2025-01-01,2025-03-31,,aspirational
O-2,Ship card payouts,PM Payments API,payments_api,2025-Q1,2025-01-01,2025-03-31,O-1,committed
"""
KEY_RESULTS = """\
key_result_id,objective_id,title,kr_type,baseline,target,unit,weight,metric_binding
KR-1,O-1,Adoption of instant payouts,increase_to,0,0.3,share,2,adoption_rate:instant_payouts
KR-2,O-2,Launch,milestone,,,,1,
"""
CHECKINS = """\
key_result_id,checkin_date,value,confidence,note
KR-1,2025-01-10,0.05,0.8,"slow start, but partners signed"
KR-1,2025-01-17,0.08,0.6,
"""


@pytest.fixture
def okr_dir(tmp_path: Path, write_text: Callable[[Path, str], Path]) -> Path:
    write_text(tmp_path / "okrs" / "objectives.csv", OBJECTIVES)
    write_text(tmp_path / "okrs" / "key_results.csv", KEY_RESULTS)
    write_text(tmp_path / "okrs" / "checkins.csv", CHECKINS)
    return tmp_path


def test_okrs_land_typed(okr_dir: Path) -> None:
    tables = read_okr_folder(okr_dir)
    for table in schemas.OKR_TABLES:
        assert tables[table.name].schema == table.schema
    objectives = tables["okr__objectives"].to_pylist()
    assert objectives[1] == {
        "objective_id": "O-2",
        "title": "Ship card payouts",
        "owner": "PM Payments API",
        "org_unit": "payments_api",
        "period": "2025-Q1",
        "period_start": date(2025, 1, 1),
        "period_end": date(2025, 3, 31),
        "parent_objective_id": "O-1",
        "kind": "committed",
        "_source": "okrs/objectives.csv",
    }
    kr1, kr2 = tables["okr__key_results"].to_pylist()
    assert (kr1["baseline"], kr1["target"], kr1["weight"], kr1["metric_binding"]) == (
        0.0,
        0.3,
        2.0,
        "adoption_rate:instant_payouts",
    )
    assert (kr2["baseline"], kr2["target"], kr2["metric_binding"]) == (None, None, None)
    checkins = tables["okr__checkins"].to_pylist()
    assert [(c["checkin_date"], c["value"], c["confidence"]) for c in checkins] == [
        (date(2025, 1, 10), 0.05, 0.8),
        (date(2025, 1, 17), 0.08, 0.6),
    ]
    assert checkins[0]["note"] == "slow start, but partners signed"


@pytest.mark.parametrize(
    ("file_name", "content", "line", "column", "expected"),
    [
        (
            "key_results.csv",
            KEY_RESULTS.replace("increase_to", "grow_to"),
            2,
            "kr_type",
            "expected one of ['increase_to'",
        ),
        (
            "checkins.csv",
            CHECKINS.replace("0.8,", "80,"),
            2,
            "confidence",
            "expected a confidence between 0 and 1",
        ),
        (
            "objectives.csv",
            OBJECTIVES.replace(",committed", ",stretch"),
            3,
            "kind",
            "expected one of ['committed', 'aspirational']",
        ),
        (
            "objectives.csv",
            OBJECTIVES.replace("2025-03-31,O-1", ",O-1"),
            3,
            "period_end",
            "expected a value",
        ),
    ],
)
def test_a_bad_value_names_line_and_column(
    tmp_path: Path,
    write_text: Callable[[Path, str], Path],
    file_name: str,
    content: str,
    line: int,
    column: str,
    expected: str,
) -> None:
    write_text(tmp_path / "okrs" / file_name, content)
    with pytest.raises(SourceFileError) as caught:
        read_okr_folder(tmp_path)
    assert (caught.value.path, caught.value.line, caught.value.column) == (
        f"okrs/{file_name}",
        line,
        column,
    )
    assert expected in str(caught.value)


def test_a_second_checkin_on_the_same_day_is_refused(
    tmp_path: Path, write_text: Callable[[Path, str], Path]
) -> None:
    write_text(tmp_path / "okrs" / "checkins.csv", CHECKINS + "KR-1,2025-01-17,0.09,0.6,\n")
    with pytest.raises(SourceFileError, match="line 4.*line 3 has the same"):
        read_okr_folder(tmp_path)
