"""The organisation of a generated company: portfolios, products, teams, partners.

Built once per generation from the scale and the seed. Which product loses money,
which portfolio is sales-led and which product area slows down are fixed by position
(not by chance), so the story holds for every seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from productops.demo import names
from productops.demo.calendar import AS_OF, history_start
from productops.demo.scale import Scale

CATEGORIES = ("new_capability", "customer_commitment", "ktlo", "tech_investment")
REPORTING_CURRENCY = "USD"
ANALYTICS_FIRST_MONTH = date(2025, 11, 1)  # twelve closed months of events up to October 2026
ENABLE_EVENT_TYPE = "Feature Enabled"


@dataclass(frozen=True)
class Location:
    """An office: salary currency, pay level relative to New York, loading override."""

    name: str
    currency: str
    pay_factor: float
    timezone: str
    loading_factor: float | None = None


LOCATIONS = (
    Location("New York", "USD", 1.00, "America/New_York"),
    Location("Austin", "USD", 0.88, "America/Chicago"),
    Location("London", "GBP", 0.62, "Europe/London"),
    Location("Berlin", "EUR", 0.56, "Europe/Berlin", loading_factor=1.40),
    Location("Lisbon", "EUR", 0.38, "Europe/Lisbon"),
)
DEFAULT_LOADING_FACTOR = 1.30
_BY_NAME = {location.name: location for location in LOCATIONS}
# The two offices each portfolio hires in, by portfolio position.
HOME_OFFICES = tuple(
    (_BY_NAME[a], _BY_NAME[b])
    for a, b in (
        ("London", "New York"),
        ("Berlin", "Lisbon"),
        ("New York", "Austin"),
        ("Lisbon", "London"),
        ("Austin", "Berlin"),
    )
)


@dataclass
class AnalyticsFeature:
    """A feature the analytics events mark (catalog `features`)."""

    id: str
    product_id: str
    event_type: str
    released_on: date


@dataclass
class Project:
    """A Jira project; `style` is `company` (Epic Link field) or `team` (parent)."""

    key: str
    id: str
    name: str
    product_id: str
    style: str


@dataclass
class Product:
    """A product with everything the catalog maps to it."""

    id: str
    name: str
    portfolio_id: str
    prefix: str
    app: str
    areas: list[str]
    launched_on: date
    projects: list[Project] = field(default_factory=list)
    skus: list[str] = field(default_factory=list)
    cost_centre: str = ""
    features: list[AnalyticsFeature] = field(default_factory=list)
    weight: float = 1.0

    @property
    def pm(self) -> str:
        """The PM's role handle (never a person's name)."""
        return f"PM {self.name}"


@dataclass
class Portfolio:
    """A portfolio of products, owned by a director's role handle."""

    id: str
    name: str
    products: list[Product] = field(default_factory=list)
    locations: tuple[Location, Location] = (LOCATIONS[0], LOCATIONS[2])

    @property
    def director(self) -> str:
        """The director's role handle."""
        return f"VP {self.name}"


@dataclass
class Team:
    """A team: the product it mainly serves, its Jira project and home office."""

    id: str
    name: str
    product_id: str
    portfolio_id: str
    default_category: str
    location: Location
    project_key: str


@dataclass
class Partner:
    """A B2B customer (bank or retailer) billed in its own currency."""

    id: str
    name: str
    kind: str
    country: str
    currency: str
    size: float


@dataclass
class Subscription:
    """A partner buying one SKU from `start` (first month billed) to `end` (or None)."""

    partner_id: str
    sku: str
    product_id: str | None  # None: a SKU the catalog does not map
    start: date
    end: date | None
    monthly_usd: float


@dataclass
class Story:
    """The facts a CPO should notice, planted on purpose."""

    loss_product: str
    over_cap_portfolio: str
    slowing_area: str
    # Customer-commitment work in the over-cap portfolio rises from this day on.
    sales_led_since: date
    # Decision latency in the slowing area grows from this day on.
    slowing_since: date


@dataclass
class Company:
    """The whole organisation of a generated company."""

    scale: Scale
    history_start: date
    portfolios: list[Portfolio]
    teams: list[Team]
    partners: list[Partner]
    subscriptions: list[Subscription]
    story: Story
    unmapped_sku: str
    unmapped_cost_centre: str

    @property
    def products(self) -> dict[str, Product]:
        """Products by id, in catalog order."""
        return {p.id: p for portfolio in self.portfolios for p in portfolio.products}

    @property
    def portfolio_of(self) -> dict[str, str]:
        """Portfolio id of each product id."""
        return {p.id: pf.id for pf in self.portfolios for p in pf.products}

    @property
    def projects(self) -> dict[str, Project]:
        """Jira projects by key."""
        return {pr.key: pr for p in self.products.values() for pr in p.projects}

    @property
    def area_product(self) -> dict[str, str]:
        """Product id of each product area."""
        return {a: p.id for p in self.products.values() for a in p.areas}


def _split(total: int, parts: int) -> list[int]:
    """`total` split into `parts` near-equal whole numbers, larger ones first."""
    base, extra = divmod(total, parts)
    return [base + (i < extra) for i in range(parts)]


def _suffixed(text: str, n: int, sep: str = "_") -> str:
    return text if n == 0 else f"{text}{sep}{n + 1}"


def _build_products(scale: Scale, rng: random.Random, start: date) -> list[Portfolio]:
    portfolios = []
    for index in range(scale.portfolios):
        base_id, base_name = names.PORTFOLIOS[index % len(names.PORTFOLIOS)]
        round_ = index // len(names.PORTFOLIOS)
        home = HOME_OFFICES[index % len(HOME_OFFICES)]
        portfolios.append(
            Portfolio(_suffixed(base_id, round_), _suffixed(base_name, round_, " "), locations=home)
        )
    counts = _split(scale.products, scale.portfolios)
    product_index = 0
    for portfolio, count in zip(portfolios, counts, strict=True):
        for _ in range(count):
            vocab = names.PRODUCTS[product_index % len(names.PRODUCTS)]
            n = product_index // len(names.PRODUCTS)
            pid, pname, prefix, app, areas, features = vocab
            product = Product(
                id=_suffixed(pid, n),
                name=_suffixed(pname, n, " "),
                portfolio_id=portfolio.id,
                prefix=prefix if n == 0 else f"{prefix}{n + 1}",
                app=_suffixed(app, n, ""),
                areas=[_suffixed(a, n) for a in areas],
                launched_on=date(rng.randrange(2016, 2022), rng.randrange(1, 13), 1),
                weight=rng.uniform(0.8, 1.5),
            )
            product.skus = [f"{product.prefix}-STD", f"{product.prefix}-ENT"]
            if rng.random() < 0.5:
                product.skus.append(f"{product.prefix}-USAGE")
            product.cost_centre = f"CC-{4100 + 10 * product_index}"
            for fid, event_type in features:
                released = date(2025, 10, 6) + timedelta(days=rng.randrange(0, 290))
                product.features.append(
                    AnalyticsFeature(
                        _suffixed(fid, n), product.id, _suffixed(event_type, n, " "), released
                    )
                )
            portfolio.products.append(product)
            product_index += 1
    # The newest product: launched after the history starts, still small in revenue.
    newest = portfolios[-1].products[-1]
    newest.launched_on = start + timedelta(days=215)
    newest.weight = 0.9
    return portfolios


def _build_teams(scale: Scale, portfolios: list[Portfolio], rng: random.Random) -> list[Team]:
    products = [p for pf in portfolios for p in pf.products]
    # Every product gets at least two teams; the rest follow the products' weights.
    counts = {p.id: 2 for p in products}
    spare = scale.teams - 2 * len(products)
    total_weight = sum(p.weight for p in products)
    shares = sorted(((spare * p.weight / total_weight, p.id) for p in products), reverse=True)
    for share, pid in shares:
        counts[pid] += int(share)
    leftover = scale.teams - sum(counts.values())
    for _, pid in shares[:leftover]:
        counts[pid] += 1
    portfolio_by_id = {pf.id: pf for pf in portfolios}
    teams: list[Team] = []
    project_counter = 10000
    for index, product in enumerate(products):
        n_projects = 1 if counts[product.id] <= 4 else 2
        for p_index in range(n_projects):
            style = "company" if (index + p_index) % 2 == 0 else "team"
            key = product.prefix if p_index == 0 else f"{product.prefix}OPS"
            name = product.name if p_index == 0 else f"{product.name} Operations"
            product.projects.append(Project(key, str(project_counter), name, product.id, style))
            project_counter += 1
        portfolio = portfolio_by_id[product.portfolio_id]
        for t_index in range(counts[product.id]):
            suffix, category = names.TEAM_SUFFIXES[t_index % len(names.TEAM_SUFFIXES)]
            name = _suffixed(f"{product.name} {suffix}", t_index // len(names.TEAM_SUFFIXES), " ")
            teams.append(
                Team(
                    id=name.lower().replace(" ", "_").replace("&", "and"),
                    name=name,
                    product_id=product.id,
                    portfolio_id=portfolio.id,
                    default_category=category,
                    location=portfolio.locations[t_index % 2],
                    project_key=product.projects[t_index % n_projects].key,
                )
            )
    return teams


def _build_partners(scale: Scale, rng: random.Random) -> list[Partner]:
    partners = []
    for index in range(scale.partners):
        name, kind, country, currency = names.PARTNERS[index % len(names.PARTNERS)]
        n = index // len(names.PARTNERS)
        name = _suffixed(name, n, " ")
        pid = "".join(c if c.isalnum() else "_" for c in name.lower()).replace("__", "_")
        partners.append(
            Partner(
                pid.strip("_"), name, kind, country, currency, size=rng.lognormvariate(0.0, 0.6)
            )
        )
    return partners


def _month_on_or_after(day: date) -> date:
    return day if day.day == 1 else date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _build_subscriptions(
    portfolios: list[Portfolio],
    partners: list[Partner],
    start: date,
    rng: random.Random,
    unmapped_sku: str,
) -> list[Subscription]:
    products = [p for pf in portfolios for p in pf.products]
    subscriptions = []
    for partner in partners:
        chosen = rng.sample(products, k=min(len(products), rng.randint(2, 5)))
        for product in sorted(chosen, key=lambda p: p.id):
            earliest = max(_month_on_or_after(product.launched_on), start)
            if product.launched_on < start and rng.random() < 0.75:
                first = start - timedelta(days=400)  # an existing customer before the history
            else:
                first = earliest + timedelta(days=rng.randrange(0, 420))
            first = _month_on_or_after(max(first, _month_on_or_after(product.launched_on)))
            if first > AS_OF:
                continue
            end = None
            if rng.random() < 0.12:
                end = _month_on_or_after(first + timedelta(days=rng.randrange(200, 800)))
            sku = rng.choice(product.skus)
            subscriptions.append(
                Subscription(
                    partner.id,
                    sku,
                    product.id,
                    first,
                    end,
                    monthly_usd=partner.size * rng.uniform(0.6, 1.4),
                )
            )
    for partner in rng.sample(partners, k=min(3, len(partners))):
        subscriptions.append(
            Subscription(
                partner.id,
                unmapped_sku,
                None,
                start - timedelta(days=700),
                None,
                monthly_usd=rng.uniform(2_000, 6_000),
            )
        )
    return subscriptions


def build_company(scale: Scale, seed: int) -> Company:
    """The organisation of the company for `scale` and `seed`."""
    rng = random.Random(f"{seed}/org")
    start = history_start(scale.years)
    portfolios = _build_products(scale, rng, start)
    teams = _build_teams(scale, portfolios, rng)
    partners = _build_partners(scale, rng)
    unmapped_sku = "SMS-ALERTS"
    subscriptions = _build_subscriptions(portfolios, partners, start, rng, unmapped_sku)
    loss = portfolios[-1].products[-1]
    over_cap = portfolios[1 % len(portfolios)]
    slowing_product = over_cap.products[0]
    story = Story(
        loss_product=loss.id,
        over_cap_portfolio=over_cap.id,
        slowing_area=slowing_product.areas[1 % len(slowing_product.areas)],
        sales_led_since=date(AS_OF.year - 1, 4, 1),
        slowing_since=date(AS_OF.year - 1, 6, 1),
    )
    return Company(
        scale,
        start,
        portfolios,
        teams,
        partners,
        subscriptions,
        story,
        unmapped_sku=unmapped_sku,
        unmapped_cost_centre="CC-4999",
    )
