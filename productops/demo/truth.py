"""The facts the generator planted, computed from its own simulation objects.

Nothing here reads a written file or runs SQL: these numbers are what the warehouse
must find independently. Definitions (see README.md in this folder):

- People cost of a person in a month = annual salary / 12 × FTE × (calendar days
  employed in the month, hire and termination days inclusive / days in the month) ×
  loading factor (location override, else the default) × the month's FX rate of the
  salary currency. FTE-months are the same without salary, loading and FX.
- Team default: all of it goes to the product of the person's team.
- Allocated (METRICS.md person-day engine): the month's cost and FTE-months are spread
  evenly over the working days (Mon–Fri) the person was employed in the month. Each
  working day is split equally across the issues that were in an in-progress status
  (In Progress, In Review) AND assigned to the person at some instant of that UTC day.
  An issue goes to the product and category of its current epic's Aha! feature
  (category: the feature's investment_category, else Bug → ktlo, else the
  customer-commitment / tech-debt label, else the person's team default); an issue
  without an epic goes to its Jira project's product. Days without such an issue, and
  months without a working day employed, go to the team's product as `unallocated`.
- Months are the closed months (history start to the last closed month); quarters
  are calendar quarters of those months (the first and last may be partial).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from productops.demo.calendar import (
    AS_OF,
    LAST_CLOSED_MONTH,
    days_in_month,
    is_working_day,
    month_label,
    months_between,
    quarter_label,
)
from productops.demo.finance import FxRates
from productops.demo.ideas import ACCEPTED, DECLINED, Idea
from productops.demo.okrs import Objective
from productops.demo.org import DEFAULT_LOADING_FACTOR, Company, Team
from productops.demo.people import Person
from productops.demo.work import (
    CUSTOMER_COMMITMENT_LABEL,
    TECH_DEBT_LABEL,
    Issue,
)

LABEL_CATEGORIES = {
    CUSTOMER_COMMITMENT_LABEL: "customer_commitment",
    TECH_DEBT_LABEL: "tech_investment",
}
UNALLOCATED = "unallocated"

Nested = dict[str, dict[str, float]]


def _add(table: dict[str, dict[str, float]], outer: str, inner: str, value: float) -> None:
    row = table.setdefault(outer, {})
    row[inner] = row.get(inner, 0.0) + value


def issue_target(issue: Issue, team: Team) -> tuple[str, str]:
    """(product id, investment category) an issue's effort goes to for a member of `team`."""
    feature = issue.epic.feature if issue.epic is not None else None
    product = feature.product.id if feature is not None else issue.project.product_id
    if feature is not None and feature.category:
        return product, feature.category
    if issue.issue_type == "Bug":
        return product, "ktlo"
    for label in issue.labels:
        if label in LABEL_CATEGORIES:
            return product, LABEL_CATEGORIES[label]
    return product, team.default_category


class PeopleLedger:
    """People cost and FTE-months, by team default and by the person-day engine."""

    def __init__(self, company: Company, fx: FxRates) -> None:
        self.company, self.fx = company, fx
        self.months = months_between(company.history_start, LAST_CLOSED_MONTH)
        self.teams = {t.id: t for t in company.teams}
        self.portfolio_of = company.portfolio_of
        self.cost_default: Nested = {}
        self.fte_default: Nested = {}
        self.cost_allocated: Nested = {}
        self.fte_allocated: Nested = {}
        self.fte_category: dict[str, dict[str, dict[str, float]]] = {}
        self.working_days = {
            m: [
                m + timedelta(days=d)
                for d in range(days_in_month(m))
                if is_working_day(m + timedelta(days=d))
            ]
            for m in self.months
        }

    def add_portfolio(self, people: list[Person], issues: list[Issue]) -> None:
        """Account for everyone in `people` using the issues of their portfolio."""
        busy: dict[int, dict[date, dict[int, Issue]]] = defaultdict(lambda: defaultdict(dict))
        for issue in issues:
            for person, start, end in issue.busy_segments():
                last = (end - timedelta(microseconds=1)).date()
                day = start.date()
                while day <= last:
                    busy[person.employee_no][day][issue.uid] = issue
                    day += timedelta(days=1)
        for person in people:
            self._person(person, busy.get(person.employee_no, {}))

    def _person(self, person: Person, busy: dict[date, dict[int, Issue]]) -> None:
        team = self.teams[person.team_id]
        factor = person.location.loading_factor or DEFAULT_LOADING_FACTOR
        last_day = person.terminated_on or date.max
        for month in self.months:
            dim = days_in_month(month)
            month_last = month + timedelta(days=dim - 1)
            first, last = max(month, person.hired_on), min(month_last, last_day)
            if first > last:
                continue
            fte_month = person.fte * ((last - first).days + 1) / dim
            cost = person.salary / 12 * fte_month * factor * self.fx[(month, person.currency)]
            label = month_label(month)
            _add(self.cost_default, team.product_id, label, cost)
            _add(self.fte_default, team.product_id, label, fte_month)
            shares: dict[tuple[str, str], float] = defaultdict(float)
            working = [d for d in self.working_days[month] if first <= d <= last]
            if not working:
                shares[(team.product_id, UNALLOCATED)] = 1.0
            for day in working:
                on_day = busy.get(day)
                if not on_day:
                    shares[(team.product_id, UNALLOCATED)] += 1 / len(working)
                    continue
                for issue_uid in sorted(on_day):
                    shares[issue_target(on_day[issue_uid], team)] += 1 / len(working) / len(on_day)
            quarter = quarter_label(month)
            for (product, category), share in shares.items():
                _add(self.cost_allocated, product, label, cost * share)
                _add(self.fte_allocated, product, label, fte_month * share)
                portfolio = self.portfolio_of[product]
                by_quarter = self.fte_category.setdefault(portfolio, {}).setdefault(quarter, {})
                by_quarter[category] = by_quarter.get(category, 0.0) + fte_month * share


def by_quarter(table: Nested) -> Nested:
    """Monthly values (`YYYY-MM` keys) summed into quarters (`YYYY-Qn`)."""
    result: Nested = {}
    for outer, months in table.items():
        for label, value in months.items():
            year, month = int(label[:4]), int(label[5:])
            _add(result, outer, quarter_label(date(year, month, 1)), value)
    return result


def rounded(table: Any, digits: int) -> Any:
    """Nested dicts of floats rounded to `digits`; None stays None."""
    if isinstance(table, dict):
        return {key: rounded(value, digits) for key, value in table.items()}
    if isinstance(table, float):
        return round(table, digits)
    return table


def decision_facts(ideas: list[Idea]) -> dict[str, Any]:
    """Median days to decision by area and quarter of the decision, reversals, backlog."""
    by_area_quarter: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    by_area: dict[str, list[int]] = defaultdict(list)
    reversed_ideas: list[str] = []
    undecided: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for idea in ideas:
        if idea.decided_at is None:
            age = (AS_OF - idea.created_at.date()).days
            bucket = (
                "0-7" if age <= 7 else "8-30" if age <= 30 else "31-90" if age <= 90 else "over_90"
            )
            undecided[idea.area][bucket] += 1
            continue
        days = idea.days_to_decision
        assert days is not None
        by_area_quarter[idea.area][quarter_label(idea.decided_at.date())].append(days)
        by_area[idea.area].append(days)
        if idea.reversed_at is not None and idea.outcome in (ACCEPTED, DECLINED):
            reversed_ideas.append(idea.id)
    return {
        "median_days_to_decision_by_area_quarter": {
            area: {q: float(statistics.median(v)) for q, v in sorted(quarters.items())}
            for area, quarters in sorted(by_area_quarter.items())
        },
        "decisions_by_area_quarter": {
            area: {q: len(v) for q, v in sorted(quarters.items())}
            for area, quarters in sorted(by_area_quarter.items())
        },
        "median_days_to_decision_by_area": {
            area: float(statistics.median(v)) for area, v in sorted(by_area.items())
        },
        "reversed_ideas": sorted(reversed_ideas),
        "undecided_ideas_by_area_age": {
            a: dict(sorted(b.items())) for a, b in sorted(undecided.items())
        },
    }


def okr_facts(objectives: list[Objective]) -> dict[str, Any]:
    """Final raw progress per KR, objective scores, and the current quarter's statuses."""
    final: dict[str, float] = {}
    scores: dict[str, float] = {}
    current: dict[str, dict[str, Any]] = {}
    objective_status: dict[str, dict[str, Any]] = {}
    for objective in objectives:
        weighted, weights, at_risk = 0.0, 0.0, 0
        running = objective.start <= AS_OF <= objective.end
        expected = (AS_OF - objective.start).days / ((objective.end - objective.start).days + 1)
        for kr in objective.key_results:
            if not kr.checkins:
                continue
            _, value, confidence = kr.checkins[-1]
            progress = kr.progress(value)
            final[kr.id] = round(progress, 4)
            weighted += kr.weight * min(1.0, max(0.0, progress))
            weights += kr.weight
            if running:
                status = (
                    "achieved"
                    if progress >= 1
                    else "on_track"
                    if progress >= 0.95 * expected
                    else "lagging"
                    if progress >= 0.75 * expected
                    else "at_risk"
                )
                at_risk += status == "at_risk"
                flag = (status == "on_track" and confidence < 0.4) or (
                    status == "at_risk" and confidence > 0.7
                )
                current[kr.id] = {
                    "progress": round(progress, 4),
                    "expected_progress": round(expected, 4),
                    "status": status,
                    "confidence": confidence,
                    "confidence_flag": flag,
                }
        if weights:
            scores[objective.id] = round(weighted / weights, 4)
        if running:
            objective_status[objective.id] = {
                "score": scores.get(objective.id),
                "kr_count": len(objective.key_results),
                "at_risk_count": at_risk,
            }
    return {
        "key_result_final_progress": dict(sorted(final.items())),
        "objective_scores": dict(sorted(scores.items())),
        "current_quarter_key_results": dict(sorted(current.items())),
        "current_quarter_objectives": dict(sorted(objective_status.items())),
    }
