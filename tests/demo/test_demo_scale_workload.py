"""The workload parameters of the big scales give the sizes they are documented to give.

A slice of the company (one portfolio, six teams, one year, 300 end users) is
simulated with the `demo` workload and with `m`'s. The numbers the parameters imply:

- issue_days_factor 0.36: issues about 1 / 0.36 = 2.8 times as many per engineer-month;
- review_rounds_max 10: a reviewed issue goes back to In Progress uniform(0, 10)
  times, 5 on average, so about 2.8 + 0.8 × 2 × 5 ≈ 10.8 status changes an issue;
- session_rate 0.08, max_extra_sessions 30: 1 + Σ_{k=1..30} e^(-0.08 k) = 11.92
  sessions an active user-month (demo: 1 + Σ_{k=1..6} e^(-0.8 k) = 1.81).
"""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from dataclasses import replace
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest

from productops.demo.analytics import SESSION_EVENT, write_analytics
from productops.demo.calendar import AS_OF
from productops.demo.org import Company, build_company
from productops.demo.people import Person, simulate_people
from productops.demo.scale import Scale, get_scale
from productops.demo.work import Issue, RunningNumbers, simulate_portfolio_work
from productops.demo.writers import compact_json

SEED = 42


def _slice(name: str) -> Scale:
    """The workload of scale `name` on a company small enough for a unit test."""
    return replace(
        get_scale(name),
        portfolios=1,
        products=2,
        teams=6,
        positions=60,
        years=1,
        partners=6,
        end_users=300,
    )


def _work(name: str) -> tuple[Company, list[Person], list[Issue]]:
    company = build_company(_slice(name), SEED)
    people = simulate_people(company, SEED)
    portfolio = company.portfolios[0].id
    issues, _ = simulate_portfolio_work(company, portfolio, people, RunningNumbers(), SEED)
    return company, people, [i for i in issues if i.issue_type != "Epic"]


def _engineer_months(company: Company, people: list[Person]) -> float:
    """Months that people doing Jira work were employed within the history."""
    days = 0
    for person in people:
        if not person.does_jira_work:
            continue
        first = max(person.hired_on, company.history_start)
        last = min(person.terminated_on or AS_OF, AS_OF)
        days += max(0, (last - first).days + 1)
    return days / 30.44


def _status_changes(issue: Issue) -> list[tuple[object, object]]:
    return [(i[1], i[2]) for c in issue.changes for i in c.items if i[0] == "status"]


@pytest.fixture(scope="module")
def work() -> dict[str, tuple[Company, list[Person], list[Issue]]]:
    return {name: _work(name) for name in ("demo", "m")}


def test_shorter_issues_make_about_1_over_the_factor_as_many(work) -> None:
    per_month = {
        name: len(issues) / _engineer_months(company, people)
        for name, (company, people, issues) in work.items()
    }
    factor = get_scale("m").issue_days_factor
    assert factor == 0.36
    # Holidays do not shrink with the factor, so the ratio is a little under 1/0.36.
    assert 2.5 <= per_month["m"] / per_month["demo"] <= 1 / factor + 0.1
    # The slice: 9.7 issues an engineer-month with m's workload, 3.6 with demo's.
    assert 8.5 <= per_month["m"] <= 11.0
    assert 3.0 <= per_month["demo"] <= 4.2


def test_review_rounds_add_two_status_changes_a_round(work) -> None:
    _, _, issues = work["m"]
    reviewed = [i for i in issues if ("In Progress", "In Review") in _status_changes(i)]
    rounds = [_status_changes(i).count(("In Review", "In Progress")) for i in reviewed]
    assert max(rounds) == get_scale("m").review_rounds_max
    assert min(rounds) == 0
    assert 4.6 <= sum(rounds) / len(rounds) <= 5.4  # uniform(0, 10): mean 5
    per_issue = sum(len(_status_changes(i)) for i in issues) / len(issues)
    assert 9.5 <= per_issue <= 12.0
    _, _, demo_issues = work["demo"]
    demo_per_issue = sum(len(_status_changes(i)) for i in demo_issues) / len(demo_issues)
    assert 2.5 <= demo_per_issue <= 3.2


def test_review_rounds_keep_the_history_in_time_order(work) -> None:
    _, _, issues = work["m"]
    for issue in issues:
        moments = [c.at for c in issue.changes]
        assert moments == sorted(moments), issue.uid
        statuses = _status_changes(issue)
        # Every status change starts where the previous one ended.
        assert all(a[1] == b[0] for a, b in pairwise(statuses)), issue.uid


def _expected_sessions(scale: Scale) -> float:
    rate, cap = scale.session_rate, scale.max_extra_sessions
    return 1 + sum(math.exp(-rate * k) for k in range(1, cap + 1))


@pytest.mark.parametrize("name", ["demo", "m"])
def test_sessions_per_active_user_month_match_the_parameters(name: str, tmp_path: Path) -> None:
    company = build_company(_slice(name), SEED)
    events, _ = write_analytics(tmp_path, company, SEED, company.scale.gzip_level)
    sessions: Counter[tuple[str, str]] = Counter()
    active: set[tuple[str, str]] = set()
    lines = 0
    for path in sorted(tmp_path.glob("events_*.json.gz")):
        stamps = []
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                event = json.loads(line)
                # The line is exactly what a JSON encoder writes for the event.
                assert line == compact_json(event) + "\n"
                stamps.append(event["event_time"])
                if event["user_id"].startswith("admin-"):
                    continue
                key = (event["user_id"], event["event_time"][:7])
                active.add(key)
                sessions[key] += event["event_type"] == SESSION_EVENT
                lines += 1
        assert stamps == sorted(stamps), path.name
        assert all(s[:7] == path.name[7:14] for s in stamps), path.name
    assert lines <= events
    assert not list(tmp_path.glob(".spool*"))  # the day spools are cleaned up
    mean = sum(sessions.values()) / len(active)
    expected = _expected_sessions(company.scale)
    assert expected == pytest.approx({"demo": 1.81, "m": 11.92}[name], abs=0.005)
    assert mean == pytest.approx(expected, rel=0.06)


def test_gzip_level_is_a_parameter_of_the_big_scales_only() -> None:
    assert [get_scale(n).gzip_level for n in ("demo", "s", "m", "l", "xl")] == [6, 6, 1, 1, 1]
    assert date(2026, 11, 15) == AS_OF  # the slice's history is the last year before it
