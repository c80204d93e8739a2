"""Real exports of real tools reach staging with the counts their files hold:
BambooHR's demo company (as Airbyte recorded its API users) and the Segment spec's
example messages, landed through the readers and built with dbt."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from people_staging_build import dbt_build, land_tables
from warehouse_reads import query

from connectors import schemas
from connectors.analytics_sources import read_analytics_folder
from connectors.bamboohr import headcount_row_from_api_user, read_headcount_rows
from connectors.pseudonymise import make_pseudonymiser
from orchestration.settings import PROJECT_ROOT

REAL = PROJECT_ROOT / ".." / "shared" / "fixtures" / "real"
STAGING = [
    "stg_hr__employees",
    "stg_hr__compensation",
    "stg_analytics__events",
    "stg_analytics__daily_feature_usage",
]


def _bamboohr_users() -> list[tuple[int, dict]]:
    users = []
    with (REAL / "bamboohr" / "bamboohr_users_airbyte.log").open(encoding="utf-8") as handle:
        for line, text in enumerate(handle, start=1):
            message = json.loads(text)
            if message.get("type") == "RECORD":
                users.append((line, message["record"]["data"]))
    return users


def _is_date(value: object) -> bool:
    return isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-"


class _Counts(dict):
    """Counts taken from the files; the repr stays out of reports (real names nearby)."""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, _Counts]:
    if not REAL.is_dir():
        pytest.skip("../shared/fixtures/real is not available")
    work = tmp_path_factory.mktemp("people-staging")
    pseudonymise = make_pseudonymiser(b"people-e2e")

    users = _bamboohr_users()
    # One demo employee has the hire date "Bad Date", which stops a read by design
    # (tests/connectors/test_bamboohr_real_payloads.py); the others must all land.
    readable = [(n, u) for n, u in users if _is_date(u["hireDate"])]
    hr = read_headcount_rows(
        ((n, headcount_row_from_api_user(u)) for n, u in readable), "bamboohr", pseudonymise
    )
    sources = work / "exports"
    shutil.copytree(REAL / "segment", sources / "analytics" / "segment")
    analytics = read_analytics_folder(sources, pseudonymise)

    warehouse = work / "warehouse.duckdb"
    land_tables(
        warehouse,
        {
            schemas.HR_EMPLOYEES: hr[schemas.HR_EMPLOYEES.name],
            schemas.HR_COMPENSATION: hr[schemas.HR_COMPENSATION.name],
            schemas.ANALYTICS_EVENTS: analytics[schemas.ANALYTICS_EVENTS.name],
            schemas.ANALYTICS_DAILY_FEATURE_USAGE: analytics[
                schemas.ANALYTICS_DAILY_FEATURE_USAGE.name
            ],
        },
    )
    result = dbt_build(warehouse, work, STAGING)
    assert result.returncode == 0, result.stdout[-4000:]

    segment_types: Counter[str] = Counter()
    for path in sorted((REAL / "segment").glob("*.jsonl")):
        for text in path.read_text(encoding="utf-8").splitlines():
            if text.strip():
                segment_types[json.loads(text)["type"]] += 1
    counts = _Counts(
        users=len(users),
        readable=len(readable),
        paid=sum(bool(u["payRate"]) for _, u in readable),
        no_end=sum(u["terminationDate"] == "0000-00-00" for _, u in readable),
        segment=sum(segment_types.values()),
        segment_track=segment_types["track"],
    )
    return warehouse, counts


def test_bamboohr_demo_company_reaches_staging_with_every_readable_employee(built) -> None:
    warehouse, counts = built
    assert (counts["users"], counts["readable"]) == (87, 86)
    assert query(warehouse, "select count(*) from staging.stg_hr__employees") == [(86,)]
    assert query(warehouse, "select count(*) from staging.stg_hr__compensation") == [
        (counts["paid"],)
    ]
    # The 0000-00-00 sentinel is "no date": those employees are still employed.
    assert query(
        warehouse, "select count(*) from staging.stg_hr__employees where terminated_on is null"
    ) == [(counts["no_end"],)]


def test_segment_spec_examples_reach_staging_one_row_per_message(built) -> None:
    warehouse, counts = built
    assert counts["segment"] == 12
    assert query(warehouse, "select count(*) from staging.stg_analytics__events") == [(12,)]
    non_track = "('page', 'screen', 'identify', 'group')"
    assert query(
        warehouse,
        f"select count(*) from staging.stg_analytics__events where event_type not in {non_track}",
    ) == [(counts["segment_track"],)]
