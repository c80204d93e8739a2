"""OKRs: quarterly objectives per portfolio and product, key results, weekly check-ins.

Quarters run from the first full quarter of the history to the current one, which is
still running on the as-of date (check-ins stop before it). Every key-result type
appears. Some past key results are bound to a warehouse metric; their check-in value
is that metric as the warehouse defines it:
- `revenue:<product>`: the product's revenue in USD of the last closed month before
  the check-in date (baseline: the month before the quarter);
- `adoption_rate:<feature>`: the feature's adoption rate of the last month before the
  check-in date (0 when there were no active users).

In the current quarter the story's loss-making product has the objective at risk
(every key result far below the expected progress, low confidence); every other
current key result is on track or achieved, one of them with a low confidence that
disagrees with its status.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from productops.demo.calendar import (
    AS_OF,
    month_label,
    month_start,
    next_quarter,
    quarter_end,
    quarter_label,
    quarter_start,
)
from productops.demo.org import ANALYTICS_FIRST_MONTH, Company
from productops.demo.writers import CsvWriter

KR_TYPES = ("increase_to", "decrease_to", "keep_above", "keep_below", "milestone")
# kr type -> (title, unit, decimals, baseline range)
TEMPLATES = {
    "increase_to": (
        ("Partner activation rate", "%", 1, (30.0, 60.0)),
        ("Weekly active partners", "partners", 0, (10.0, 40.0)),
        ("Partner NPS", "points", 0, (20.0, 45.0)),
    ),
    "decrease_to": (
        ("p95 API latency", "ms", 0, (280.0, 600.0)),
        ("Days to onboard a partner", "days", 1, (18.0, 40.0)),
    ),
    "keep_above": (("Uptime", "%", 2, (99.9, 99.9)),),
    "keep_below": (("Open P1 incidents", "incidents", 0, (3.0, 3.0)),),
    "milestone": (("Launch milestones", "milestones", 0, (0.0, 0.0)),),
}
PORTFOLIO_TITLES = (
    "Grow partner revenue in {name}",
    "Make {name} the partners' default choice",
    "Raise the quality bar across {name}",
)
PRODUCT_TITLES = (
    "Grow {name} adoption with partners",
    "Make {name} faster and more reliable",
    "Ship the {name} roadmap commitments",
    "Delight end users of {name}",
)


@dataclass
class KeyResult:
    """One key result and its check-ins (date, value, confidence)."""

    id: str
    objective_id: str
    title: str
    kr_type: str
    baseline: float
    target: float
    unit: str
    weight: float
    binding: str = ""
    checkins: list[tuple[date, float, float]] = field(default_factory=list)

    def progress(self, value: float) -> float:
        """Raw progress per METRICS.md (not capped)."""
        if self.kr_type == "increase_to":
            return (value - self.baseline) / (self.target - self.baseline)
        if self.kr_type == "decrease_to":
            return (self.baseline - value) / (self.baseline - self.target)
        if self.kr_type == "keep_above":
            return 1.0 if value >= self.target else 0.0
        if self.kr_type == "keep_below":
            return 1.0 if value <= self.target else 0.0
        return value / self.target  # milestone: done / total


@dataclass
class Objective:
    """One objective of one quarter."""

    id: str
    title: str
    owner: str
    org_unit: str
    start: date
    end: date
    parent_id: str
    kind: str
    key_results: list[KeyResult] = field(default_factory=list)


def _fridays(start: date, end: date) -> list[date]:
    day = start + timedelta(days=(4 - start.weekday()) % 7)
    if day < start + timedelta(days=3):
        day += timedelta(days=7)
    found = []
    while day <= end and day < AS_OF:
        found.append(day)
        day += timedelta(days=7)
    return found


def _previous_month(day: date) -> date:
    return month_start(month_start(day) - timedelta(days=1))


class _OkrBuilder:
    def __init__(
        self,
        company: Company,
        seed: int,
        revenue: dict[str, dict[str, float]],
        adoption: dict[str, dict[str, dict]],
    ) -> None:
        self.company, self.rng = company, random.Random(f"{seed}/okrs")
        self.revenue, self.adoption = revenue, adoption
        self.current = quarter_start(AS_OF)
        self.at_risk_id = (
            f"O-{quarter_label(self.current).replace('-', '')}-{company.story.loss_product}"
        )
        self.disagreement_planted = False

    def _metric(self, binding: str, day: date) -> float:
        kind, subject = binding.split(":")
        month = month_label(_previous_month(day))
        if kind == "revenue":
            return round(self.revenue.get(subject, {}).get(month, 0.0), 2)
        rate = self.adoption.get(subject, {}).get(month, {}).get("adoption_rate")
        return float(rate or 0.0)

    def _final_progress(self, objective: Objective, kr_type: str) -> float:
        rng = self.rng
        if objective.start == self.current:
            if objective.id == self.at_risk_id:
                return rng.uniform(0.03, 0.2)
            return rng.uniform(0.58, 0.85)
        r = rng.random()
        if r < 0.35:
            return rng.uniform(1.0, 1.2)
        if r < 0.75:
            return rng.uniform(0.7, 1.0)
        return rng.uniform(0.2, 0.7)

    def key_result(self, objective: Objective, index: int, kr_type: str) -> KeyResult:
        rng = self.rng
        title, unit, decimals, (low, high) = rng.choice(TEMPLATES[kr_type])
        baseline = round(rng.uniform(low, high), decimals)
        if kr_type == "increase_to":
            target = round(baseline * rng.uniform(1.1, 1.4), decimals)
        elif kr_type == "decrease_to":
            target = round(baseline * rng.uniform(0.6, 0.85), decimals)
        elif kr_type == "milestone":
            target = float(rng.randint(3, 6))
        else:
            target = baseline
        weight = 2.0 if rng.random() < 0.2 else 1.0
        kr = KeyResult(
            f"{objective.id}-KR{index}",
            objective.id,
            title,
            kr_type,
            baseline,
            target,
            unit,
            weight,
        )
        fridays = _fridays(objective.start, objective.end)
        final = self._final_progress(objective, kr_type)
        current = objective.start == self.current
        holds = (objective.id != self.at_risk_id) if current else rng.random() < 0.8
        for week, day in enumerate(fridays, start=1):
            share = week / len(fridays)
            progress = final * share**1.1 + (rng.gauss(0, 0.04) if week < len(fridays) else 0)
            if kr_type == "milestone":
                value = float(math.floor(progress * target + 1e-9))
                if week == len(fridays) and current and objective.id != self.at_risk_id:
                    value = float(math.ceil(0.6 * target))
                elif week == len(fridays) and objective.id == self.at_risk_id:
                    value = 0.0
                value = max(0.0, min(value, target))
            elif kr_type == "keep_above":
                ok = holds if week == len(fridays) else rng.random() < 0.9
                value = round(
                    target + rng.uniform(0.01, 0.09) if ok else target - rng.uniform(0.02, 0.3), 2
                )
            elif kr_type == "keep_below":
                ok = holds if week == len(fridays) else rng.random() < 0.9
                value = float(
                    rng.randint(0, int(target)) if ok else int(target) + rng.randint(1, 3)
                )
            else:
                value = round(baseline + progress * (target - baseline), decimals)
            expected = (day - objective.start).days / ((objective.end - objective.start).days + 1)
            confidence = 0.55 + (kr.progress(value) - expected) * 0.6 + rng.gauss(0, 0.06)
            if objective.id == self.at_risk_id:
                confidence = rng.uniform(0.2, 0.35)
            confidence = round(min(0.95, max(0.05, confidence)), 2)
            kr.checkins.append((day, value, confidence))
        if (
            current
            and objective.id != self.at_risk_id
            and not self.disagreement_planted
            and kr_type in ("increase_to", "decrease_to")
            and kr.checkins
        ):
            day, value, _ = kr.checkins[-1]
            kr.checkins[-1] = (day, value, 0.3)  # on track, but the owner is worried
            self.disagreement_planted = True
        return kr

    def bound_key_result(self, objective: Objective, index: int) -> KeyResult | None:
        """A key result whose value is a warehouse metric, where the data allows one."""
        company, rng = self.company, self.rng
        if objective.start >= self.current or objective.org_unit not in company.products:
            return None
        product = company.products[objective.org_unit]
        before = _previous_month(objective.start)
        features = [f for f in product.features if f.released_on < objective.start]
        if before >= ANALYTICS_FIRST_MONTH and features:
            binding = f"adoption_rate:{rng.choice(features).id}"
            baseline = self._metric(binding, objective.start)
            kr = KeyResult(
                f"{objective.id}-KR{index}",
                objective.id,
                "Feature adoption rate",
                "increase_to",
                baseline,
                round(baseline + 0.1, 4),
                "ratio",
                1.0,
                binding,
            )
        else:
            binding = f"revenue:{product.id}"
            baseline = self._metric(binding, objective.start)
            if baseline <= 0:
                return None
            kr = KeyResult(
                f"{objective.id}-KR{index}",
                objective.id,
                "Monthly revenue",
                "increase_to",
                baseline,
                round(baseline * rng.uniform(1.03, 1.08), 2),
                "USD",
                1.0,
                binding,
            )
        for day in _fridays(objective.start, objective.end):
            value = self._metric(binding, day)
            confidence = round(min(0.95, max(0.05, rng.gauss(0.6, 0.12))), 2)
            kr.checkins.append((day, value, confidence))
        return kr

    def objectives(self) -> list[Objective]:
        company, rng = self.company, self.rng
        quarter = quarter_start(company.history_start)
        if quarter < company.history_start:
            quarter = next_quarter(quarter)
        found: list[Objective] = []
        while quarter <= AS_OF:
            label = quarter_label(quarter).replace("-", "")
            ends = quarter_end(quarter)
            for portfolio in company.portfolios:
                parent = Objective(
                    f"O-{label}-{portfolio.id}",
                    rng.choice(PORTFOLIO_TITLES).format(name=portfolio.name),
                    portfolio.director,
                    portfolio.id,
                    quarter,
                    ends,
                    "",
                    rng.choice(("committed", "aspirational")),
                )
                found.append(parent)
                for product in portfolio.products:
                    objective = Objective(
                        f"O-{label}-{product.id}",
                        rng.choice(PRODUCT_TITLES).format(name=product.name),
                        product.pm,
                        product.id,
                        quarter,
                        ends,
                        parent.id if rng.random() < 0.6 else "",
                        rng.choice(("committed", "aspirational")),
                    )
                    if objective.id == self.at_risk_id:
                        objective.title = f"Reach break-even on {product.name}"
                        objective.kind = "committed"
                    found.append(objective)
            quarter = next_quarter(quarter)
        for objective in found:
            at_risk = objective.id == self.at_risk_id
            types = (
                ["increase_to", "decrease_to", "milestone"]
                if at_risk
                else rng.sample(KR_TYPES, k=rng.randint(2, 4))
            )
            bound = None
            if not at_risk and rng.random() < 0.25:
                # A metric-bound key result takes the last of the objective's 2-4 places.
                bound = self.bound_key_result(objective, len(types))
            if bound is not None:
                types = types[:-1]
            for index, kr_type in enumerate(types, start=1):
                objective.key_results.append(self.key_result(objective, index, kr_type))
            if bound is not None:
                objective.key_results.append(bound)
        return found


def simulate_okrs(
    company: Company,
    seed: int,
    revenue: dict[str, dict[str, float]],
    adoption: dict[str, dict[str, dict]],
) -> tuple[list[Objective], str]:
    """Every objective with its key results and check-ins; and the at-risk objective id."""
    builder = _OkrBuilder(company, seed, revenue, adoption)
    return builder.objectives(), builder.at_risk_id


def _number(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def write_okrs(folder: Path, objectives: list[Objective]) -> dict[str, int]:
    """objectives.csv, key_results.csv, checkins.csv; returns raw-table row counts."""
    objective_csv = CsvWriter(
        folder / "objectives.csv",
        (
            "objective_id",
            "title",
            "owner",
            "org_unit",
            "period",
            "period_start",
            "period_end",
            "parent_objective_id",
            "kind",
        ),
    )
    kr_csv = CsvWriter(
        folder / "key_results.csv",
        (
            "key_result_id",
            "objective_id",
            "title",
            "kr_type",
            "baseline",
            "target",
            "unit",
            "weight",
            "metric_binding",
        ),
    )
    checkin_csv = CsvWriter(
        folder / "checkins.csv", ("key_result_id", "checkin_date", "value", "confidence", "note")
    )
    for objective in objectives:
        objective_csv.write(
            (
                objective.id,
                objective.title,
                objective.owner,
                objective.org_unit,
                quarter_label(objective.start),
                objective.start.isoformat(),
                objective.end.isoformat(),
                objective.parent_id,
                objective.kind,
            )
        )
        for kr in objective.key_results:
            kr_csv.write(
                (
                    kr.id,
                    objective.id,
                    kr.title,
                    kr.kr_type,
                    _number(kr.baseline),
                    _number(kr.target),
                    kr.unit,
                    _number(kr.weight),
                    kr.binding,
                )
            )
            for day, value, confidence in kr.checkins:
                note = "blocked on partner feedback" if confidence < 0.4 else ""
                checkin_csv.write(
                    (kr.id, day.isoformat(), _number(value), f"{confidence:.2f}", note)
                )
    return {
        "okr__objectives": objective_csv.close(),
        "okr__key_results": kr_csv.close(),
        "okr__checkins": checkin_csv.close(),
    }
