"""The people of a generated company: positions, hires, leavers, pay.

Each team has positions (one PM, one engineering manager, engineers, maybe a designer
and a QA engineer; a product's first team also holds its group PM and data analyst, a
portfolio's first team its two directors). A position is filled by a sequence of
people: some leave (any day of the month), the position stays open for a while, and
someone new is hired. Part of the positions are created during the history (growth).
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from productops.demo import names
from productops.demo.calendar import AS_OF, is_working_day
from productops.demo.org import LOCATIONS, Company, Location, Team

EMAIL_DOMAIN = "lumen-platform.example"
ANNUAL_ATTRITION = 0.11

# Job title -> (role family, department, New York base salary in USD).
JOB_TITLES: dict[str, tuple[str, str, int]] = {
    "Associate Product Manager": ("pm", "Product", 115_000),
    "Product Manager": ("pm", "Product", 160_000),
    "Senior Product Manager": ("pm", "Product", 195_000),
    "Group Product Manager": ("pm", "Product", 225_000),
    "Director of Product": ("pm", "Product", 260_000),
    "Software Engineer": ("engineering", "Engineering", 140_000),
    "Senior Software Engineer": ("engineering", "Engineering", 180_000),
    "Staff Software Engineer": ("engineering", "Engineering", 220_000),
    "Site Reliability Engineer": ("engineering", "Engineering", 175_000),
    "Data Engineer": ("engineering", "Engineering", 165_000),
    "Product Designer": ("design", "Design", 135_000),
    "Senior Product Designer": ("design", "Design", 165_000),
    "Engineering Manager": ("other", "Engineering", 215_000),
    "Director of Engineering": ("other", "Engineering", 265_000),
    "QA Engineer": ("other", "Engineering", 120_000),
    "Data Analyst": ("other", "Data", 125_000),
}
ENGINEER_TITLES = (
    ("Software Engineer", 0.38),
    ("Senior Software Engineer", 0.40),
    ("Staff Software Engineer", 0.08),
    ("Site Reliability Engineer", 0.08),
    ("Data Engineer", 0.06),
)
CONVERSION_FROM_USD = {"USD": 1.0, "GBP": 0.79, "EUR": 0.92}


@dataclass
class Person:
    """One employee, as HR knows them (current compensation only)."""

    employee_no: int
    first_name: str
    last_name: str
    email: str
    account_id: str
    title: str
    team_id: str
    location: Location
    salary: float
    currency: str
    fte: float
    hired_on: date
    terminated_on: date | None
    position: str  # role kind of the position: pm, em, eng, design, qa, gpm, data, dop, doe
    manager_no: int | None = None

    @property
    def role_family(self) -> str:
        """pm | engineering | design | other."""
        return JOB_TITLES[self.title][0]

    @property
    def department(self) -> str:
        """The HR department of the job title."""
        return JOB_TITLES[self.title][1]

    @property
    def display_name(self) -> str:
        """How Jira shows the person."""
        return f"{self.first_name} {self.last_name}"

    def employed_on(self, day: date) -> bool:
        """Whether `day` is within hire and termination dates (both inclusive)."""
        return self.hired_on <= day and (self.terminated_on is None or day <= self.terminated_on)

    @property
    def does_jira_work(self) -> bool:
        """Engineers pick up Jira issues; other roles show up as reporters only."""
        return self.role_family == "engineering"


@dataclass
class _Position:
    team: Team
    kind: str
    opens: date  # before the history start for positions that already exist


def _positions(company: Company, rng: random.Random) -> list[_Position]:
    scale, start = company.scale, company.history_start
    positions: list[_Position] = []
    first_team_of_product: dict[str, Team] = {}
    first_team_of_portfolio: dict[str, Team] = {}
    for team in company.teams:
        first_team_of_product.setdefault(team.product_id, team)
        first_team_of_portfolio.setdefault(team.portfolio_id, team)
    fixed: list[tuple[Team, str]] = []
    for team in company.teams:
        fixed += [(team, "pm"), (team, "em")]
        if rng.random() < scale.designer_share:
            fixed.append((team, "design"))
        if rng.random() < scale.qa_share:
            fixed.append((team, "qa"))
    for team in first_team_of_product.values():
        fixed += [(team, "gpm"), (team, "data")]
    for team in first_team_of_portfolio.values():
        fixed += [(team, "dop"), (team, "doe")]
    engineers = max(len(company.teams) * 3, scale.positions - len(fixed))
    weights = [rng.uniform(0.7, 1.3) for _ in company.teams]
    total = sum(weights)
    per_team = [max(3, round(engineers * w / total)) for w in weights]
    history_days = (AS_OF - start).days
    for team, kind in fixed:
        positions.append(_Position(team, kind, start - timedelta(days=1)))
    for team, count in zip(company.teams, per_team, strict=True):
        for _ in range(count):
            # About a fifth of engineering positions are created during the history.
            opens = start - timedelta(days=1)
            if rng.random() < 0.2:
                opens = start + timedelta(days=rng.randrange(history_days - 30))
            positions.append(_Position(team, "eng", opens))
    return positions


def _title(kind: str, rng: random.Random) -> str:
    if kind == "eng":
        r, acc = rng.random(), 0.0
        for title, share in ENGINEER_TITLES:
            acc += share
            if r < acc:
                return title
        return ENGINEER_TITLES[0][0]
    return {
        "pm": rng.choice(
            (
                "Product Manager",
                "Product Manager",
                "Senior Product Manager",
                "Associate Product Manager",
            )
        ),
        "em": "Engineering Manager",
        "design": rng.choice(("Product Designer", "Senior Product Designer")),
        "qa": "QA Engineer",
        "gpm": "Group Product Manager",
        "data": "Data Analyst",
        "dop": "Director of Product",
        "doe": "Director of Engineering",
    }[kind]


def _weekday_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


class _Namer:
    """Hands out unique names, e-mails and Jira account ids."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.emails: set[str] = set()
        self.accounts: set[str] = set()

    def person(self) -> tuple[str, str, str, str]:
        first = self.rng.choice(names.FIRST_NAMES)
        last = self.rng.choice(names.LAST_NAMES)
        local = f"{_ascii(first)}.{_ascii(last)}".replace(" ", "")
        email, n = f"{local}@{EMAIL_DOMAIN}", 1
        while email in self.emails:
            n += 1
            email = f"{local}{n}@{EMAIL_DOMAIN}"
        self.emails.add(email)
        account = f"{self.rng.getrandbits(96):024x}"
        while account in self.accounts:
            account = f"{self.rng.getrandbits(96):024x}"
        self.accounts.add(account)
        return first, last, email, account


def simulate_people(company: Company, seed: int) -> list[Person]:
    """Everyone who worked at the company during its history, by employee number."""
    rng = random.Random(f"{seed}/people")
    namer = _Namer(random.Random(f"{seed}/names"))
    start = company.history_start
    daily_leave = ANNUAL_ATTRITION / 365
    occupants: list[tuple[date, _Position, date | None]] = []
    for position in _positions(company, rng):
        if position.opens < start:
            hired = start - timedelta(days=rng.randrange(20, 6 * 365))
        else:
            hired = position.opens
        while hired < AS_OF:
            hired = _weekday_on_or_after(hired)
            stays_from = max(hired, start)
            tenure = rng.expovariate(daily_leave)
            leaves = stays_from + timedelta(days=int(tenure))
            if position.kind in ("dop", "doe") or leaves >= AS_OF:
                occupants.append((hired, position, None))
                break
            leaves = _weekday_on_or_after(leaves)
            if leaves >= AS_OF:
                occupants.append((hired, position, None))
                break
            occupants.append((hired, position, leaves))
            hired = leaves + timedelta(days=rng.randrange(20, 80))
    # Employee numbers follow hire dates, as an HR system hands them out.
    occupants.sort(key=lambda o: (o[0], o[1].team.id, o[1].kind, o[2] or AS_OF))
    people: list[Person] = []
    for number, (hired, position, leaves) in enumerate(occupants, start=1001):
        title = _title(position.kind, rng)
        location = position.team.location
        if position.kind in ("eng", "design", "qa") and rng.random() < 0.2:
            location = rng.choice(LOCATIONS)
        fte = 1.0
        if position.kind in ("eng", "design", "qa", "data", "pm") and rng.random() < 0.07:
            fte = rng.choice((0.8, 0.8, 0.5))
        usd = JOB_TITLES[title][2] * location.pay_factor * rng.uniform(0.9, 1.12)
        salary = round(usd * CONVERSION_FROM_USD[location.currency] / 500) * 500
        first, last, email, account = namer.person()
        people.append(
            Person(
                number,
                first,
                last,
                email,
                account,
                title,
                position.team.id,
                location,
                float(salary),
                location.currency,
                fte,
                hired,
                leaves,
                position.kind,
            )
        )
    _assign_managers(people, company)
    return people


def _holder(candidates: list[Person], day: date) -> Person | None:
    for person in candidates:
        if person.employed_on(day):
            return person
    return None


def _assign_managers(people: list[Person], company: Company) -> None:
    """`Reports To` as the export shows it: the manager on the person's last day (or today)."""
    by_kind: dict[tuple[str, str], list[Person]] = {}
    for person in people:
        by_kind.setdefault((person.team_id, person.position), []).append(person)
    teams = {t.id: t for t in company.teams}
    first_team_of_product: dict[str, str] = {}
    first_team_of_portfolio: dict[str, str] = {}
    for team in company.teams:
        first_team_of_product.setdefault(team.product_id, team.id)
        first_team_of_portfolio.setdefault(team.portfolio_id, team.id)
    for person in people:
        team = teams[person.team_id]
        day = min(person.terminated_on or AS_OF, AS_OF - timedelta(days=1))
        portfolio_team = first_team_of_portfolio[team.portfolio_id]
        product_team = first_team_of_product[team.product_id]
        chain = {
            "eng": [(team.id, "em"), (portfolio_team, "doe")],
            "qa": [(team.id, "em"), (portfolio_team, "doe")],
            "design": [(team.id, "em"), (portfolio_team, "doe")],
            "em": [(portfolio_team, "doe")],
            "pm": [(product_team, "gpm"), (portfolio_team, "dop")],
            "data": [(product_team, "gpm"), (portfolio_team, "dop")],
            "gpm": [(portfolio_team, "dop")],
            "dop": [],
            "doe": [],
        }[person.position]
        for key in chain:
            manager = _holder(by_kind.get(key, []), day)
            if manager is not None and manager is not person:
                person.manager_no = manager.employee_no
                break
