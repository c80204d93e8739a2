"""Ideas in Aha!: created in a product area, considered, then accepted or declined.

A decision is the first move into Accepted or Declined; its latency is the whole-day
difference between the decision date and the creation date (UTC). Latency is lognormal
around a per-area median; in the story's slowing area that median grows every month
from `Story.slowing_since`, so the quarterly median rises quarter over quarter.
About a fifth of ideas are never decided, and a few decisions are reversed within 90
days.
"""

from __future__ import annotations

import itertools
import math
import random
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from productops.demo import names
from productops.demo.calendar import (
    AS_OF,
    AS_OF_INSTANT,
    complete_quarters_before,
    days_in_month,
    months_between,
    quarter_label,
    random_working_moment,
)
from productops.demo.org import Company, Product

STORY_QUARTERS = 4  # the story: the median rises over the last four complete quarters
NEW, CONSIDERING, ACCEPTED, DECLINED = "New", "Under consideration", "Accepted", "Declined"
SLOWING_GROWTH_PER_MONTH = 1.18
# The slowing area is busy (enough decisions per quarter for a steady median) and its
# latency varies less than elsewhere, so its median rises every quarter for any seed.
SLOWING_AREA_RATE_FACTOR = 4.0
LATENCY_SIGMA, SLOWING_LATENCY_SIGMA = 0.5, 0.35


@dataclass
class Idea:
    """An Aha! idea and its workflow history."""

    uid: int
    product: Product
    area: str
    name: str
    created_at: datetime
    votes: int
    status: str = NEW
    audits: list[tuple[datetime, dict[str, list[str | None]]]] = field(default_factory=list)
    decided_at: datetime | None = None
    outcome: str | None = None
    reversed_at: datetime | None = None
    reference_num: str = ""
    id: str = ""

    def move(self, at: datetime, status: str) -> None:
        """Record a workflow change (only those before the as-of instant exist)."""
        if at >= AS_OF_INSTANT:
            return
        self.audits.append((at, {"workflow_status": [self.status, status]}))
        self.status = status

    @property
    def days_to_decision(self) -> int | None:
        """Whole days from creation to the first decision (UTC dates)."""
        if self.decided_at is None:
            return None
        return (self.decided_at.date() - self.created_at.date()).days

    @property
    def updated_at(self) -> datetime:
        """The last audited change."""
        return self.audits[-1][0]


def _median_latency(company: Company, area: str, base: float, created: datetime) -> float:
    story = company.story
    if area != story.slowing_area or created.date() < story.slowing_since:
        return base
    months = (created.date() - story.slowing_since).days / 30.44
    return base * SLOWING_GROWTH_PER_MONTH**months


def _ideas_of_area(
    company: Company, product: Product, area: str, rng: random.Random, uid_start: int
) -> Iterator[Idea]:
    rate = company.scale.ideas_per_area_month
    slowing = area == company.story.slowing_area
    if slowing:
        rate *= SLOWING_AREA_RATE_FACTOR
    sigma = SLOWING_LATENCY_SIGMA if slowing else LATENCY_SIGMA
    base = rng.uniform(8, 18)
    uid = uid_start
    for month in months_between(company.history_start, AS_OF):
        count = max(0, round(rng.gauss(rate, math.sqrt(rate))))
        for _ in range(count):
            day = month + timedelta(days=rng.randrange(days_in_month(month)))
            created = random_working_moment(rng, day)
            if created >= AS_OF_INSTANT:
                continue
            uid += 1
            text = rng.choice(names.IDEA_TEMPLATES).format(
                verb=rng.choice(names.IDEA_VERBS),
                noun=rng.choice(names.FEATURE_NOUNS),
                area=area.replace("_", " "),
            )
            idea = Idea(uid, product, area, text, created, votes=int(rng.expovariate(1 / 6)))
            idea.audits.append((created, {"workflow_status": [None, NEW]}))
            median = _median_latency(company, area, base, created)
            latency = max(0, round(median * math.exp(rng.gauss(0, sigma))))
            decided_day = created.date() + timedelta(days=latency)
            if rng.random() < 0.8:
                decided = random_working_moment(rng, decided_day)
                if decided.date() != decided_day or decided <= created:
                    # Weekend decisions happen too; keep the drawn day, later than creation.
                    decided = max(
                        created + timedelta(minutes=rng.randint(5, 240)),
                        datetime.combine(decided_day, created.time()),
                    )
            else:
                decided = None
            if latency >= 2 and rng.random() < 0.6:
                considering = created + (
                    ((decided or AS_OF_INSTANT) - created) * rng.uniform(0.2, 0.6)
                )
                idea.move(considering, CONSIDERING)
            if decided is not None and decided < AS_OF_INSTANT:
                outcome = ACCEPTED if rng.random() < 0.4 else DECLINED
                idea.move(decided, outcome)
                idea.decided_at, idea.outcome = decided, outcome
                if rng.random() < 0.05:
                    flipped = decided + timedelta(
                        days=rng.randint(3, 85), minutes=rng.randint(1, 300)
                    )
                    if flipped < AS_OF_INSTANT:
                        idea.move(flipped, DECLINED if outcome == ACCEPTED else ACCEPTED)
                        idea.reversed_at = flipped
            yield idea


def slowing_medians(ideas: list[Idea]) -> list[float]:
    """Median days to decision in each of the four complete quarters before the as-of date."""
    quarters = complete_quarters_before(AS_OF, STORY_QUARTERS)
    by_quarter: dict[str, list[int]] = {q: [] for q in quarters}
    for idea in ideas:
        if idea.decided_at is not None and quarter_label(idea.decided_at.date()) in by_quarter:
            by_quarter[quarter_label(idea.decided_at.date())].append(idea.days_to_decision or 0)
    return [statistics.median(v) if v else 0.0 for v in by_quarter.values()]


def _rising(values: list[float]) -> bool:
    return all(a < b for a, b in itertools.pairwise(values))


def simulate_product_ideas(company: Company, product: Product, seed: int) -> list[Idea]:
    """Every idea of one product, numbered in creation order."""
    ideas: list[Idea] = []
    for area_index, area in enumerate(product.areas):
        attempt = 0
        while True:
            rng = random.Random(f"{seed}/ideas/{area}/{attempt}")
            area_ideas = list(
                _ideas_of_area(company, product, area, rng, uid_start=area_index * 1_000_000)
            )
            # The story needs a rising median; a rare unlucky draw is drawn again.
            if (
                area != company.story.slowing_area
                or _rising(slowing_medians(area_ideas))
                or attempt >= 50
            ):
                break
            attempt += 1
        ideas += area_ideas
    ideas.sort(key=lambda i: (i.created_at, i.area, i.uid))
    for n, idea in enumerate(ideas, start=1):
        idea.reference_num = f"{product.prefix}-I-{n}"
        idea.id = str(6_900_000_000_000_000_000 + hash_text(product.id) * 100_000 + n)
    return ideas


def hash_text(text: str) -> int:
    """A small stable number from text (Python's hash() changes between processes)."""
    value = 0
    for char in text:
        value = (value * 131 + ord(char)) % 1_000_003
    return value
