"""Finance exports: monthly FX rates, recognised revenue by SKU and partner, GL lines.

Only closed months are exported (history start to `LAST_CLOSED_MONTH`). Revenue of a
product is calibrated to its size: healthy products earn several times what their
people cost, the story's loss-making product a fraction of it. GL lines hold the
non-people R&D cost (cloud, tools, contractors on R&D accounts and product cost
centres) next to lines that must not count: rent and marketing on other accounts and
cost centres, travel on a product cost centre, and cloud cost on a cost centre the
catalog does not map.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from productops.demo.calendar import (
    LAST_CLOSED_MONTH,
    days_in_month,
    month_label,
    month_start,
    months_between,
    next_working_day,
)
from productops.demo.org import LOCATIONS, Company
from productops.demo.writers import CsvWriter

CURRENCIES = ("CAD", "EUR", "GBP", "USD")
RND_ACCOUNTS = {"6100": "Cloud Hosting", "6200": "Software & Tools", "6300": "Contractors"}
OTHER_ACCOUNTS = {
    "7100": "Rent & Facilities",
    "7200": "Marketing Programs",
    "7300": "Travel & Entertainment",
}
FACILITIES_CC, MARKETING_CC = "CC-9000", "CC-9100"
# Yearly revenue per position at the as-of date, in USD.
HEALTHY_REVENUE_PER_POSITION = 560_000
LOSS_REVENUE_PER_POSITION = 45_000
MONTHLY_GROWTH = 0.012

FxRates = dict[tuple[date, str], float]


def simulate_fx(company: Company, seed: int) -> FxRates:
    """Monthly rates to USD for every currency used, rounded as the export writes them."""
    rng = random.Random(f"{seed}/fx")
    level = {"CAD": 0.74, "EUR": 1.07, "GBP": 1.25}
    rates: FxRates = {}
    for month in months_between(company.history_start, LAST_CLOSED_MONTH):
        rates[(month, "USD")] = 1.0
        for currency in ("CAD", "EUR", "GBP"):
            level[currency] *= 1 + rng.gauss(0, 0.012)
            rates[(month, currency)] = round(level[currency], 6)
    return rates


def write_fx(path: Path, rates: FxRates) -> int:
    """fx_rates.csv; returns its row count."""
    writer = CsvWriter(path, ("Month", "Currency", "Rate"))
    for (month, currency), rate in sorted(rates.items()):
        writer.write((month_label(month), currency, f"{rate:.6f}"))
    return writer.close()


@dataclass
class Ledger:
    """Monthly sums in USD the truth file reports."""

    revenue: dict[str, dict[str, float]]
    unmapped_revenue: dict[str, float]
    other_rnd_cost: dict[str, dict[str, float]]
    unmapped_rnd_cost: dict[str, float]
    revenue_rows: int = 0
    gl_rows: int = 0


def _positions_by_product(company: Company, active_positions: dict[str, int]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for team in company.teams:
        counts[team.product_id] += active_positions.get(team.id, 0)
    return counts


def write_revenue(
    path: Path,
    company: Company,
    rates: FxRates,
    seed: int,
    active_positions: dict[str, int],
    ledger: Ledger,
) -> None:
    """revenue.csv, month by month, adding each line's USD value to `ledger`."""
    rng = random.Random(f"{seed}/revenue")
    partners = {p.id: p for p in company.partners}
    months = months_between(company.history_start, LAST_CLOSED_MONTH)
    positions = _positions_by_product(company, active_positions)
    # Scale each product's subscriptions so that its revenue at the end fits its size.
    scale_of: dict[str | None, float] = {None: 1.0}
    for product in company.products.values():
        live = [
            s
            for s in company.subscriptions
            if s.product_id == product.id
            and s.start <= LAST_CLOSED_MONTH
            and (s.end is None or s.end > LAST_CLOSED_MONTH)
        ]
        per_position = (
            LOSS_REVENUE_PER_POSITION
            if product.id == company.story.loss_product
            else HEALTHY_REVENUE_PER_POSITION * rng.uniform(0.8, 1.3)
        )
        target = positions[product.id] * per_position / 12
        scale_of[product.id] = target / max(1e-9, sum(s.monthly_usd for s in live))
    writer = CsvWriter(path, ("Period", "SKU", "Customer", "Amount", "Currency"))
    for index, month in enumerate(months):
        growth = (1 + MONTHLY_GROWTH) ** (index - len(months) + 1)
        for sub in sorted(company.subscriptions, key=lambda s: (s.sku, s.partner_id)):
            if not (sub.start <= month and (sub.end is None or month < sub.end)):
                continue
            partner = partners[sub.partner_id]
            months_live = (month.year - sub.start.year) * 12 + month.month - sub.start.month
            ramp = 0.5 if months_live < 3 else 1.0
            usd = (
                sub.monthly_usd * scale_of[sub.product_id] * growth * ramp * rng.uniform(0.93, 1.07)
            )
            rate = rates[(month, partner.currency)]
            amount = round(usd / rate, 2)
            writer.write(
                (month_label(month), sub.sku, partner.name, f"{amount:.2f}", partner.currency)
            )
            in_usd = amount * rate
            if sub.product_id is None:
                ledger.unmapped_revenue[month_label(month)] = (
                    ledger.unmapped_revenue.get(month_label(month), 0.0) + in_usd
                )
            else:
                by_month = ledger.revenue.setdefault(sub.product_id, {})
                by_month[month_label(month)] = by_month.get(month_label(month), 0.0) + in_usd
    ledger.revenue_rows = writer.close()


def write_gl(
    path: Path,
    company: Company,
    rates: FxRates,
    seed: int,
    active_positions: dict[str, int],
    ledger: Ledger,
) -> None:
    """gl.csv, month by month, adding R&D lines of mapped cost centres to `ledger`."""
    rng = random.Random(f"{seed}/gl")
    positions = _positions_by_product(company, active_positions)
    cost_centre_product = {p.cost_centre: p.id for p in company.products.values()}
    writer = CsvWriter(
        path, ("Date", "Account", "Account Name", "Cost Center", "Amount", "Currency", "Memo")
    )
    months = months_between(company.history_start, LAST_CLOSED_MONTH)
    for index, month in enumerate(months):
        growth = (1 + MONTHLY_GROWTH / 2) ** (index - len(months) + 1)
        lines: list[tuple[date, str, str, float, str, str]] = []

        def day(n: int, month: date = month) -> date:
            return working_day_in_month(month, n)

        for product in company.products.values():
            cc, size = product.cost_centre, max(1, positions[product.id])
            heavy = 2.6 if product.id == company.story.loss_product else 1.0
            lines.append(
                (
                    day(3),
                    "6100",
                    cc,
                    size * 1_700 * heavy * growth * rng.uniform(0.9, 1.1),
                    "USD",
                    f"AWS invoice {month_label(month)}",
                )
            )
            lines.append(
                (
                    day(10),
                    "6200",
                    cc,
                    size * 140 * rng.uniform(0.95, 1.05),
                    "USD",
                    f"Datadog {month_label(month)}",
                )
            )
            lines.append(
                (
                    day(15),
                    "6200",
                    cc,
                    size * 55.0,
                    "USD",
                    f"Atlassian and GitHub seats {month_label(month)}",
                )
            )
            if rng.random() < 0.3:
                currency = rng.choice(("EUR", "GBP", "USD"))
                lines.append(
                    (
                        day(28),
                        "6300",
                        cc,
                        rng.uniform(8_000, 40_000),
                        currency,
                        "Contractor statement of work",
                    )
                )
            if rng.random() < 0.08:
                lines.append((day(20), "6100", cc, -rng.uniform(2_000, 8_000), "USD", "AWS credit"))
            if rng.random() < 0.5:
                lines.append(
                    (day(18), "7300", cc, rng.uniform(800, 6_000), "USD", "Team offsite travel")
                )
        lines.append(
            (
                day(3),
                "6100",
                company.unmapped_cost_centre,
                rng.uniform(6_000, 12_000),
                "USD",
                "GCP invoice - innovation lab",
            )
        )
        for location in LOCATIONS:
            lines.append(
                (
                    day(1),
                    "7100",
                    FACILITIES_CC,
                    rng.uniform(30_000, 90_000),
                    location.currency,
                    f"{location.name} office rent",
                )
            )
        lines.append(
            (
                day(12),
                "7200",
                MARKETING_CC,
                rng.uniform(40_000, 120_000),
                "USD",
                "Partner conference sponsorship",
            )
        )
        lines.sort(key=lambda line: (line[0], line[1], line[2], line[5]))
        for posted, account, cc, amount, currency, memo in lines:
            amount = round(amount, 2)
            name = RND_ACCOUNTS.get(account) or OTHER_ACCOUNTS[account]
            writer.write((posted.isoformat(), account, name, cc, f"{amount:.2f}", currency, memo))
            if account not in RND_ACCOUNTS:
                continue
            in_usd = amount * rates[(month_start(posted), currency)]
            label = month_label(posted)
            if cc in cost_centre_product:
                by_month = ledger.other_rnd_cost.setdefault(cost_centre_product[cc], {})
                by_month[label] = by_month.get(label, 0.0) + in_usd
            else:
                ledger.unmapped_rnd_cost[label] = ledger.unmapped_rnd_cost.get(label, 0.0) + in_usd
    ledger.gl_rows = writer.close()


def working_day_in_month(month: date, n: int) -> date:
    """The `n`th day of `month`, moved to a weekday without leaving the month."""
    day = month + timedelta(days=min(n, days_in_month(month)) - 1)
    forward = next_working_day(day)
    if forward.month == month.month:
        return forward
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day
