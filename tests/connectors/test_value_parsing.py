"""The text values export files hold, parsed the way their tools mean them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from connectors.values import parse_date, parse_month, parse_number, parse_timestamp


@pytest.mark.parametrize(
    ("raw", "utc"),
    [
        ("2025-03-04T10:11:12.000+0000", datetime(2025, 3, 4, 10, 11, 12)),
        ("2025-03-04T18:11:12.000+0800", datetime(2025, 3, 4, 10, 11, 12)),
        ("2025-03-04T18:11:12+08:00", datetime(2025, 3, 4, 10, 11, 12)),
        ("2025-03-04T10:11:12Z", datetime(2025, 3, 4, 10, 11, 12)),
        ("2025-03-04 10:11:12.345000", datetime(2025, 3, 4, 10, 11, 12, 345000)),
        ("2025-03-01T02:00:00.000+0800", datetime(2025, 2, 28, 18, 0, 0)),
    ],
)
def test_timestamps_with_any_offset_become_utc(raw: str, utc: datetime) -> None:
    assert parse_timestamp(raw) == utc


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("1234.50", 1234.5),
        ("1,234.50", 1234.5),
        ("-1,234,567", -1234567.0),
        ("(1,234.50)", -1234.5),
        ("-1", -1.0),
        ("2.0", 2.0),
        ("", None),
    ],
)
def test_amounts_tolerate_thousands_separators(raw: str, number: float | None) -> None:
    assert parse_number(raw) == number


@pytest.mark.parametrize("raw", ["1,2", "12,34.5", "1.2.3", "USD 5", "abc"])
def test_malformed_amounts_are_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="expected a number"):
        parse_number(raw)


def test_dates_and_months() -> None:
    assert parse_date("2025-02-28") == date(2025, 2, 28)
    assert parse_month("2025-03") == date(2025, 3, 1)
    for bad in ("2025-02-30", "20250228", "28/02/2025"):
        with pytest.raises(ValueError, match="YYYY-MM-DD"):
            parse_date(bad)
    with pytest.raises(ValueError, match="YYYY-MM"):
        parse_month("2025-13")
