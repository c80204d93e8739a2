"""Amplitude Export API files: twelve closed months of end-user and partner events.

Each partner's end users use the apps of the products the partner subscribes to:
`Session Started`, a few screen views and, once the partner has switched a feature on
(`Feature Enabled` with `event_properties.feature`, sent by the partner's admin user),
the feature's own event for the users who adopt it. One gzipped JSON-lines file per
month, events in time order.

Adoption facts for truth.json are counted from the generated events themselves:
- active_users: distinct user_id with any event of the product's app in the month
  (partner admins included);
- feature_users: distinct user_id with the feature's event_type in the month;
- adoption_rate = feature_users / active_users;
- eligible_accounts: distinct partners with any event of the app in the month;
- enabled_accounts: partners whose enable event for the feature happened on or
  before the month's last day (counted from the first exported month);
- stickiness: mean over the month's calendar days of distinct daily feature users,
  divided by the month's feature_users.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from productops.demo.calendar import (
    LAST_CLOSED_MONTH,
    amplitude_timestamp,
    days_in_month,
    month_label,
    months_between,
)
from productops.demo.org import ANALYTICS_FIRST_MONTH, ENABLE_EVENT_TYPE, Company, Partner
from productops.demo.writers import compact_json, open_gzip_text

Event = dict[str, Any]
# feature id -> month -> adoption facts of that month
Adoption = dict[str, dict[str, dict[str, Any]]]

SESSION_EVENT = "Session Started"
SCREENS = ("Home", "Activity", "Settings", "Help", "Offers", "Account")
PLATFORMS = ("iOS", "Android", "Web")


@dataclass
class _User:
    user_id: str
    device_id: str
    platform: str
    activity: float  # chance of being active in a month
    adoption: float  # lower = adopts enabled features sooner


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _enable_moments(company: Company, rng: random.Random) -> dict[tuple[str, str], datetime]:
    """(partner id, feature id) -> when the partner switched the feature on."""
    window_end = datetime.combine(LAST_CLOSED_MONTH + timedelta(days=31), datetime.min.time())
    enabled: dict[tuple[str, str], datetime] = {}
    for sub in sorted(company.subscriptions, key=lambda s: (s.partner_id, s.sku)):
        if sub.product_id is None:
            continue
        product = company.products[sub.product_id]
        for feature in product.features:
            if rng.random() < 0.25:
                continue  # this partner never switches it on
            first = max(feature.released_on, ANALYTICS_FIRST_MONTH, sub.start)
            moment = datetime.combine(first, datetime.min.time()) + timedelta(
                days=rng.randrange(0, 150), seconds=rng.randrange(8 * 3600, 18 * 3600)
            )
            ends = datetime.combine(sub.end, datetime.min.time()) if sub.end else window_end
            if moment < min(window_end, ends):
                enabled[(sub.partner_id, feature.id)] = moment
    return enabled


class AdoptionCounts:
    """Distinct users and partners per app, feature, month (and day) from the events."""

    def __init__(self) -> None:
        self.app_users: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.app_partners: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.feature_users: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.feature_daily: dict[tuple[str, str], set[str]] = defaultdict(set)


def write_analytics(folder: Path, company: Company, seed: int) -> tuple[int, Adoption]:
    """Write the monthly files; returns (event count, adoption by feature and month)."""
    rng = random.Random(f"{seed}/analytics")
    folder.mkdir(parents=True, exist_ok=True)
    partners = {p.id: p for p in company.partners}
    products = company.products
    enabled = _enable_moments(company, rng)
    total_size = sum(p.size for p in company.partners)
    pairs = sorted(
        {(s.partner_id, s.product_id) for s in company.subscriptions if s.product_id is not None}
    )
    per_partner = defaultdict(int)
    for partner_id, _ in pairs:
        per_partner[partner_id] += 1
    users: dict[tuple[str, str], list[_User]] = {}
    for partner_id, product_id in pairs:
        partner = partners[partner_id]
        share = partner.size / total_size / per_partner[partner_id]
        count = max(5, round(company.scale.end_users * share))
        users[(partner_id, product_id)] = [
            _User(
                f"{rng.getrandbits(40):010x}",
                _uuid(rng),
                rng.choice(PLATFORMS),
                rng.uniform(0.35, 0.9),
                rng.random(),
            )
            for _ in range(count)
        ]
    feature_months: Adoption = {}
    total_events = 0
    for month in months_between(ANALYTICS_FIRST_MONTH, LAST_CLOSED_MONTH):
        counts = AdoptionCounts()
        events: list[tuple[datetime, int, Event]] = []
        month_end = datetime.combine(month, datetime.min.time()) + timedelta(
            days=days_in_month(month)
        )
        for (partner_id, feature_id), moment in sorted(enabled.items()):
            if month <= moment.date() < month_end.date():
                feature = next(
                    f for p in products.values() for f in p.features if f.id == feature_id
                )
                app = products[feature.product_id].app
                partner = partners[partner_id]
                events.append(
                    (
                        moment,
                        len(events),
                        _event(
                            rng,
                            ENABLE_EVENT_TYPE,
                            moment,
                            f"admin-{partner_id}",
                            None,
                            app,
                            "Web",
                            partner,
                            {"feature": feature_id},
                        ),
                    )
                )
        for (partner_id, product_id), pool in users.items():
            if not any(
                s.partner_id == partner_id
                and s.product_id == product_id
                and s.start <= month
                and (s.end is None or month < s.end)
                for s in company.subscriptions
            ):
                continue
            partner, product = partners[partner_id], products[product_id]
            for user in pool:
                if rng.random() > user.activity:
                    continue
                for _ in range(1 + min(6, int(rng.expovariate(0.8)))):
                    start = datetime.combine(month, datetime.min.time()) + timedelta(
                        seconds=rng.randrange(days_in_month(month) * 86400)
                    )
                    moment = start
                    events.append(
                        (
                            moment,
                            len(events),
                            _event(
                                rng,
                                SESSION_EVENT,
                                moment,
                                user.user_id,
                                user.device_id,
                                product.app,
                                user.platform,
                                partner,
                                {},
                            ),
                        )
                    )
                    for _ in range(rng.randint(0, 2)):
                        moment += timedelta(seconds=rng.randint(5, 240))
                        events.append(
                            (
                                moment,
                                len(events),
                                _event(
                                    rng,
                                    "Screen Viewed",
                                    moment,
                                    user.user_id,
                                    user.device_id,
                                    product.app,
                                    user.platform,
                                    partner,
                                    {"screen": rng.choice(SCREENS)},
                                ),
                            )
                        )
                    for feature in product.features:
                        on_since = enabled.get((partner_id, feature.id))
                        if on_since is None or on_since > start:
                            continue
                        months_on = (start - on_since).days / 30.4
                        if user.adoption > min(0.65, 0.15 + 0.06 * months_on):
                            continue
                        if rng.random() < 0.7:
                            moment += timedelta(seconds=rng.randint(5, 300))
                            events.append(
                                (
                                    moment,
                                    len(events),
                                    _event(
                                        rng,
                                        feature.event_type,
                                        moment,
                                        user.user_id,
                                        user.device_id,
                                        product.app,
                                        user.platform,
                                        partner,
                                        {},
                                    ),
                                )
                            )
        events = [e for e in events if e[0] < month_end]
        events.sort(key=lambda e: (e[0], e[1]))
        path = folder / f"events_{month_label(month)}.json.gz"
        with open_gzip_text(path) as handle:
            for moment, _, event in events:
                handle.write(compact_json(event) + "\n")
                _count(counts, event, moment)
        total_events += len(events)
        _adoption(feature_months, counts, company, enabled, month)
    return total_events, feature_months


def _event(
    rng: random.Random,
    event_type: str,
    moment: datetime,
    user_id: str,
    device_id: str | None,
    app: str,
    platform: str,
    partner: Partner,
    properties: dict[str, Any],
) -> Event:
    return {
        "$insert_id": _uuid(rng),
        "event_type": event_type,
        "event_time": amplitude_timestamp(moment),
        "user_id": user_id,
        "device_id": device_id,
        "app": app,
        "platform": platform,
        "country": partner.country,
        "groups": {"partner": partner.id},
        "event_properties": properties,
        "user_properties": {"partner_kind": partner.kind},
    }


def _count(counts: AdoptionCounts, event: Event, moment: datetime) -> None:
    app, month = event["app"], month_label(moment.date())
    counts.app_users[(app, month)].add(event["user_id"])
    counts.app_partners[(app, month)].add(event["groups"]["partner"])
    counts.feature_users[(event["event_type"], month)].add(event["user_id"])
    counts.feature_daily[(event["event_type"], moment.date().isoformat())].add(event["user_id"])


def _adoption(
    result: Adoption,
    counts: AdoptionCounts,
    company: Company,
    enabled: dict[tuple[str, str], datetime],
    month: date,
) -> None:
    label = month_label(month)
    last_day = month + timedelta(days=days_in_month(month) - 1)
    for product in company.products.values():
        for feature in product.features:
            active = len(counts.app_users.get((product.app, label), ()))
            users = len(counts.feature_users.get((feature.event_type, label), ()))
            daily = [
                len(
                    counts.feature_daily.get(
                        (feature.event_type, (month + timedelta(days=d)).isoformat()), ()
                    )
                )
                for d in range(days_in_month(month))
            ]
            result.setdefault(feature.id, {})[label] = {
                "active_users": active,
                "feature_users": users,
                "adoption_rate": round(users / active, 4) if active else None,
                "eligible_accounts": len(counts.app_partners.get((product.app, label), ())),
                "enabled_accounts": sum(
                    1
                    for (_, fid), at in enabled.items()
                    if fid == feature.id and at.date() <= last_day
                ),
                "stickiness": (round(sum(daily) / len(daily) / users, 4) if users else None),
            }
