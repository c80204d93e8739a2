"""Quarters as the board pack and the CPO page name them."""

from __future__ import annotations

from datetime import date

import pytest

from dashboards.periods import Quarter, last_complete_quarter


@pytest.mark.parametrize("text", ["2026Q3", "2026-Q3", "2026 Q3", "2026-q3"])
def test_a_quarter_is_read_however_it_is_written(text: str) -> None:
    quarter = Quarter.parse(text)
    assert (quarter.key, quarter.label) == ("2026-Q3", "2026 Q3")
    assert (quarter.start, quarter.last_month) == (date(2026, 7, 1), date(2026, 9, 1))


@pytest.mark.parametrize("text", ["2026Q5", "26Q3", "Q3", "2026-07"])
def test_a_malformed_quarter_says_how_to_write_one(text: str) -> None:
    with pytest.raises(ValueError, match="write it like 2026Q3"):
        Quarter.parse(text)


def test_previous_quarters_cross_the_year() -> None:
    assert Quarter(2026, 1).previous == Quarter(2025, 4)
    assert Quarter(2026, 3).back(7) == Quarter(2024, 4)


def test_the_last_complete_quarter_needs_its_last_month() -> None:
    # Data to October 2026: Q4 has only begun, so the board sees Q3.
    assert last_complete_quarter(date(2026, 10, 1)) == Quarter(2026, 3)
    assert last_complete_quarter(date(2026, 9, 1)) == Quarter(2026, 3)
    assert last_complete_quarter(date(2026, 8, 1)) == Quarter(2026, 2)
