"""The period picker: anchored on the data's latest month, clipped to its first."""

from __future__ import annotations

from datetime import date

from dashboards.periods import DEFAULT_LABEL, Period, add_months, period_options


def _by_label(options: list[Period]) -> dict[str, Period]:
    return {period.label: period for period in options}


def test_last_12_months_ends_at_the_latest_month_of_data() -> None:
    options = _by_label(period_options(date(2023, 11, 1), date(2026, 10, 1)))
    last_12 = options[DEFAULT_LABEL]
    assert (last_12.start, last_12.end, last_12.months) == (
        date(2025, 11, 1),
        date(2026, 10, 1),
        12,
    )
    assert last_12.span == "Nov 2025 – Oct 2026"


def test_quarters_run_newest_first_and_the_running_one_is_to_date() -> None:
    options = period_options(date(2023, 11, 1), date(2026, 10, 1), quarters=4)
    quarters = [p for p in options if " Q" in p.label]
    assert [p.label for p in quarters] == ["2026 Q4 to date", "2026 Q3", "2026 Q2", "2026 Q1"]
    assert (quarters[0].start, quarters[0].end) == (date(2026, 10, 1), date(2026, 10, 1))
    assert (quarters[1].start, quarters[1].end) == (date(2026, 7, 1), date(2026, 9, 1))


def test_short_history_is_clipped_and_partial_quarters_are_named() -> None:
    options = _by_label(period_options(date(2026, 2, 1), date(2026, 6, 1)))
    assert options[DEFAULT_LABEL].start == date(2026, 2, 1)
    assert options[DEFAULT_LABEL].months == 5
    assert options["2026 Q1 (partial)"].start == date(2026, 2, 1)
    assert "2025 Q4" not in options
    assert options["All months"].months == 5


def test_add_months_crosses_years() -> None:
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert add_months(date(2025, 11, 1), 14) == date(2027, 1, 1)
