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


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter; `key` is how the marts spell it (`2026-Q3`)."""

    year: int
    number: int

    @property
    def key(self) -> str:
        """The marts' spelling, `2026-Q3`."""
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        """How people read it, `2026 Q3`."""
        return f"{self.year} Q{self.number}"

    @property
    def start(self) -> date:
        """The first day of the quarter's first month."""
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_month(self) -> date:
        """The first day of the quarter's last month."""
        return add_months(self.start, 2)

    @property
    def previous(self) -> Quarter:
        """The quarter before."""
        return Quarter.of(add_months(self.start, -3))

    def back(self, count: int) -> Quarter:
        """The quarter `count` quarters earlier."""
        return Quarter.of(add_months(self.start, -3 * count))

    @classmethod
    def of(cls, day: date) -> Quarter:
        """The quarter `day` falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """`2026Q3`, `2026-Q3`, `2026 Q3` or `2026-q3` → Quarter(2026, 3); ValueError otherwise."""
        cleaned = text.strip().upper().replace("-", "").replace(" ", "")
        year, sep, number = cleaned.partition("Q")
        if not (sep and year.isdigit() and len(year) == 4 and number in {"1", "2", "3", "4"}):
            raise ValueError(f"{text!r} is not a quarter: write it like 2026Q3")
        return cls(int(year), int(number))


def last_complete_quarter(latest_month: date) -> Quarter:
    """The newest quarter whose last month is on or before `latest_month`."""
    quarter = Quarter.of(latest_month)
    return quarter if quarter.last_month <= latest_month.replace(day=1) else quarter.previous
