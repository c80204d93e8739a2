"""The Productboard client against a fake Productboard on 127.0.0.1.

Lists page with `links.next` (notes with a bare `pageCursor`), two records a page;
429 and 5xx are injected. Every record must land once, statuses must be in the
catalog's `statuses.productboard` map, and bad OKR input must fail naming the source,
the record and the field.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from fake_roadmap_apis import FakeRoadmapApi

from connectors.errors import SourceFileError
from connectors.http import RetryPolicy
from connectors.okr_checks import check_okrs, combine
from connectors.productboard import (
    ProductboardConfig,
    read_productboard_okrs,
    read_productboard_roadmap,
)

NO_WAIT = RetryPolicy(attempts=4, base_delay=0.0, sleep=lambda _: None)
STATUS_MAPS = {
    "productboard": {"Candidate": "in_progress", "Planned": "accepted", "Released": "delivered"}
}
STATUSES = ["Candidate", "Planned", "Released", "Candidate", "Planned"]


def _collections() -> dict[str, list[dict]]:
    features = [
        {
            "id": f"f{n}",
            "name": f"Feature {n}",
            "type": "feature",
            "status": {"id": f"s{n}", "name": STATUSES[n]},
            "parent": {"component": {"id": "c1"}},
            "createdAt": "2026-01-05T10:00:00.000Z",
            "updatedAt": "2026-02-01T10:00:00.000Z",
            "links": {"html": f"https://acme.productboard.com/feature/f{n}"},
        }
        for n in range(5)
    ]
    return {
        "features": features,
        "components": [
            {"id": "c1", "name": "Checkout", "parent": {"product": {"id": "p1"}}},
            {"id": "c2", "name": "Payouts", "parent": {"product": {"id": "p1"}}},
        ],
        "products": [{"id": "p1", "name": "Payments API"}],
        "releases": [
            {
                "id": "r1",
                "name": "2026 Q1",
                "timeframe": {"startDate": "2026-01-01", "endDate": "2026-03-31"},
            },
            {
                "id": "r2",
                "name": "2026 Q2",
                "timeframe": {"startDate": "2026-04-01", "endDate": "2026-06-30"},
            },
        ],
        "initiatives": [{"id": "i1", "name": "Instant payouts", "status": {"name": "Planned"}}],
        "notes": [
            {"id": f"n{n}", "title": f"Customer asks {n}", "createdAt": "2026-01-10T08:00:00Z"}
            for n in range(3)
        ],
        "objectives": [
            {
                "id": "o1",
                "name": "Win mid-market payouts",
                "owner": {"email": "VP.Payments@example.test"},
                "timeframe": {"startDate": "2026-01-01", "endDate": "2026-03-31"},
            },
            {
                "id": "o2",
                "name": "Faster payouts",
                "parent": {"id": "o1"},
                "timeframe": {"startDate": "2026-01-15", "endDate": "2026-04-30"},
            },
        ],
        "key-results": [
            {
                "id": "k1",
                "name": "Payout volume",
                "objective": {"id": "o1"},
                "startValue": 10,
                "targetValue": 40,
                "currentValue": 22,
                "updatedAt": "2026-02-10T09:00:00Z",
            },
            {
                "id": "k2",
                "name": "Payout latency",
                "objective": {"id": "o2"},
                "startValue": 48,
                "targetValue": 4,
                "unit": "hours",
            },
            {
                "id": "k3",
                "name": "Partners live",
                "objective": {"id": "o2"},
                "startValue": 0,
                "targetValue": 5,
                "currentValue": 1,
                "updatedAt": "2026-02-11T09:00:00Z",
            },
        ],
    }


def _config(fake: FakeRoadmapApi) -> ProductboardConfig:
    return ProductboardConfig("secret-token", base_url=fake.base_url, retry=NO_WAIT)


def test_every_roadmap_record_lands_once_through_pages_429_and_5xx() -> None:
    with FakeRoadmapApi("productboard", _collections(), cursor_only=("notes",)) as fake:
        fake.faults = [("/features?pageCursor=2", 429), ("/notes", 502), ("/releases", 500)]
        items = read_productboard_roadmap(_config(fake), STATUS_MAPS)["roadmap__items"].to_pylist()
        assert fake.faults == []
    counts: dict[str, int] = {}
    for row in items:
        counts[row["item_type"]] = counts.get(row["item_type"], 0) + 1
    assert counts == {
        "feature": 5,
        "component": 2,
        "product": 1,
        "release": 2,
        "initiative": 1,
        "note": 3,
    }
    assert len({(r["item_type"], r["item_id"]) for r in items}) == 14
    # Features: 3 pages (2+2+1), notes 2 pages (2+1) through pageCursor; each page once.
    assert sorted(p for path, p in fake.served if path == "/features") == [0, 2, 4]
    assert sorted(p for path, p in fake.served if path == "/notes") == [0, 2]
    feature = next(r for r in items if r["item_id"] == "f2")
    assert (feature["tool"], feature["status"], feature["parent_id"]) == (
        "productboard",
        "Released",
        "c1",
    )
    assert feature["created_at"] == datetime(2026, 1, 5, 10, 0)
    release = next(r for r in items if r["item_id"] == "r1")
    assert (release["release_name"], release["release_date"]) == ("2026 Q1", date(2026, 3, 31))
    assert next(r for r in items if r["item_id"] == "c1")["parent_id"] == "p1"


def test_objectives_key_results_and_checkins(pseudonymise) -> None:
    with FakeRoadmapApi("productboard", _collections()) as fake:
        tables = read_productboard_okrs(_config(fake), pseudonymise)
    objectives = {r["objective_id"]: r for r in tables["okr__objectives"].to_pylist()}
    assert objectives["o1"]["period"] == "2026-Q1"
    assert objectives["o2"]["period"] == "2026-01-15..2026-04-30"
    assert objectives["o2"]["parent_objective_id"] == "o1"
    # The owner is a keyed hash of the lowercased e-mail, never the address.
    assert objectives["o1"]["owner"] == pseudonymise("vp.payments@example.test")
    assert "@" not in str(tables["okr__objectives"].to_pylist())
    key_results = {r["key_result_id"]: r for r in tables["okr__key_results"].to_pylist()}
    assert (
        key_results["k1"]["kr_type"],
        key_results["k1"]["baseline"],
        key_results["k1"]["target"],
    ) == ("increase_to", 10.0, 40.0)
    assert (key_results["k2"]["kr_type"], key_results["k2"]["unit"]) == ("decrease_to", "hours")
    checkins = sorted(
        (r["key_result_id"], r["checkin_date"], r["value"])
        for r in tables["okr__checkins"].to_pylist()
    )
    assert checkins == [("k1", date(2026, 2, 10), 22.0), ("k3", date(2026, 2, 11), 1.0)]
    check_okrs(combine([tables]))  # consistent input passes


def test_an_unknown_status_names_the_url_record_and_field() -> None:
    collections = _collections()
    collections["features"][3]["status"]["name"] = "Parked"
    with (
        FakeRoadmapApi("productboard", collections) as fake,
        pytest.raises(SourceFileError) as failure,
    ):
        read_productboard_roadmap(_config(fake), STATUS_MAPS)
    message = str(failure.value)
    assert "/features" in message and "features[id=f3].status" in message and "'Parked'" in message


def test_a_key_result_with_target_equal_to_baseline_is_rejected_by_name(pseudonymise) -> None:
    collections = _collections()
    collections["key-results"][2]["targetValue"] = 0
    with FakeRoadmapApi("productboard", collections) as fake:
        tables = read_productboard_okrs(_config(fake), pseudonymise)
    with pytest.raises(SourceFileError) as failure:
        check_okrs(combine([tables]))
    message = str(failure.value)
    assert "/key-results" in message and "'k3'" in message and "'target'" in message


def test_a_timeframe_date_in_the_wrong_format_names_the_record_and_field(pseudonymise) -> None:
    collections = _collections()
    collections["objectives"][1]["timeframe"]["startDate"] = "15.01.2026"
    with (
        FakeRoadmapApi("productboard", collections) as fake,
        pytest.raises(SourceFileError) as failure,
    ):
        read_productboard_okrs(_config(fake), pseudonymise)
    assert "objectives[id=o2].timeframe.startDate" in str(failure.value)
    assert "15.01.2026" in str(failure.value)
