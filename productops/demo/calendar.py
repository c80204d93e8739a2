"""The demo company's clock: the fixed as-of day, months, quarters and working time.

Nothing here reads the wall clock: every date derives from `AS_OF`, so a generated
company is the same whenever it is generated.
"""

from __future__ import annotations

import calendar as _calendar
import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

AS_OF = date(2026, 11, 15)
# Files hold what happened strictly before this instant (midnight UTC starting AS_OF).
AS_OF_INSTANT = datetime(AS_OF.year, AS_OF.month, AS_OF.day)
# Finance closes a month after it ends: the last closed month before AS_OF.
LAST_CLOSED_MONTH = date(2026, 10, 1)

# Working time: 09:00-18:00 UTC on Monday to Friday.
WORKDAY_START = time(9, 0)
WORKDAY_MINUTES = 9 * 60


def history_start(years: int) -> date:
    """The first day of the company's history: 1 November, `years` before AS_OF."""
    return date(AS_OF.year - years, 11, 1)


def month_start(day: date) -> date:
    """The first day of `day`'s month."""
    return day.replace(day=1)


def next_month(month: date) -> date:
    """The first day of the month after `month`."""
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def month_end(month: date) -> date:
    """The last day of `month`'s month."""
    return next_month(month_start(month)) - timedelta(days=1)


def days_in_month(month: date) -> int:
    """How many calendar days `month` has."""
    return _calendar.monthrange(month.year, month.month)[1]


def months_between(first: date, last: date) -> list[date]:
    """First days of every month from `first`'s month to `last`'s month, inclusive."""
    months, current = [], month_start(first)
    while current <= last:
        months.append(current)
        current = next_month(current)
    return months


def month_label(day: date) -> str:
    """`YYYY-MM`."""
    return f"{day.year:04d}-{day.month:02d}"


def quarter_label(day: date) -> str:
    """`YYYY-Qn`, the period format of the OKR export and of truth.json."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def release_name(day: date) -> str:
    """Aha! release name of the quarter holding `day`: `YYYY Qn`."""
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def quarter_start(day: date) -> date:
    """First day of `day`'s quarter."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: date) -> date:
    """Last day of `day`'s quarter."""
    start = quarter_start(day)
    return month_end(date(start.year, start.month + 2, 1))


def next_quarter(day: date) -> date:
    """First day of the quarter after `day`'s."""
    return quarter_end(day) + timedelta(days=1)


def quarter_from_release(name: str) -> date:
    """First day of the quarter an Aha! release name (`2025 Q1`) stands for."""
    year, quarter = name.split(" Q")
    return date(int(year), 3 * (int(quarter) - 1) + 1, 1)


def complete_quarters_before(day: date, count: int) -> list[str]:
    """Labels of the `count` quarters that ended before `day`'s quarter, oldest first."""
    labels: list[str] = []
    start = quarter_start(day)
    while len(labels) < count:
        start = quarter_start(start - timedelta(days=1))
        labels.insert(0, quarter_label(start))
    return labels


def is_working_day(day: date) -> bool:
    """Monday to Friday (the allocation engine ignores weekends and has no holidays)."""
    return day.weekday() < 5


def days(first: date, last: date) -> Iterator[date]:
    """Every calendar day from `first` to `last`, inclusive."""
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def next_working_day(day: date) -> date:
    """`day` itself when it is a working day, else the following Monday."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def work_start(day: date) -> datetime:
    """09:00 UTC on the first working day on or after `day`."""
    return datetime.combine(next_working_day(day), WORKDAY_START)


def to_working_time(moment: datetime) -> datetime:
    """`moment` moved forward into working hours if it falls outside them."""
    day = moment.date()
    start = datetime.combine(day, WORKDAY_START)
    if not is_working_day(day) or moment >= start + timedelta(minutes=WORKDAY_MINUTES):
        return work_start(day + timedelta(days=1))
    return max(moment, start)


def add_working_days(moment: datetime, amount: float) -> datetime:
    """`moment` plus `amount` working days of 9 hours, skipping nights and weekends."""
    moment = to_working_time(moment)
    remaining = amount * WORKDAY_MINUTES
    while True:
        day_start = datetime.combine(moment.date(), WORKDAY_START)
        left_today = WORKDAY_MINUTES - (moment - day_start).total_seconds() / 60
        if remaining < left_today:
            return moment + timedelta(minutes=remaining)
        remaining -= left_today
        moment = work_start(moment.date() + timedelta(days=1))


def random_working_moment(rng: random.Random, day: date) -> datetime:
    """A moment in the working hours of `day` (moved to the next working day if needed)."""
    start = work_start(day)
    return start + timedelta(seconds=rng.randrange(WORKDAY_MINUTES * 60 - 60))


def with_jitter(rng: random.Random, moment: datetime) -> datetime:
    """`moment` plus up to a minute, with millisecond precision, so stamps look real."""
    return moment + timedelta(milliseconds=rng.randrange(1, 60_000))


def _stamp(moment: datetime) -> str:
    # `2025-03-04T10:11:12.345`: isoformat truncates to milliseconds (moments are naive).
    return moment.isoformat(timespec="milliseconds")


def jira_timestamp(moment: datetime) -> str:
    """Jira's `2025-03-04T10:11:12.000+0000` (moments are UTC)."""
    return _stamp(moment) + "+0000"


def aha_timestamp(moment: datetime) -> str:
    """Aha!'s `2025-03-04T10:11:12.000Z`."""
    return _stamp(moment) + "Z"


def amplitude_timestamp(moment: datetime) -> str:
    """Amplitude's `2025-03-04 10:11:12.345000` (UTC, no offset)."""
    return moment.isoformat(sep=" ", timespec="microseconds")
