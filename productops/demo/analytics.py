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
from productops.demo.org import (
    ANALYTICS_FIRST_MONTH,
    ENABLE_EVENT_TYPE,
    Company,
    Partner,
    Subscription,
)
from productops.demo.writers import DEFAULT_GZIP_LEVEL, compact_json, open_gzip_text

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


# The version-4 and RFC 4122 variant bits, as uuid.UUID(version=4) sets them.
_UUID_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_UUID_SET = (0x8000 << 48) | (4 << 76)


def _uuid(rng: random.Random) -> str:
    """str(uuid.UUID(int=rng.getrandbits(128), version=4)), without building the object."""
    text = f"{rng.getrandbits(128) & _UUID_CLEAR | _UUID_SET:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


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
    """Distinct users and partners per app and feature in one month (and per day)."""

    def __init__(self) -> None:
        self.app_users: dict[str, set[str]] = defaultdict(set)
        self.app_partners: dict[str, set[str]] = defaultdict(set)
        self.feature_users: dict[str, set[str]] = defaultdict(set)
        # (feature event type, day of the month from 0) -> users
        self.feature_daily: dict[tuple[str, int], set[str]] = defaultdict(set)


# Width of amplitude_timestamp(): `2025-03-04 10:11:12.345000`.
_STAMP_WIDTH = 26
_BATCH_LINES = 2048


class _MonthSpool:
    """A month's event lines spooled to one file per day, then written in time order.

    Lines arrive in the order they are drawn, which is not time order. Each day's
    file is sorted on its own (a stable sort on the timestamp, so ties keep the draw
    order), so at most one day of events is in memory at a time.
    """

    def __init__(self, folder: Path, month: date) -> None:
        self.days = days_in_month(month)
        self._dir = folder / f".spool_{month_label(month)}"
        self._dir.mkdir(exist_ok=True)
        self._handles = [
            (self._dir / f"{day:02d}").open("w", encoding="utf-8", newline="\n")
            for day in range(self.days)
        ]
        # Lines wait in small batches: one write call per batch, not per line.
        self._batches: list[list[str]] = [[] for _ in range(self.days)]
        self.count = 0

    def add(self, day: int, stamp: str, line: str) -> None:
        """Queue the event `line` stamped `stamp` on day `day` (from 0) of the month."""
        batch = self._batches[day]
        batch.append(f"{stamp}\t{line}\n")
        if len(batch) >= _BATCH_LINES:
            self._handles[day].writelines(batch)
            batch.clear()
        self.count += 1

    def write(self, path: Path, level: int) -> None:
        """Write the month's gzip file in time order and remove the spool."""
        for handle, batch in zip(self._handles, self._batches, strict=True):
            handle.writelines(batch)
            handle.close()
        with open_gzip_text(path, level) as out:
            for day in range(self.days):
                day_path = self._dir / f"{day:02d}"
                lines = day_path.read_text(encoding="utf-8").splitlines()
                lines.sort(key=lambda line: line[:_STAMP_WIDTH])
                out.writelines(line[_STAMP_WIDTH + 1 :] + "\n" for line in lines)
                day_path.unlink()
        self._dir.rmdir()


class _Actor:
    """The JSON fragments of one user (or partner admin) in one app that never change."""

    def __init__(
        self, user_id: str, device_id: str | None, app: str, platform: str, partner: Partner
    ) -> None:
        self.user_id = user_id
        middle = compact_json(
            {
                "user_id": user_id,
                "device_id": device_id,
                "app": app,
                "platform": platform,
                "country": partner.country,
                "groups": {"partner": partner.id},
            }
        )
        tail = compact_json({"user_properties": {"partner_kind": partner.kind}})
        self.middle, self.tail = middle[1:-1], tail[1:]

    def line(self, insert_id: str, type_json: str, stamp: str, properties_json: str) -> str:
        """One event line: the bytes compact_json() gives for the event's dict.

        Keys in Amplitude export order: $insert_id, event_type, event_time, user_id,
        device_id, app, platform, country, groups, event_properties, user_properties.
        """
        return (
            f'{{"$insert_id":"{insert_id}","event_type":{type_json},"event_time":"{stamp}",'
            f'{self.middle},"event_properties":{properties_json},{self.tail}'
        )


def write_analytics(
    folder: Path, company: Company, seed: int, gzip_level: int = DEFAULT_GZIP_LEVEL
) -> tuple[int, Adoption]:
    """Write the monthly files; returns (event count, adoption by feature and month)."""
    rng = random.Random(f"{seed}/analytics")
    scale = company.scale
    folder.mkdir(parents=True, exist_ok=True)
    partners = {p.id: p for p in company.partners}
    products = company.products
    enabled = _enable_moments(company, rng)
    total_size = sum(p.size for p in company.partners)
    pairs = sorted(
        {(s.partner_id, s.product_id) for s in company.subscriptions if s.product_id is not None}
    )
    per_partner: dict[str, int] = defaultdict(int)
    for partner_id, _ in pairs:
        per_partner[partner_id] += 1
    users: dict[tuple[str, str], list[_User]] = {}
    for partner_id, product_id in pairs:
        partner = partners[partner_id]
        share = partner.size / total_size / per_partner[partner_id]
        count = max(5, round(scale.end_users * share))
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
    subscriptions: dict[tuple[str, str], list[Subscription]] = defaultdict(list)
    for sub in company.subscriptions:
        if sub.product_id is not None:
            subscriptions[(sub.partner_id, sub.product_id)].append(sub)
    features = {f.id: f for p in products.values() for f in p.features}
    session_json, screen_json = compact_json(SESSION_EVENT), compact_json("Screen Viewed")
    enable_json = compact_json(ENABLE_EVENT_TYPE)
    screens_json = {screen: compact_json({"screen": screen}) for screen in SCREENS}
    max_extra, session_rate = scale.max_extra_sessions, scale.session_rate
    feature_months: Adoption = {}
    total_events = 0
    for month in months_between(ANALYTICS_FIRST_MONTH, LAST_CLOSED_MONTH):
        counts = AdoptionCounts()
        spool = _MonthSpool(folder, month)
        month_start = datetime.combine(month, datetime.min.time())
        month_seconds = spool.days * 86400
        for (partner_id, feature_id), moment in sorted(enabled.items()):
            if month <= moment.date() < month + timedelta(days=spool.days):
                app = products[features[feature_id].product_id].app
                admin = _Actor(f"admin-{partner_id}", None, app, "Web", partners[partner_id])
                stamp = amplitude_timestamp(moment)
                properties = compact_json({"feature": feature_id})
                line = admin.line(_uuid(rng), enable_json, stamp, properties)
                spool.add((moment - month_start).days, stamp, line)
                counts.app_users[app].add(admin.user_id)
                counts.app_partners[app].add(partner_id)
        for (partner_id, product_id), pool in users.items():
            if not any(
                s.start <= month and (s.end is None or month < s.end)
                for s in subscriptions[(partner_id, product_id)]
            ):
                continue
            partner, product = partners[partner_id], products[product_id]
            app = product.app
            app_features = [
                (f.event_type, compact_json(f.event_type), enabled.get((partner_id, f.id)))
                for f in product.features
            ]
            for user in pool:
                if rng.random() > user.activity:
                    continue
                actor = _Actor(user.user_id, user.device_id, app, user.platform, partner)
                # Every session starts inside the month, so an active user always has
                # at least one event in the file.
                counts.app_users[app].add(user.user_id)
                counts.app_partners[app].add(partner_id)
                for _ in range(1 + min(max_extra, int(rng.expovariate(session_rate)))):
                    offset = rng.randrange(month_seconds)
                    start = month_start + timedelta(seconds=offset)
                    stamp = amplitude_timestamp(start)
                    spool.add(
                        offset // 86400, stamp, actor.line(_uuid(rng), session_json, stamp, "{}")
                    )
                    for _ in range(rng.randint(0, 2)):
                        offset += rng.randint(5, 240)
                        screen = screens_json[rng.choice(SCREENS)]
                        insert_id = _uuid(rng)
                        # Events that spill past the month end are drawn, then dropped.
                        if offset < month_seconds:
                            stamp = amplitude_timestamp(month_start + timedelta(seconds=offset))
                            line = actor.line(insert_id, screen_json, stamp, screen)
                            spool.add(offset // 86400, stamp, line)
                    for event_type, type_json, on_since in app_features:
                        if on_since is None or on_since > start:
                            continue
                        months_on = (start - on_since).days / 30.4
                        if user.adoption > min(0.65, 0.15 + 0.06 * months_on):
                            continue
                        if rng.random() < 0.7:
                            offset += rng.randint(5, 300)
                            insert_id = _uuid(rng)
                            if offset < month_seconds:
                                stamp = amplitude_timestamp(month_start + timedelta(seconds=offset))
                                line = actor.line(insert_id, type_json, stamp, "{}")
                                spool.add(offset // 86400, stamp, line)
                                counts.feature_users[event_type].add(user.user_id)
                                counts.feature_daily[(event_type, offset // 86400)].add(
                                    user.user_id
                                )
        spool.write(folder / f"events_{month_label(month)}.json.gz", gzip_level)
        total_events += spool.count
        _adoption(feature_months, counts, company, enabled, month)
    return total_events, feature_months


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
            active = len(counts.app_users.get(product.app, ()))
            users = len(counts.feature_users.get(feature.event_type, ()))
            daily = [
                len(counts.feature_daily.get((feature.event_type, d), ()))
                for d in range(days_in_month(month))
            ]
            result.setdefault(feature.id, {})[label] = {
                "active_users": active,
                "feature_users": users,
                "adoption_rate": round(users / active, 4) if active else None,
                "eligible_accounts": len(counts.app_partners.get(product.app, ())),
                "enabled_accounts": sum(
                    1
                    for (_, fid), at in enabled.items()
                    if fid == feature.id and at.date() <= last_day
                ),
                "stickiness": (round(sum(daily) / len(daily) / users, 4) if users else None),
            }
