"""The reporting periods a user can pick: trailing months and calendar quarters.

Periods are anchored on the latest month present in the data, not on today's date,
so a dashboard shows the same numbers for the same serving copy on any day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DEFAULT_LABEL = "Last 12 months"


@dataclass(frozen=True)
class Period:
    """A run of whole months: `start` and `end` are the first days of the first and last month."""

    label: str
    start: date
    end: date

    @property
    def months(self) -> int:
        """How many months the period spans."""
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    @property
    def span(self) -> str:
        """The months covered, e.g. `Nov 2025 – Oct 2026`."""
        first = f"{MONTH_NAMES[self.start.month - 1]} {self.start.year}"
        last = f"{MONTH_NAMES[self.end.month - 1]} {self.end.year}"
        return first if first == last else f"{first} – {last}"


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after `month` (negative goes back)."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def period_options(earliest: date, latest: date, quarters: int = 8) -> list[Period]:
    """Periods to offer for data spanning `earliest`..`latest` (firsts of month).

    Trailing 12, 6 and 3 months come first (12 is the default), then up to `quarters`
    calendar quarters, newest first; a quarter still running in the data is labelled
    "to date". Every period is clipped to the months the data holds.
    """
    earliest = earliest.replace(day=1)
    latest = latest.replace(day=1)
    options: list[Period] = []
    for months in (12, 6, 3):
        start = max(add_months(latest, -(months - 1)), earliest)
        options.append(Period(f"Last {months} months", start, latest))

    quarter_start = date(latest.year, (latest.month - 1) // 3 * 3 + 1, 1)
    for _ in range(quarters):
        quarter_end = add_months(quarter_start, 2)
        if quarter_end < earliest:
            break
        label = f"{quarter_start.year} Q{(quarter_start.month - 1) // 3 + 1}"
        if quarter_end > latest:
            label += " to date"
        elif quarter_start < earliest:
            label += " (partial)"
        options.append(Period(label, max(quarter_start, earliest), min(quarter_end, latest)))
        quarter_start = add_months(quarter_start, -3)

    options.append(Period("All months", earliest, latest))
    return options
