"""How old each source's export may be before it counts as stale.

The age of a table is now minus its export's time (`exported_at`: the newest file it
came from, or the fetch for API rows). The refresh reports it as a warning check on
every raw table; the data-health page shows it per source from the serving copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Hours; a source missing here (the catalog) is never stale. Daily tools get a night's
# slack (36 h); HR and roadmap exports are weekly, finance closes monthly.
MAX_AGE_HOURS: dict[str, float] = {
    "jira": 36,
    "analytics": 36,
    "roadmap": 8 * 24,
    "hr": 8 * 24,
    "okrs": 15 * 24,
    "finance": 35 * 24,
}
FRESH_CHECK = "fresh"


@dataclass(frozen=True)
class Freshness:
    """A table's export age against its source's limit."""

    source: str
    age_hours: float | None
    max_age_hours: float | None

    @property
    def stale(self) -> bool:
        """Older than the limit (a source without a limit or without rows is never stale)."""
        if self.age_hours is None or self.max_age_hours is None:
            return False
        return self.age_hours > self.max_age_hours

    def describe(self) -> str:
        """E.g. `export 40.0 h old, limit 36 h: stale`."""
        if self.age_hours is None:
            return "no rows landed: the source is not supplied"
        text = f"export {self.age_hours:.1f} h old"
        if self.max_age_hours is None:
            return text + ", no limit"
        return f"{text}, limit {self.max_age_hours:g} h: {'stale' if self.stale else 'fresh'}"


def freshness(source: str, exported_at: datetime | None, now: datetime) -> Freshness:
    """The freshness of an export made at `exported_at` (naive UTC), seen at `now`."""
    age = None if exported_at is None else max((now - exported_at).total_seconds(), 0) / 3600
    return Freshness(source, age, MAX_AGE_HOURS.get(source))
