"""`generate()`: write a synthetic company's exports and the truth about them.

The simulation runs portfolio by portfolio (work, Jira, Aha! features and the people
ledger) and month by month (finance, analytics), writing files as it goes, so the big
scales stream instead of holding the whole company in memory. Analytics is written by
a child process at the same time as the rest.
"""

from __future__ import annotations

import gc
import json
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from productops.demo.aha_files import AhaWriter
from productops.demo.analytics import Adoption, write_analytics
from productops.demo.calendar import (
    AS_OF,
    LAST_CLOSED_MONTH,
    complete_quarters_before,
    month_label,
    months_between,
    quarter_end,
    quarter_label,
)
from productops.demo.catalog import UNMAPPED_STATUSES, write_catalog
from productops.demo.finance import Ledger, simulate_fx, write_fx, write_gl, write_revenue
from productops.demo.hr_files import write_headcount
from productops.demo.ideas import STORY_QUARTERS, Idea, simulate_product_ideas
from productops.demo.jira_files import JiraIssueWriter, write_static_files
from productops.demo.okrs import Objective, simulate_okrs, write_okrs
from productops.demo.org import REPORTING_CURRENCY, Company, build_company
from productops.demo.people import Person, simulate_people
from productops.demo.scale import Scale, get_scale
from productops.demo.truth import (
    PeopleLedger,
    by_quarter,
    decision_facts,
    okr_facts,
    rounded,
)
from productops.demo.work import RunningNumbers, simulate_portfolio_work

# Files this generator writes in numbered series; removed first so a smaller run
# leaves no stale pages behind.
_SERIES = (
    ("jira/issues", "page_*.json*"),
    ("roadmap/aha", "*_page_*.json*"),
    ("analytics/amplitude", "events_*.json.gz"),
)
CUSTOMER_COMMITMENT_CAP = 0.10
# Raised whenever the same scale and seed would give different files, so cached
# generated folders (the benchmark's scratch) are made again. 2: the workload
# parameters of m, l and xl (issue #8).
GENERATOR_VERSION = 2


def clear_generated_series(out: Path) -> None:
    """Remove numbered page and month files a previous run wrote into `out`."""
    for folder, pattern in _SERIES:
        for path in sorted((out / folder).glob(pattern)):
            path.unlink()


def generate(
    scale: str,
    out: Path,
    seed: int = 42,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Write the company of `scale` (demo, s, m, l, xl) for `seed` into `out`.

    Same scale and seed give byte-identical files. Returns the truth dict that is also
    written to `out/truth.json`.
    """
    say = progress or (lambda _message: None)
    size = get_scale(scale)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    clear_generated_series(out)
    company = build_company(size, seed)
    counts: dict[str, int] = {}
    # Analytics depends only on the company and the seed: a second process writes it
    # while this one simulates the work, which is the other half of the time.
    analytics_process = ProcessPoolExecutor(1)
    analytics_job = analytics_process.submit(
        _write_analytics, size, seed, out / "analytics" / "amplitude"
    )
    try:
        people, ledger, ideas, money = _work_and_money(company, seed, out, counts, say)
        events, adoption = analytics_job.result()
        analytics_process.shutdown()  # the child has finished: this reaps it
    finally:
        # After an error the child is left to finish on its own, not waited for.
        analytics_process.shutdown(wait=False, cancel_futures=True)
    counts["analytics__events"] = events
    say(f"analytics: {events} events")

    objectives, at_risk = simulate_okrs(company, seed, money.revenue, adoption)
    counts.update(write_okrs(out / "okrs", objectives))
    counts.update(write_catalog(out / "catalog.yml", company, people))

    truth = _truth(
        company, seed, people, counts, ledger, money, ideas, objectives, at_risk, adoption
    )
    (out / "truth.json").write_text(
        json.dumps(truth, sort_keys=True, indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8",
        newline="\n",
    )
    say(f"truth: {out / 'truth.json'}")
    return truth


def _work_and_money(
    company: Company,
    seed: int,
    out: Path,
    counts: dict[str, int],
    say: Callable[[str], None],
) -> tuple[list[Person], PeopleLedger, list[Idea], Ledger]:
    """Write the HR, Jira, Aha! and finance files, adding to `counts`.

    Returns the people, their cost and effort ledger, the ideas and the money ledger.
    """
    size = company.scale
    fx = simulate_fx(company, seed)
    counts["finance__fx_rates"] = write_fx(out / "finance" / "fx_rates.csv", fx)
    people = simulate_people(company, seed)
    counts["hr__employees"] = counts["hr__compensation"] = write_headcount(
        out / "hr" / "headcount.csv", company, people
    )
    say(f"hr: {len(people)} employees")

    ledger = PeopleLedger(company, fx)
    jira = JiraIssueWriter(out / "jira", size.gzip_level)
    aha = AhaWriter(out / "roadmap" / "aha")
    counter = RunningNumbers()
    teams_of = {t.id: t.portfolio_id for t in company.teams}
    for portfolio in company.portfolios:
        issues, features = simulate_portfolio_work(company, portfolio.id, people, counter, seed)
        for issue in sorted(issues, key=lambda i: (i.project.key, int(i.key.rsplit("-", 1)[1]))):
            jira.add(issue)
        for feature in sorted(features, key=lambda f: (f.product.id, f.created_at, f.uid)):
            aha.add_feature(feature)
        members = [p for p in people if teams_of[p.team_id] == portfolio.id]
        ledger.add_portfolio(members, issues)
        say(f"work: {portfolio.id}: {len(issues)} Jira issues, {len(features)} features")
        # Features and their epics refer to each other, so only the cycle collector
        # frees a portfolio: collect now, before the next one is simulated, to hold
        # one portfolio's issues at a time.
        del issues, features
        gc.collect()
    counts.update(write_static_files(out / "jira", company))
    counts["jira__issues"] = jira.close()
    counts["jira__changelog"] = jira.changelog_items

    ideas: list[Idea] = []
    for product in company.products.values():
        product_ideas = simulate_product_ideas(company, product, seed)
        for idea in product_ideas:
            aha.add_idea(idea)
        ideas += product_ideas
    counts.update(aha.close())
    say(f"roadmap: {counts['roadmap__features']} features, {counts['roadmap__ideas']} ideas")

    money = Ledger(revenue={}, unmapped_revenue={}, other_rnd_cost={}, unmapped_rnd_cost={})
    positions = Counter(p.team_id for p in people if p.terminated_on is None)
    write_revenue(out / "finance" / "revenue.csv", company, fx, seed, dict(positions), money)
    write_gl(out / "finance" / "gl.csv", company, fx, seed, dict(positions), money)
    counts["finance__revenue"], counts["finance__gl_lines"] = money.revenue_rows, money.gl_rows
    say(f"finance: {money.revenue_rows} revenue lines, {money.gl_rows} GL lines")
    return people, ledger, ideas, money


def _write_analytics(size: Scale, seed: int, folder: Path) -> tuple[int, Adoption]:
    """The analytics files of the company of `size` and `seed` (run in a child process)."""
    return write_analytics(folder, build_company(size, seed), seed, size.gzip_level)


def _sum_months(table: dict[str, dict[str, float]], key: str, months: list[str]) -> float:
    return sum(table.get(key, {}).get(m, 0.0) for m in months)


def _truth(
    company: Company,
    seed: int,
    people: list[Person],
    counts: dict[str, int],
    ledger: PeopleLedger,
    money: Ledger,
    ideas: list[Idea],
    objectives: list[Objective],
    at_risk: str,
    adoption: dict[str, dict[str, dict[str, Any]]],
) -> dict[str, Any]:
    story = company.story
    cc_share: dict[str, dict[str, float]] = {}
    for portfolio, quarters in ledger.fte_category.items():
        for quarter, categories in quarters.items():
            total = sum(categories.values())
            share = categories.get("customer_commitment", 0.0) / total if total else 0.0
            cc_share.setdefault(portfolio, {})[quarter] = share
    closed = months_between(company.history_start, LAST_CLOSED_MONTH)
    last_12 = [month_label(m) for m in closed[-12:]]
    last_12_facts = {}
    for product in company.products:
        revenue = _sum_months(money.revenue, product, last_12)
        other = _sum_months(money.other_rnd_cost, product, last_12)
        default = _sum_months(ledger.cost_default, product, last_12)
        allocated = _sum_months(ledger.cost_allocated, product, last_12)
        last_12_facts[product] = {
            "revenue": revenue,
            "other_rnd_cost": other,
            "people_cost_team_default": default,
            "people_cost_allocated": allocated,
            "rnd_cost_team_default": default + other,
            "rnd_cost_allocated": allocated + other,
        }
    decisions = decision_facts(ideas)
    okr = okr_facts(objectives)
    recent = complete_quarters_before(AS_OF, STORY_QUARTERS)
    slowing = decisions["median_days_to_decision_by_area_quarter"].get(story.slowing_area, {})
    roles = Counter(p.role_family for p in people if p.terminated_on is None)
    truth: dict[str, Any] = {
        "seed": seed,
        "scale": company.scale.name,
        "as_of": AS_OF.isoformat(),
        "history_start": company.history_start.isoformat(),
        "last_closed_month": month_label(LAST_CLOSED_MONTH),
        "reporting_currency": REPORTING_CURRENCY,
        "row_counts": dict(sorted(counts.items())),
        "revenue_by_product_month": rounded(money.revenue, 2),
        "unmapped_revenue_by_month": rounded(money.unmapped_revenue, 2),
        "other_rnd_cost_by_product_month": rounded(money.other_rnd_cost, 2),
        "unmapped_rnd_cost_by_month": rounded(money.unmapped_rnd_cost, 2),
        "people_cost_team_default_by_product_month": rounded(ledger.cost_default, 2),
        "fte_months_team_default_by_product_month": rounded(ledger.fte_default, 4),
        "people_cost_allocated_by_product_month": rounded(ledger.cost_allocated, 2),
        "people_cost_allocated_by_product_quarter": rounded(by_quarter(ledger.cost_allocated), 2),
        "fte_months_allocated_by_product_month": rounded(ledger.fte_allocated, 4),
        "fte_months_by_portfolio_quarter_category": rounded(ledger.fte_category, 4),
        "customer_commitment_share_by_portfolio_quarter": rounded(cc_share, 4),
        "product_cost_revenue_last_12_months": rounded(last_12_facts, 2),
        "feature_adoption_by_month": adoption,
        "headcount_as_of_by_role_family": dict(sorted(roles.items())),
        **decisions,
        **okr,
        "story": {
            "loss_making_product": story.loss_product,
            "over_cap_portfolio": story.over_cap_portfolio,
            "over_cap_quarters": [
                q
                for q in recent
                if cc_share.get(story.over_cap_portfolio, {}).get(q, 0.0) > CUSTOMER_COMMITMENT_CAP
            ],
            "customer_commitment_cap": CUSTOMER_COMMITMENT_CAP,
            "slowing_area": story.slowing_area,
            "slowing_quarters": {q: slowing.get(q) for q in recent},
            "at_risk_objective": at_risk,
            "confidence_flag_key_results": sorted(
                kr
                for kr, facts in okr["current_quarter_key_results"].items()
                if facts["confidence_flag"]
            ),
            "current_quarter": quarter_label(AS_OF),
            "current_quarter_ends": quarter_end(AS_OF).isoformat(),
        },
        "unmapped": {
            "skus": [company.unmapped_sku],
            "cost_centres": [company.unmapped_cost_centre],
            "statuses": UNMAPPED_STATUSES,
            "revenue_total": round(sum(money.unmapped_revenue.values()), 2),
            "rnd_cost_total": round(sum(money.unmapped_rnd_cost.values()), 2),
        },
    }
    return truth
