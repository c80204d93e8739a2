"""The Jira API reader over HTTP against a fake Jira serving real DevLake payloads.

Both flavours, with 429s, 500s, slow answers and cut connections: every issue and
every changelog item arrives exactly once; a run cut off half-way resumes where it
stopped; an incremental run equals a full one; the reconcile finds a deleted issue.
Expected counts come from the fixture files (jira_fixture_payloads.expected_counts).
"""

from __future__ import annotations

import base64
import copy
import json
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from fake_jira import CLOUD, DATA_CENTER, FakeJira, Fault
from jira_fixture_payloads import (
    JiraPayloads,
    expected_counts,
    fixtures_available,
    load_payloads,
)

from connectors.http import HttpError, RetryPolicy
from connectors.jira.api import JiraApiConfig, JiraClient
from connectors.jira.incremental import FULL, INCREMENTAL, RECONCILE, SyncResult, sync_jira
from connectors.pseudonymise import Pseudonymiser

pytestmark = pytest.mark.skipif(
    not fixtures_available(), reason="../shared/fixtures/real is not available"
)

PROJECTS = ["EE", "K5"]
PAGE_SIZE = 5
T0 = datetime(2024, 1, 10, 9, 0)
SEARCH = {CLOUD: "/rest/api/3/search/jql", DATA_CENTER: "/rest/api/2/search"}
FLAVOURS = [CLOUD, DATA_CENTER]


@pytest.fixture(scope="module")
def payloads() -> JiraPayloads:
    return load_payloads()


def config(fake: FakeJira, **overrides: Any) -> JiraApiConfig:
    """Fast retries and a short timeout, so faults cost milliseconds."""
    credentials = (
        {"email": fake.email, "api_token": fake.secret}
        if fake.flavour == CLOUD
        else {"pat": fake.secret}
    )
    settings = {
        "base_url": fake.base_url,
        "page_size": PAGE_SIZE,
        "timeout": 0.5,
        "retry": RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.02),
        **credentials,
        **overrides,
    }
    return JiraApiConfig(**settings)


def sync(
    fake: FakeJira, state: Path, pseudonymise: Pseudonymiser, now: datetime = T0, **overrides: Any
) -> SyncResult:
    with JiraClient(config(fake, **overrides)) as client:
        return sync_jira(client, state, PROJECTS, pseudonymise, now=lambda: now)


def cursor_of(flavour: str, offset: int) -> str:
    """The page cursor the fake uses for the page starting at `offset`."""
    if flavour == CLOUD:
        return base64.urlsafe_b64encode(str(offset).encode()).decode()
    return str(offset)


def page_params(flavour: str, offset: int) -> dict[str, str]:
    key = "nextPageToken" if flavour == CLOUD else "startAt"
    return {key: cursor_of(flavour, offset)}


def rows(table: pa.Table, *key: str) -> list[dict[str, Any]]:
    return sorted(table.to_pylist(), key=lambda r: tuple(str(r[k]) for k in key))


def assert_complete(result: SyncResult, issues: list[dict[str, Any]]) -> None:
    """Every issue and changelog item of `issues` once, none twice."""
    expected = expected_counts(issues)
    got_issues = result.tables["jira__issues"]
    changelog = result.tables["jira__changelog"]
    assert got_issues.num_rows == expected["issues"]
    assert len(set(got_issues.column("issue_id").to_pylist())) == expected["issues"]
    keys = Counter((r["issue_id"], r["history_id"], r["item_index"]) for r in changelog.to_pylist())
    assert changelog.num_rows == expected["changelog_items"]
    assert max(keys.values()) == 1
    status_changes = sum(1 for f in changelog.column("field").to_pylist() if f == "status")
    assert status_changes == expected["status_changes"]


def test_the_fixture_counts_the_tests_rely_on(payloads: JiraPayloads) -> None:
    # Counted by hand from DevLake's CSVs: 30 EE + 3 K5 issues.
    assert expected_counts(payloads.issues) == {
        "issues": 33,
        "changelog_items": 714,
        "status_changes": 165,
    }


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_every_issue_and_change_arrives_once_despite_faults(
    flavour: str, payloads: JiraPayloads, tmp_path: Path, pseudonymise: Pseudonymiser
) -> None:
    search = SEARCH[flavour]
    with FakeJira(payloads, flavour, changelog_cap=10) as fake:
        fake.faults += [
            Fault(search, "429", retry_after="0"),
            Fault(search, "500", params=page_params(flavour, 5)),
            Fault(search, "cut", params=page_params(flavour, 10)),
            Fault(search, "slow", params=page_params(flavour, 20), delay=1.0),
            Fault("/changelog", "cut"),
            Fault("/rest/api/2/field", "500", times=2),
        ]
        result = sync(fake, tmp_path, pseudonymise)
        assert fake.faults == []  # every fault was hit
        searched = [cursor for path, cursor in fake.served if path == search]
        changelog_pages = [r for r in fake.requests if r[0].endswith("/changelog")]

    assert result.phases == [FULL]
    assert_complete(result, payloads.issues)
    # 33 issues in pages of 5: seven pages, each answered in full exactly once.
    assert len(searched) == 7 and len(set(searched)) == 7
    # Every issue has more than the 10 embedded histories, so each paged the rest.
    assert len({path for path, _ in changelog_pages}) == sum(
        len(i["changelog"]["histories"]) > 10 for i in payloads.issues
    )
    assert result.tables["jira__statuses"].num_rows == len(payloads.statuses)
    assert result.tables["jira__projects"].num_rows == len(payloads.projects)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_the_flavour_is_asked_of_the_server(
    flavour: str, payloads: JiraPayloads, tmp_path: Path, pseudonymise: Pseudonymiser
) -> None:
    with FakeJira(payloads, flavour) as fake, JiraClient(config(fake)) as client:
        assert client.flavour == flavour
        assert client.source == fake.base_url + SEARCH[flavour]
        assert ("/rest/api/2/serverInfo", {}) in fake.requests


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_run_cut_off_half_way_resumes_without_losing_or_doubling(
    flavour: str, payloads: JiraPayloads, tmp_path: Path, pseudonymise: Pseudonymiser
) -> None:
    search = SEARCH[flavour]
    with FakeJira(payloads, flavour) as fake:
        # The fourth page fails on every attempt: the run gives up after three pages.
        fake.faults.append(Fault(search, "500", times=4, params=page_params(flavour, 15)))
        with pytest.raises(HttpError) as failure:
            sync(fake, tmp_path, pseudonymise)
        assert failure.value.status == 500
        assert search in str(failure.value) and "HTTP 500" in str(failure.value)
        first_run = [c for p, c in fake.served if p == search]

        result = sync(fake, tmp_path, pseudonymise)
        second_run = [c for p, c in fake.served if p == search][len(first_run) :]

    first_page = "" if flavour == CLOUD else "0"  # Cloud's first page has no token
    assert first_run == [first_page] + [cursor_of(flavour, o) for o in (5, 10)]
    # The second run starts at the page that failed, not at the first one.
    assert second_run == [cursor_of(flavour, o) for o in (15, 20, 25, 30)]
    assert_complete(result, payloads.issues)


def test_incremental_runs_equal_a_full_run(
    payloads: JiraPayloads, tmp_path: Path, pseudonymise: Pseudonymiser
) -> None:
    done = next(s for s in payloads.statuses if s["statusCategory"]["key"] == "done")
    with FakeJira(payloads, DATA_CENTER) as fake:
        sync(fake, tmp_path / "a", pseudonymise, now=T0)
        fake.transition("10067", "2024-01-10T18:30:00.000+0800", done)  # EE-5
        served_before = len(fake.served)
        incremental = sync(fake, tmp_path / "a", pseudonymise, now=T0 + timedelta(days=1))
        again = sync(fake, tmp_path / "a", pseudonymise, now=T0 + timedelta(days=2))
        queries = [q["jql"] for p, q in fake.requests if p == SEARCH[DATA_CENTER]]
        full = sync(fake, tmp_path / "b", pseudonymise, now=T0 + timedelta(days=2))
        incremental_pages = [p for p, _ in fake.served[served_before:] if p.endswith("/search")]

    assert incremental.phases == [INCREMENTAL]
    # The watermark is the latest `updated` stored, minus the 24 hour overlap: first
    # K5-3's 2022-07-16T06:31:38+0800, then EE-5's new 2024-01-10T18:30+0800.
    assert 'updated >= "2022/07/14 22:31"' in queries[-2]
    assert 'updated >= "2024/01/09 10:30"' in queries[-1]
    for name in ("jira__issues", "jira__changelog"):
        key = (
            ("issue_id", "history_id", "item_index") if name == "jira__changelog" else ("issue_id",)
        )
        assert rows(incremental.tables[name], *key) == rows(full.tables[name], *key)
        assert rows(again.tables[name], *key) == rows(full.tables[name], *key)
    ee5 = next(
        r for r in incremental.tables["jira__issues"].to_pylist() if r["issue_key"] == "EE-5"
    )
    assert (ee5["status_category"], ee5["updated_at"]) == ("done", datetime(2024, 1, 10, 10, 30))
    assert_complete(incremental, [fake.issues[i] for i in fake.issues])
    # Each incremental run read one page (only EE-5 changed), not the 7 of a full run.
    assert len(incremental_pages) == 2 + 7


def test_the_reconcile_finds_a_deleted_issue(
    payloads: JiraPayloads, tmp_path: Path, pseudonymise: Pseudonymiser
) -> None:
    with FakeJira(payloads, CLOUD) as fake:
        sync(fake, tmp_path, pseudonymise, now=T0)
        fake.delete("10064")  # EE-2
        before_due = sync(fake, tmp_path, pseudonymise, now=T0 + timedelta(days=1))
        reconciled = sync(fake, tmp_path, pseudonymise, now=T0 + timedelta(days=8))
        later = sync(fake, tmp_path, pseudonymise, now=T0 + timedelta(days=9))
        remaining = list(fake.issues.values())

    assert before_due.phases == [INCREMENTAL] and before_due.deleted_issue_ids == []
    assert reconciled.phases == [RECONCILE, INCREMENTAL]
    assert reconciled.deleted_issue_ids == ["10064"]
    assert "10064" not in reconciled.tables["jira__issues"].column("issue_id").to_pylist()
    assert "10064" not in reconciled.tables["jira__changelog"].column("issue_id").to_pylist()
    assert_complete(reconciled, remaining)
    # The tombstone is reported again until raw has surely dropped it.
    assert later.deleted_issue_ids == ["10064"]


def test_custom_fields_are_found_by_name_whatever_their_id(
    payloads: JiraPayloads, tmp_path: Path, pseudonymise: Pseudonymiser
) -> None:
    # Another instance keeps Story Points in another custom field.
    moved = json.loads(
        json.dumps(payloads.issues).replace("customfield_10024", "customfield_31337")
    )
    fields = [
        {**f, "id": "customfield_31337"} if f["id"] == "customfield_10024" else f
        for f in payloads.fields
    ]
    other = copy.copy(payloads)
    other.issues, other.fields = moved, fields
    with FakeJira(other, DATA_CENTER) as fake:
        result = sync(fake, tmp_path, pseudonymise)
    issues = {r["issue_key"]: r for r in result.tables["jira__issues"].to_pylist()}
    assert issues["EE-1"]["story_points"] is None  # sent as "-1": not estimated
    assert issues["EE-2"]["story_points"] == 2.0  # sent as the number 2.0
    assert issues["K5-2"]["epic_key"] == "K5-1"  # Epic Link, found by name too
    # "2020-06-12T08:13:13.360+0800" in UTC
    assert issues["EE-1"]["created_at"] == datetime(2020, 6, 12, 0, 13, 13, 360000)


def test_sprints_projects_and_issue_types(payloads: JiraPayloads) -> None:
    with FakeJira(payloads, CLOUD, max_results=5) as fake, JiraClient(config(fake)) as client:
        sprints = client.sprints()
        projects = client.projects()
        issue_types = client.issue_types()
        project_pages = [r for r in fake.requests if r[0] == "/rest/api/3/project/search"]
    # 30 sprints of the scrum board in pages of 5; the kanban board has none (HTTP 400).
    assert sorted(s["id"] for s in sprints) == sorted(s["id"] for s in payloads.sprints)
    assert len(sprints) == 30
    assert len(projects) == 12 and len(project_pages) == 3
    assert {t["untranslatedName"] for t in issue_types} >= {"Story", "Epic"}


def test_an_expired_page_token_restarts_the_phase_instead_of_failing_forever(
    payloads: JiraPayloads, tmp_path: Path, pseudonymise: Pseudonymiser
) -> None:
    search = SEARCH[CLOUD]
    with FakeJira(payloads, CLOUD) as fake:
        fake.faults.append(Fault(search, "500", times=4, params=page_params(CLOUD, 15)))
        with pytest.raises(HttpError):
            sync(fake, tmp_path, pseudonymise)
        # Meanwhile Cloud forgot the token: it now answers 400, as for a bad token.
        fake.faults.append(Fault(search, "400", params=page_params(CLOUD, 15)))
        result = sync(fake, tmp_path, pseudonymise)
        assert fake.faults == []  # the stale token was tried, then the phase restarted
    assert_complete(result, payloads.issues)
