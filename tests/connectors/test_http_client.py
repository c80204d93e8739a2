"""The shared HTTP client: retry classification, the four pagers, and secrets.

Unit behaviour runs on httpx's MockTransport with a recording `sleep`, so waits are
asserted, not slept; the canary-token tests go over real HTTP to the fake Jira.
"""

from __future__ import annotations

import email.utils
import logging
import traceback
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fake_jira import CLOUD, DATA_CENTER, FakeJira, Fault
from jira_fixture_payloads import fixtures_available, load_payloads

from connectors.http import (
    Endpoint,
    HttpClient,
    HttpError,
    LinkNextPager,
    PageNumberPager,
    RetryPolicy,
    StartAtPager,
    TokenPager,
    redact_url,
)
from connectors.jira.api import JiraApiConfig, JiraClient
from connectors.jira.incremental import sync_jira
from connectors.pseudonymise import Pseudonymiser
from orchestration.settings import get_settings

BASE = "https://tool.example.test"


def client(
    handler: Callable[[httpx.Request], httpx.Response], sleeps: list[float], jitter: float = 1.0
) -> HttpClient:
    policy = RetryPolicy(
        attempts=4, base_delay=1.0, max_delay=60.0, sleep=sleeps.append, jitter=lambda: jitter
    )
    return HttpClient(BASE, retry=policy, transport=httpx.MockTransport(handler))


def scripted(*responses: httpx.Response | Exception) -> Callable[[httpx.Request], httpx.Response]:
    """A handler answering each request with the next response (or raising the error)."""
    queue = list(responses)

    def handle(request: httpx.Request) -> httpx.Response:
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    return handle


def test_429_waits_as_long_as_retry_after_says() -> None:
    sleeps: list[float] = []
    handler = scripted(
        httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, json={"ok": 1})
    )
    assert client(handler, sleeps).get_json("/x") == {"ok": 1}
    assert sleeps == [7.0]


def test_429_retry_after_may_be_an_http_date() -> None:
    sleeps: list[float] = []
    when = email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    handler = scripted(
        httpx.Response(429, headers={"Retry-After": when}), httpx.Response(200, json=[])
    )
    client(handler, sleeps).get_json("/x")
    assert len(sleeps) == 1 and 25 <= sleeps[0] <= 30


def test_5xx_backs_off_exponentially_then_names_the_url_and_status() -> None:
    sleeps: list[float] = []
    with pytest.raises(HttpError) as failure:
        client(scripted(httpx.Response(502)), sleeps).get_json(
            "/rest/api/2/search", {"jql": "project = A", "token": "t0ps3cret"}
        )
    # Equal jitter: half of 1 s, 2 s, 4 s fixed, the other half random (here the maximum).
    assert sleeps == [1.0, 2.0, 4.0]
    message = str(failure.value)
    assert failure.value.status == 502 and failure.value.attempts == 4
    assert "GET https://tool.example.test/rest/api/2/search?jql=project+%3D+A&token=***" in message
    assert "HTTP 502" in message and "t0ps3cret" not in message


def test_jitter_spreads_the_waits_between_half_and_all_of_the_backoff() -> None:
    sleeps: list[float] = []
    with pytest.raises(HttpError):
        client(scripted(httpx.Response(500)), sleeps, jitter=0.0).get_json("/x")
    assert sleeps == [0.5, 1.0, 2.0]


def test_other_4xx_are_not_retried() -> None:
    sleeps: list[float] = []
    with pytest.raises(HttpError) as failure:
        client(scripted(httpx.Response(404)), sleeps).get_json("/rest/api/2/issue/X-1")
    assert (failure.value.status, failure.value.attempts, sleeps) == (404, 1, [])


def test_timeouts_and_dropped_connections_are_retried() -> None:
    sleeps: list[float] = []
    handler = scripted(
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("peer closed connection"),
        httpx.Response(200, json={"fine": True}),
    )
    assert client(handler, sleeps).get_json("/x") == {"fine": True}
    assert sleeps == [1.0, 2.0]


def test_a_timeout_on_every_attempt_fails_naming_the_url() -> None:
    with pytest.raises(HttpError) as failure:
        client(scripted(httpx.ConnectTimeout("down")), []).get_json("/rest/api/2/field")
    assert failure.value.status is None
    assert "GET https://tool.example.test/rest/api/2/field failed after 4 attempts" in str(
        failure.value
    )


def test_redact_url_drops_user_info_and_masks_secret_params() -> None:
    shown = redact_url("https://me:pw@x.test:8443/a?api_key=K&page=2&password=P")
    assert shown == "https://x.test:8443/a?api_key=***&page=2&password=***"


def _paged(
    handler: Callable[[httpx.Request], httpx.Response], endpoint: Endpoint, cursor: object = None
) -> list[tuple[list[int], object]]:
    http = HttpClient(BASE, retry=RetryPolicy(attempts=1), transport=httpx.MockTransport(handler))
    return [(page.items, page.next_cursor) for page in http.pages(endpoint, cursor=cursor)]


VALUES = list(range(7))


def test_start_at_pages_stop_at_total_and_resume_from_a_cursor() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        start, size = int(request.url.params["startAt"]), int(request.url.params["maxResults"])
        return httpx.Response(
            200, json={"startAt": start, "total": 7, "values": VALUES[start : start + size]}
        )

    endpoint = Endpoint("/list", "values", StartAtPager(), page_size=3)
    assert _paged(handler, endpoint) == [([0, 1, 2], 3), ([3, 4, 5], 6), ([6], None)]
    assert _paged(handler, endpoint, cursor=3) == [([3, 4, 5], 6), ([6], None)]


def test_token_pages_follow_next_page_token_until_is_last() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        start = int(request.url.params.get("nextPageToken", "0"))
        body = {"issues": VALUES[start : start + 4], "isLast": start + 4 >= 7}
        if not body["isLast"]:
            body["nextPageToken"] = str(start + 4)
        return httpx.Response(200, json=body)

    endpoint = Endpoint("/search", "issues", TokenPager(), page_size=4)
    assert _paged(handler, endpoint) == [([0, 1, 2, 3], "4"), ([4, 5, 6], None)]


def test_page_number_pages_stop_at_total_pages() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        return httpx.Response(
            200, json={"data": VALUES[(page - 1) * 3 : page * 3], "total_pages": 3}
        )

    endpoint = Endpoint("/items", "data", PageNumberPager(), page_size=3)
    assert _paged(handler, endpoint) == [([0, 1, 2], 2), ([3, 4, 5], 3), ([6], None)]


def test_link_next_pages_follow_the_link_header() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        start = int(request.url.params.get("after", "0"))
        headers = {}
        if start + 5 < 7:
            headers["Link"] = f'<{BASE}/items?after={start + 5}>; rel="next"'
        return httpx.Response(200, json={"data": VALUES[start : start + 5]}, headers=headers)

    endpoint = Endpoint("/items", "data", LinkNextPager())
    pages = _paged(handler, endpoint)
    assert [items for items, _ in pages] == [[0, 1, 2, 3, 4], [5, 6]]
    assert pages[0][1] == f"{BASE}/items?after=5" and pages[1][1] is None


def test_a_cursor_that_does_not_advance_fails_instead_of_looping() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"issues": [1], "nextPageToken": "same", "isLast": False})

    with pytest.raises(HttpError, match="did not advance"):
        _paged(handler, Endpoint("/search", "issues", TokenPager()), cursor="same")


# --- a canary token over real HTTP ----------------------------------------------------

requires_fixtures = pytest.mark.skipif(
    not fixtures_available(), reason="../shared/fixtures/real is not available"
)


def _everything_shown(error: BaseException, *objects: object) -> str:
    return "\n".join(
        [
            str(error),
            repr(error),
            "".join(traceback.format_exception(error)),
            *(repr(o) for o in objects),
        ]
    )


@requires_fixtures
@pytest.mark.parametrize("flavour", [CLOUD, DATA_CENTER])
def test_a_token_never_appears_in_logs_or_errors(
    flavour: str,
    tmp_path: Path,
    pseudonymise: Pseudonymiser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    canary = f"CANARY-{uuid.uuid4().hex}"
    caplog.set_level(logging.DEBUG)  # httpx and httpcore log requests at DEBUG
    with FakeJira(load_payloads(), flavour, secret=canary) as fake:
        credentials = (
            {"email": fake.email, "api_token": canary} if flavour == CLOUD else {"pat": canary}
        )
        config = JiraApiConfig(
            base_url=fake.base_url,
            retry=RetryPolicy(attempts=3, base_delay=0.001, max_delay=0.002),
            **credentials,
        )
        search = "/rest/api/3/search/jql" if flavour == CLOUD else "/rest/api/2/search"
        fake.faults.append(Fault(search, "500", times=3))
        with JiraClient(config) as jira, pytest.raises(HttpError) as failure:
            sync_jira(jira, tmp_path, ["EE"], pseudonymise)
        shown = _everything_shown(failure.value, config, jira)
        assert fake.requests, "the client did talk to the server"
    encoded = jira.http._auth.secrets()[-1]
    assert "HTTP 500" in shown and search in shown
    assert canary not in shown and canary not in caplog.text
    assert encoded not in shown and encoded not in caplog.text


@requires_fixtures
def test_a_rejected_token_fails_without_showing_it(tmp_path: Path) -> None:
    canary = f"CANARY-{uuid.uuid4().hex}"
    with FakeJira(load_payloads(), DATA_CENTER, secret="the-right-one") as fake:
        config = JiraApiConfig(base_url=fake.base_url, pat=canary)
        with JiraClient(config) as jira, pytest.raises(HttpError) as failure:
            jira.fields()
    assert failure.value.status == 401 and failure.value.attempts == 1
    assert canary not in _everything_shown(failure.value, config, jira)


def test_settings_keep_jira_tokens_out_of_their_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    canary = f"CANARY-{uuid.uuid4().hex}"
    monkeypatch.setenv("JIRA_BASE_URL", "https://example.atlassian.net")
    monkeypatch.setenv("JIRA_API_TOKEN", canary)
    monkeypatch.setenv("JIRA_PAT", canary)
    settings = get_settings()
    assert settings.jira_api_token == canary and settings.jira_pat == canary
    assert canary not in repr(settings)
