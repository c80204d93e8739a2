"""Who worked on what, when: roadmap features, Jira epics and issues, day by day.

Each team keeps a few roadmap features "active" (in development). Its engineers pick
up work one item at a time: a story of an active feature, a bug, a tech-debt task, a
customer request, or nothing (meetings, leave). A story goes To Do → In Progress →
In Review → Done; the engineer moves on when it enters review, so review days overlap
the next item (the allocation engine then splits those days). Some issues are handed
over, reopened, abandoned (Won't Do), moved to another epic, or left behind by a
leaver and picked up later by a teammate.

Everything here is simulation state; `jira_files` and `aha_files` render it, `truth`
reads it directly.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from productops.demo import names
from productops.demo.calendar import (
    AS_OF,
    AS_OF_INSTANT,
    add_working_days,
    next_quarter,
    quarter_end,
    quarter_from_release,
    random_working_moment,
    release_name,
    to_working_time,
    with_jitter,
    work_start,
)
from productops.demo.org import Company, Partner, Product, Project, Team
from productops.demo.people import Person

IN_PROGRESS = frozenset({"In Progress", "In Review"})
DONE_STATUSES = frozenset({"Done", "Won't Do"})
CUSTOMER_COMMITMENT_LABEL = "customer-commitment"
TECH_DEBT_LABEL = "tech-debt"
STORY_POINTS = (1, 2, 3, 5, 8, 13)
STORY_POINT_WEIGHTS = (8, 14, 22, 26, 18, 6)


@dataclass(slots=True)
class Change:
    """One changelog history: who changed what at one moment.

    Items are (field, from, to): `status` (status names), `assignee` (Person or None),
    `resolution` (name or None), `epic` (epic Issue or None).
    """

    at: datetime
    author: Person | None  # None: Jira automation
    items: list[tuple[str, object, object]]


@dataclass(slots=True)
class Issue:
    """A Jira issue (epics included) and its full history."""

    uid: int
    project: Project
    issue_type: str
    summary: str
    created_at: datetime
    reporter: Person
    team: Team
    labels: list[str] = field(default_factory=list)
    components: list[str] = field(default_factory=list)
    story_points: float | None = None
    epic: Issue | None = None
    feature: RoadmapFeature | None = None  # set on epics
    initial_assignee: Person | None = None
    status: str = "To Do"
    assignee: Person | None = None
    resolution: str | None = None
    changes: list[Change] = field(default_factory=list)
    remaining_days: float = 0.0  # work left when a leaver handed it back to the backlog
    key: str = ""
    id: str = ""

    def change(
        self, at: datetime, author: Person | None, items: list[tuple[str, object, object]]
    ) -> None:
        """Record a history and apply it to the current state."""
        for name, _, to in items:
            if name == "status":
                self.status = str(to)
            elif name == "assignee":
                self.assignee = to  # type: ignore[assignment]
            elif name == "resolution":
                self.resolution = to  # type: ignore[assignment]
            elif name == "epic":
                self.epic = to  # type: ignore[assignment]
        self.changes.append(Change(at, author, items))

    def transition(
        self, at: datetime, author: Person | None, status: str, assign: Person | None | bool = False
    ) -> None:
        """Move to `status` (with the resolution change Jira logs alongside)."""
        items: list[tuple[str, object, object]] = []
        if assign is not False and assign is not self.assignee:
            items.append(("assignee", self.assignee, assign))
        items.append(("status", self.status, status))
        if status in DONE_STATUSES:
            items.append(("resolution", self.resolution, "Done" if status == "Done" else status))
        elif self.resolution is not None:
            items.append(("resolution", self.resolution, None))
        self.change(at, author, items)

    def assign(self, at: datetime, author: Person | None, person: Person | None) -> None:
        """Change the assignee."""
        if person is not self.assignee:
            self.change(at, author, [("assignee", self.assignee, person)])

    def cut_at_as_of(self) -> None:
        """Forget what happens at or after the as-of instant and replay the state."""
        kept = [c for c in self.changes if c.at < AS_OF_INSTANT]
        if len(kept) == len(self.changes):
            # Nothing to forget: the state is already what the replay would give.
            return
        self.changes = []
        self.status, self.assignee, self.resolution = "To Do", self.initial_assignee, None
        epic = self.epic
        first_epic = next((item[1] for c in kept for item in c.items if item[0] == "epic"), epic)
        self.epic = first_epic  # type: ignore[assignment]
        for change in kept:
            self.change(change.at, change.author, change.items)

    @property
    def resolved_at(self) -> datetime | None:
        """When the issue last entered a done status, if it is in one now."""
        if self.status not in DONE_STATUSES:
            return None
        for change in reversed(self.changes):
            if any(i[0] == "status" and i[2] in DONE_STATUSES for i in change.items):
                return change.at
        return None

    @property
    def updated_at(self) -> datetime:
        """The last change, or creation."""
        return self.changes[-1].at if self.changes else self.created_at

    def busy_segments(self) -> Iterator[tuple[Person, datetime, datetime]]:
        """(person, start, end): spans when the issue was in progress AND assigned to them."""
        status, assignee = "To Do", self.initial_assignee
        since: datetime | None = None
        for change in self.changes:
            new_status, new_assignee = status, assignee
            for name, _, to in change.items:
                if name == "status":
                    new_status = str(to)
                elif name == "assignee":
                    new_assignee = to  # type: ignore[assignment]
            was_busy = status in IN_PROGRESS and assignee is not None
            busy = new_status in IN_PROGRESS and new_assignee is not None
            if was_busy and (not busy or new_assignee is not assignee):
                assert since is not None and assignee is not None
                if change.at > since:
                    yield assignee, since, change.at
            if busy and (not was_busy or new_assignee is not assignee):
                since = change.at
            status, assignee = new_status, new_assignee
        # Still in progress at the end of the data: busy until the as-of instant.
        if (
            status in IN_PROGRESS
            and assignee is not None
            and since is not None
            and AS_OF_INSTANT > since
        ):
            yield assignee, since, AS_OF_INSTANT


@dataclass
class RoadmapFeature:
    """An Aha! feature, its Jira epic and its history (audits)."""

    uid: int
    product: Product
    area: str
    team: Team
    name: str
    category: str | None
    customer: Partner | None
    initiative: str | None
    created_at: datetime
    planned_release: str
    budget: int
    epic: Issue
    issues: list[Issue] = field(default_factory=list)
    created_stories: int = 0
    started_at: datetime | None = None
    shipped_at: datetime | None = None
    status: str = "Ready to develop"
    release: str = ""
    # (at, field, from, to) with field workflow_status or release; None = created.
    audits: list[tuple[datetime, dict[str, list[str | None]]]] = field(default_factory=list)
    reference_num: str = ""
    id: str = ""


class RunningNumbers:
    """Shared running numbers (issue and feature uids) across teams."""

    def __init__(self) -> None:
        self.issue = 0
        self.feature = 0

    def next_issue(self) -> int:
        """The next issue uid."""
        self.issue += 1
        return self.issue

    def next_feature(self) -> int:
        """The next feature uid."""
        self.feature += 1
        return self.feature


def _pick_points(rng: random.Random) -> int:
    return rng.choices(STORY_POINTS, STORY_POINT_WEIGHTS)[0]


class TeamWork:
    """The simulation of one team's work over the whole history."""

    def __init__(
        self,
        company: Company,
        team: Team,
        members: list[Person],
        counter: RunningNumbers,
        rng: random.Random,
    ) -> None:
        self.company, self.team, self.members = company, team, members
        self.counter, self.rng = counter, rng
        self.product = company.products[team.product_id]
        portfolio = next(pf for pf in company.portfolios if pf.id == team.portfolio_id)
        self.siblings = [p for p in portfolio.products if p.id != team.product_id]
        self.workers = [p for p in members if p.does_jira_work]
        self.leads = [p for p in members if p.position in ("pm", "em", "gpm")] or members
        self.project = company.projects[team.project_key]
        self.active: list[RoadmapFeature] = []
        self.features: list[RoadmapFeature] = []
        self.issues: list[Issue] = []
        self.orphans: list[tuple[datetime, Issue]] = []  # (back in the backlog at, issue)
        self.sales_led = team.portfolio_id == company.story.over_cap_portfolio
        self.partners = company.partners
        self.days_factor = company.scale.issue_days_factor
        self.review_rounds_max = company.scale.review_rounds_max
        # When each member can pick up work: (first moment, last moment).
        self._windows = {
            p.employee_no: (self.available_from(p, date.min), self.available_until(p))
            for p in members
        }

    # --- people helpers ----------------------------------------------------------

    @staticmethod
    def available_from(person: Person, start: date) -> datetime:
        """The first moment `person` can pick up work (not before `start`)."""
        return work_start(max(person.hired_on, start))

    @staticmethod
    def available_until(person: Person) -> datetime:
        """17:00 on a leaver's last day, else the as-of instant."""
        if person.terminated_on is None:
            return AS_OF_INSTANT
        return datetime.combine(person.terminated_on, datetime.min.time()) + timedelta(hours=17)

    def _employed(self, people: list[Person], moment: datetime, until: datetime) -> list[Person]:
        windows = self._windows
        return [
            p
            for p in people
            if windows[p.employee_no][0] <= moment and windows[p.employee_no][1] >= until
        ]

    def _lead_at(self, moment: datetime) -> Person:
        leads = [p for p in self.leads if p.employed_on(moment.date())]
        return leads[0] if leads else self.members[0]

    # --- features ----------------------------------------------------------------

    def _category(self, moment: datetime) -> str | None:
        rng = self.rng
        sales_led = self.sales_led and moment.date() >= self.company.story.sales_led_since
        if rng.random() < (0.5 if sales_led else 0.02):
            return "customer_commitment"
        weights = {
            "tech_investment": {"tech_investment": 55, "new_capability": 25, "ktlo": 5, None: 15},
            "ktlo": {"ktlo": 50, "tech_investment": 20, "new_capability": 15, None: 15},
        }.get(
            self.team.default_category,
            {"new_capability": 68, "tech_investment": 10, "ktlo": 5, None: 17},
        )
        return rng.choices(list(weights), list(weights.values()))[0]

    def _activate_feature(self, moment: datetime, workers_now: int) -> RoadmapFeature:
        rng = self.rng
        product = self.product
        if self.siblings and rng.random() < 0.1:
            product = rng.choice(self.siblings)
        project = self.project if product is self.product else product.projects[0]
        area = rng.choice(product.areas)
        category = self._category(moment)
        customer = rng.choice(self.partners) if category == "customer_commitment" else None
        # Shorter issues (issue_days_factor < 1) mean more stories per feature, so
        # features keep their size in days and their count.
        factor = self.days_factor
        budget = round(rng.randint(5, 13) / factor)
        created = random_working_moment(rng, (moment - timedelta(days=rng.randint(12, 90))).date())
        per_feature = max(1.0, workers_now / max(1, len(self.active) + 1))
        estimate = budget * 9.0 * factor / per_feature
        planned = release_name((moment + timedelta(days=estimate * rng.uniform(0.55, 0.95))).date())
        if customer is not None:
            name = f"{rng.choice(names.FEATURE_VERBS)} {rng.choice(names.FEATURE_NOUNS)} for {customer.name}"
        else:
            name = f"{rng.choice(names.FEATURE_VERBS)} {rng.choice(names.FEATURE_NOUNS)}"
        year = created.year
        initiative = None
        if rng.random() < 0.7:
            initiative = f"{product.prefix}-S-{(year - 2019) * 2 + rng.randint(1, 2)}"
        epic_created = with_jitter(rng, created + timedelta(hours=rng.randint(1, 48)))
        epic = Issue(
            uid=self.counter.next_issue(),
            project=project,
            issue_type="Epic",
            summary=name,
            created_at=epic_created,
            reporter=self._lead_at(epic_created),
            team=self.team,
            components=[area],
        )
        feature = RoadmapFeature(
            uid=self.counter.next_feature(),
            product=product,
            area=area,
            team=self.team,
            name=name,
            category=category,
            customer=customer,
            initiative=initiative,
            created_at=created,
            planned_release=planned,
            budget=budget,
            epic=epic,
            release=planned,
        )
        epic.feature = feature
        self.issues.append(epic)
        self.features.append(feature)
        self.active.append(feature)
        return feature

    def _backlog_feature(self, moment: datetime) -> None:
        """A feature planned for a later quarter and not started by the as-of date."""
        feature = self._activate_feature(moment, workers_now=len(self.workers) or 1)
        self.active.remove(feature)
        feature.planned_release = feature.release = release_name(
            AS_OF + timedelta(days=self.rng.randint(60, 300))
        )

    # --- issues --------------------------------------------------------------------

    def _new_issue(
        self,
        issue_type: str,
        summary: str,
        start: datetime,
        worker: Person,
        project: Project | None = None,
        epic: Issue | None = None,
        labels: list[str] | None = None,
        area: str | None = None,
    ) -> Issue:
        rng = self.rng
        created = start - timedelta(hours=rng.uniform(1, 24 * 20))
        if epic is not None:
            created = max(created, epic.created_at + timedelta(minutes=rng.randint(5, 600)))
            created = min(created, start - timedelta(minutes=rng.randint(5, 60)))
        created = with_jitter(rng, created)
        teammates = [p for p in self.workers if p.employed_on(created.date())]
        r = rng.random()
        first_assignee: Person | None = worker
        if r < 0.3:
            first_assignee = None
        elif r < 0.4 and teammates:
            first_assignee = rng.choice(teammates)
        points: float | None = None
        if issue_type == "Story":
            points = float(_pick_points(rng))
        elif issue_type == "Task" and rng.random() < 0.6:
            points = float(rng.choice((1, 2, 3, 5)))
        elif issue_type == "Bug" and rng.random() < 0.3:
            points = float(rng.choice((1, 2, 3)))
        issue = Issue(
            uid=self.counter.next_issue(),
            project=project or self.project,
            issue_type=issue_type,
            summary=summary,
            created_at=created,
            reporter=self._lead_at(created),
            team=self.team,
            labels=labels or [],
            components=[area] if area else [],
            story_points=points,
            epic=epic,
            initial_assignee=first_assignee,
            assignee=first_assignee,
        )
        self.issues.append(issue)
        return issue

    def _duration(self, issue: Issue) -> float:
        rng = self.rng
        if issue.issue_type == "Bug":
            return rng.uniform(0.5, 3.0) * self.days_factor
        points = issue.story_points or 3.0
        return max(0.5, (1.5 + points * 1.1) * rng.uniform(0.7, 1.5)) * self.days_factor

    def _mate(self, worker: Person, moment: datetime, until: datetime) -> Person | None:
        mates = [p for p in self._employed(self.workers, moment, until) if p is not worker]
        return self.rng.choice(mates) if mates else None

    def _work(
        self, issue: Issue, worker: Person, moment: datetime, until: datetime, days: float
    ) -> datetime:
        """Work `issue` from `moment`; returns when `worker` is free for the next item."""
        rng = self.rng
        start = with_jitter(rng, to_working_time(moment))
        if issue.assignee is not worker:
            issue.assign(start - timedelta(minutes=rng.randint(1, 4)), worker, worker)
        issue.transition(start, worker, "In Progress")
        owner = worker
        finish = add_working_days(start, days)
        released_at: datetime | None = None
        if days > 2 and rng.random() < 0.03:
            handover = with_jitter(rng, add_working_days(start, days * rng.uniform(0.3, 0.7)))
            mate = self._mate(worker, handover, finish + timedelta(days=30))
            if mate is not None and handover < until:
                issue.assign(handover, self._lead_at(handover), mate)
                owner, released_at = mate, handover
        if owner is worker and worker.terminated_on is not None and finish > until:
            # The worker leaves first: hand it to a teammate, or back to the backlog.
            leave = until - timedelta(minutes=rng.randint(5, 90))
            mate = self._mate(worker, leave, finish + timedelta(days=30))
            if mate is not None:
                issue.assign(leave, self._lead_at(leave), mate)
                owner = mate
            else:
                issue.remaining_days = max(0.5, days * 0.5)
                issue.transition(leave, worker, "To Do", assign=None)
                self.orphans.append((leave, issue))
                return until
            released_at = leave
        if issue.issue_type != "Bug" and rng.random() < 0.015:
            issue.transition(with_jitter(rng, finish), owner, "Won't Do")
            return released_at or finish
        if rng.random() < 0.8:
            issue.transition(with_jitter(rng, finish), owner, "In Review")
            done = with_jitter(rng, add_working_days(finish, rng.uniform(0.2, 2.5)))
            if owner.terminated_on is not None:
                # A review never outlasts its owner's last day.
                done = min(done, self.available_until(owner) - timedelta(minutes=rng.randint(1, 4)))
            reviewer = self._mate(owner, finish, done) or owner
            if self.review_rounds_max:
                self._review_rounds(issue, owner, reviewer, done)
            issue.transition(done, reviewer, "Done")
        else:
            done = with_jitter(rng, finish)
            issue.transition(done, owner, "Done")
        if rng.random() < 0.04:
            reopened = with_jitter(rng, add_working_days(done, rng.uniform(1, 8)))
            fix_by = owner if self.available_until(owner) > reopened + timedelta(days=5) else None
            fix_by = fix_by or self._mate(owner, reopened, reopened + timedelta(days=5))
            if fix_by is not None:
                issue.transition(reopened, self._lead_at(reopened), "In Progress", assign=fix_by)
                redone = with_jitter(rng, add_working_days(reopened, rng.uniform(0.3, 2.0)))
                issue.transition(redone, fix_by, "Done")
        return released_at or finish

    def _review_rounds(self, issue: Issue, owner: Person, reviewer: Person, done: datetime) -> None:
        """Send `issue` back from review to `owner` and back to review, before `done`.

        The rounds share the review time evenly (each moment jittered inside its
        slot), so the history stays in time order and the issue stays in progress.
        """
        rng = self.rng
        rounds = rng.randint(0, self.review_rounds_max)
        in_review = issue.changes[-1].at
        span = done - in_review
        slots = 2 * rounds + 1
        if rounds == 0 or span < timedelta(seconds=slots):
            return
        for n in range(1, slots):
            at = in_review + span * ((n - 1 + rng.uniform(0.3, 0.9)) / slots)
            if n % 2:
                issue.transition(at, reviewer, "In Progress")
            else:
                issue.transition(at, owner, "In Review")

    def _story(self, worker: Person, moment: datetime) -> Issue:
        rng = self.rng
        weights = [f.budget - f.created_stories for f in self.active]
        feature = rng.choices(self.active, weights)[0]
        feature.created_stories += 1
        if feature.created_stories >= feature.budget:
            self.active.remove(feature)
        template = rng.choice(names.STORY_TEMPLATES)
        summary = template.format(noun=feature.name.split(" ", 1)[-1])
        issue_type = "Story" if rng.random() < 0.85 else "Task"
        others = [
            f
            for f in self.active
            if f is not feature
            and f.epic.project is feature.epic.project
            and f.started_at is not None
        ]
        moved_from = rng.choice(others) if others and rng.random() < 0.02 else None
        epic = moved_from.epic if moved_from else feature.epic
        issue = self._new_issue(
            issue_type,
            summary,
            moment,
            worker,
            project=feature.epic.project,
            epic=epic,
            area=feature.area,
        )
        if moved_from is not None:
            moved_at = issue.created_at + (moment - issue.created_at) * rng.uniform(0.2, 0.8)
            issue.change(
                with_jitter(rng, moved_at),
                self._lead_at(moved_at),
                [("epic", moved_from.epic, feature.epic)],
            )
        feature.issues.append(issue)
        if feature.started_at is None:
            feature.started_at = moment
        return issue

    def _side_issue(self, worker: Person, moment: datetime, kind: str) -> Issue:
        rng = self.rng
        area = rng.choice(self.product.areas)
        if kind == "bug":
            in_feature = [f for f in self.active if f.epic.project is self.project]
            feature = rng.choice(in_feature) if in_feature and rng.random() < 0.5 else None
            summary = rng.choice(names.BUG_TEMPLATES).format(area=area.replace("_", " "))
            issue = self._new_issue(
                "Bug",
                summary,
                moment,
                worker,
                epic=feature.epic if feature else None,
                area=feature.area if feature else area,
            )
            if feature is not None:
                feature.issues.append(issue)
            return issue
        if kind == "debt":
            summary = rng.choice(names.DEBT_TEMPLATES).format(area=area.replace("_", " "))
            return self._new_issue(
                "Task", summary, moment, worker, labels=[TECH_DEBT_LABEL], area=area
            )
        customer = rng.choice(self.partners)
        summary = rng.choice(names.COMMITMENT_TEMPLATES).format(customer=customer.name)
        return self._new_issue(
            "Task", summary, moment, worker, labels=[CUSTOMER_COMMITMENT_LABEL], area=area
        )

    # --- the loop ------------------------------------------------------------------

    def run(self) -> None:
        """Simulate the team from the history start to the as-of instant."""
        rng = self.rng
        start = self.company.history_start
        queue = [(self.available_from(w, start), w.employee_no, w) for w in self.workers]
        heapq.heapify(queue)
        tech_team = self.team.default_category in ("tech_investment", "ktlo")
        while queue:
            moment, number, worker = heapq.heappop(queue)
            moment = to_working_time(moment)
            until = self.available_until(worker)
            if moment >= until - timedelta(hours=2):
                continue
            busy_now = len(self._employed(self.workers, moment, moment))
            wanted = max(1, round(busy_now / 3.5))
            while len(self.active) < wanted:
                self._activate_feature(moment, busy_now)
            sales_led_now = self.sales_led and moment.date() >= self.company.story.sales_led_since
            debt_until = 0.27 + (0.12 if tech_team else 0.06)
            commitment_until = debt_until + (0.06 if sales_led_now else 0.01)
            ready = [o for o in self.orphans if o[0] <= moment]
            r = rng.random()
            if rng.random() < 0.012:
                # Holidays: one or two weeks with no Jira work.
                free_at = add_working_days(moment, rng.choice((5, 5, 10)))
            elif ready and r < 0.5:
                self.orphans.remove(ready[0])
                issue = ready[0][1]
                free_at = self._work(issue, worker, moment, until, issue.remaining_days)
            elif r < 0.12:
                # Meetings, support: as much shorter as the issues are.
                free_at = add_working_days(moment, rng.uniform(0.5, 3.0) * self.days_factor)
            elif r < 0.27:
                issue = self._side_issue(worker, moment, "bug")
                free_at = self._work(issue, worker, moment, until, self._duration(issue))
            elif r < debt_until:
                issue = self._side_issue(worker, moment, "debt")
                free_at = self._work(issue, worker, moment, until, self._duration(issue))
            elif r < commitment_until:
                issue = self._side_issue(worker, moment, "commitment")
                free_at = self._work(issue, worker, moment, until, self._duration(issue))
            else:
                issue = self._story(worker, moment)
                free_at = self._work(issue, worker, moment, until, self._duration(issue))
            heapq.heappush(queue, (max(free_at, moment + timedelta(minutes=1)), number, worker))
        for _ in range(rng.randint(1, 2)):
            self._backlog_feature(AS_OF_INSTANT - timedelta(days=rng.randint(1, 40)))
        self._finish()

    def _finish(self) -> None:
        """Cut at the as-of instant; settle features, epics and Aha! audits."""
        for issue in self.issues:
            if issue.issue_type != "Epic":
                issue.cut_at_as_of()
        self.issues = [i for i in self.issues if i.created_at < AS_OF_INSTANT]
        for feature in self.features:
            _settle_feature(feature, self.rng)


def _settle_feature(feature: RoadmapFeature, rng: random.Random) -> None:
    """Status, ship date, epic history and Aha! audits of a feature, from its issues."""
    issues = [i for i in feature.issues if i.created_at < AS_OF_INSTANT]
    starts = [
        c.at
        for i in issues
        for c in i.changes
        if any(it[0] == "status" and it[2] in IN_PROGRESS for it in c.items)
    ]
    feature.started_at = min(starts) if starts else None
    all_done = (
        feature.created_stories >= feature.budget
        and issues
        and all(i.status in DONE_STATUSES for i in issues)
    )
    if all_done:
        last = max(i.resolved_at or i.created_at for i in issues)
        shipped = with_jitter(rng, add_working_days(last, rng.uniform(0.1, 2.0)))
        # Shipped only if Aha! hears of it (up to 90 minutes later) before the as-of instant.
        feature.shipped_at = shipped if shipped + timedelta(minutes=90) < AS_OF_INSTANT else None
    epic = feature.epic
    lead = epic.reporter
    if feature.started_at is not None:
        epic.transition(
            feature.started_at + timedelta(seconds=rng.randint(5, 300)), None, "In Progress"
        )
    if feature.shipped_at is not None:
        epic.transition(feature.shipped_at - timedelta(minutes=rng.randint(1, 4)), lead, "Done")
    epic.cut_at_as_of()
    feature.audits = [
        (
            feature.created_at,
            {
                "workflow_status": [None, "Ready to develop"],
                "release": [None, feature.planned_release],
            },
        )
    ]
    release = feature.planned_release
    events: list[tuple[datetime, dict[str, list[str | None]]]] = []
    if feature.started_at is not None:
        at = feature.started_at + timedelta(minutes=rng.randint(30, 600))
        if at < AS_OF_INSTANT:
            events.append((at, {"workflow_status": ["Ready to develop", "In development"]}))
            feature.status = "In development"
    finished = feature.shipped_at.date() if feature.shipped_at else None
    while True:
        ends = quarter_end(quarter_from_release(release))
        if finished is not None and finished <= ends:
            break
        slip_day = ends - timedelta(days=rng.randint(0, 12))
        slip_at = random_working_moment(rng, slip_day)
        slip_at = max(slip_at, feature.created_at + timedelta(days=1))
        if slip_at >= AS_OF_INSTANT:
            break
        skip = 2 if rng.random() < 0.1 else 1
        target = next_quarter(ends)
        for _ in range(skip - 1):
            target = next_quarter(target)
        new_release = release_name(target)
        events.append((slip_at, {"release": [release, new_release]}))
        release = new_release
    if feature.shipped_at is not None:
        ship_quarter = release_name(feature.shipped_at.date())
        if quarter_from_release(ship_quarter) < quarter_from_release(release):
            events.append((feature.shipped_at, {"release": [release, ship_quarter]}))
            release = ship_quarter
        events.append(
            (
                feature.shipped_at + timedelta(minutes=rng.randint(1, 90)),
                {"workflow_status": [feature.status, "Shipped"]},
            )
        )
        feature.status = "Shipped"
    events.sort(key=lambda e: e[0])
    feature.audits += [e for e in events if e[0] < AS_OF_INSTANT]
    feature.release = release


def simulate_portfolio_work(
    company: Company,
    portfolio_id: str,
    people: list[Person],
    counter: RunningNumbers,
    seed: int,
) -> tuple[list[Issue], list[RoadmapFeature]]:
    """All issues and features the teams of one portfolio produced over the history."""
    issues: list[Issue] = []
    features: list[RoadmapFeature] = []
    members_of: dict[str, list[Person]] = {}
    for person in people:
        members_of.setdefault(person.team_id, []).append(person)
    for team in company.teams:
        if team.portfolio_id != portfolio_id:
            continue
        work = TeamWork(
            company,
            team,
            members_of.get(team.id, []),
            counter,
            random.Random(f"{seed}/work/{team.id}"),
        )
        work.run()
        issues += work.issues
        features += work.features
    _number(issues, features)
    return issues, features


def _number(issues: list[Issue], features: list[RoadmapFeature]) -> None:
    """Jira keys per project and Aha! reference numbers per product, in creation order."""
    by_project: dict[str, list[Issue]] = {}
    for issue in issues:
        by_project.setdefault(issue.project.key, []).append(issue)
    for key in sorted(by_project):
        ordered = sorted(by_project[key], key=lambda i: (i.created_at, i.uid))
        for n, issue in enumerate(ordered, start=1):
            issue.key = f"{key}-{n}"
            issue.id = str(100000 + issue.uid)
    by_product: dict[str, list[RoadmapFeature]] = {}
    for feature in features:
        by_product.setdefault(feature.product.id, []).append(feature)
    for pid in sorted(by_product):
        ordered = sorted(by_product[pid], key=lambda f: (f.created_at, f.uid))
        for n, feature in enumerate(ordered, start=1):
            feature.reference_num = f"{feature.product.prefix}-{n}"
            feature.id = str(7_001_000_000_000_000_000 + feature.uid * 7_919)
