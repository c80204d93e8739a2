"""The one HTTP client every API connector uses: auth, retries and pagination in one place.

- **Auth** travels in headers only (`BasicAuth`, `BearerAuth`, `HeaderAuth`), never in
  URLs; the secret is held by an object whose `repr` is masked, so it cannot reach
  logs, error messages or exception reprs.
- **Retries** are classified once (`RetryPolicy`): 429 waits for `Retry-After` (seconds
  or an HTTP date); 5xx, timeouts and dropped connections back off exponentially with
  jitter; after the last attempt an `HttpError` names the method, the URL (query
  secrets masked) and the status. Other 4xx are not retried: they will not get better.
- **Pagination** is data: an `Endpoint` names its path, where the items are and which
  `Pager` walks it (`StartAtPager` for startAt/total, `TokenPager` for nextPageToken,
  `PageNumberPager` for page/total_pages, `LinkNextPager` for `Link: rel=next`).
  `HttpClient.pages()` yields each page with the cursor that fetches the *next* one,
  so a caller can checkpoint it and resume a run cut off half-way.
"""

from __future__ import annotations

import base64
import email.utils
import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, Self
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

log = logging.getLogger("productops.http")

# Query parameters whose values are masked wherever a URL is shown.
SECRET_PARAMS = frozenset(
    {
        "token",
        "access_token",
        "api_key",
        "apikey",
        "api_token",
        "key",
        "password",
        "secret",
        "client_secret",
        "signature",
        "sig",
        "auth",
    }
)
MASK = "***"


class Secret:
    """A credential whose `str`/`repr` never show it; `reveal()` is the only way in."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The credential itself, for building an Authorization header."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({MASK})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


class Auth(Protocol):
    """Adds credentials to a request's headers."""

    def headers(self) -> dict[str, str]:
        """The headers that authenticate a request."""
        ...

    def secrets(self) -> tuple[str, ...]:
        """Every string that must never be shown (masked out of error text)."""
        ...


@dataclass(frozen=True)
class BasicAuth:
    """HTTP basic auth (Jira Cloud: e-mail + API token; BambooHR: API key + `x`)."""

    user: str
    password: Secret = field(repr=False)

    def headers(self) -> dict[str, str]:
        """`Authorization: Basic base64(user:password)`."""
        raw = f"{self.user}:{self.password.reveal()}".encode()
        return {"Authorization": "Basic " + base64.b64encode(raw).decode()}

    def secrets(self) -> tuple[str, ...]:
        """The password and the encoded header value."""
        return (self.password.reveal(), self.headers()["Authorization"].split(" ", 1)[1])


@dataclass(frozen=True)
class BearerAuth:
    """`Authorization: Bearer <token>` (Jira Data Center personal access tokens, Aha!)."""

    token: Secret = field(repr=False)

    def headers(self) -> dict[str, str]:
        """The bearer header."""
        return {"Authorization": f"Bearer {self.token.reveal()}"}

    def secrets(self) -> tuple[str, ...]:
        """The token."""
        return (self.token.reveal(),)


@dataclass(frozen=True)
class HeaderAuth:
    """A credential in a header of its own (e.g. `X-Api-Key`)."""

    header: str
    value: Secret = field(repr=False)

    def headers(self) -> dict[str, str]:
        """The one header."""
        return {self.header: self.value.reveal()}

    def secrets(self) -> tuple[str, ...]:
        """The header value."""
        return (self.value.reveal(),)


def redact_url(url: str | httpx.URL) -> str:
    """`url` with user info dropped and the values of secret-looking query params masked."""
    parts = urlsplit(str(url))
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    query = urlencode(
        [
            (name, MASK if name.lower() in SECRET_PARAMS else value)
            for name, value in parse_qsl(parts.query, keep_blank_values=True)
        ],
        safe="*",
    )
    return urlunsplit((parts.scheme, host, parts.path, query, ""))


def _scrub(message: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if secret:
            message = message.replace(secret, MASK)
    return message


class _RedactSecrets(logging.Filter):
    """Masks every credential a client of this process holds in HTTP libraries' logs.

    httpx logs each response's status line at INFO and httpcore its headers at DEBUG:
    a server or proxy that echoes the credentials it received (in a reason phrase, a
    `WWW-Authenticate` realm) would otherwise write them into whatever log a deployment
    keeps. A filter sits on a logger, not its children, so each logger is named.
    """

    # Shorter strings are not secrets worth masking (BambooHR's password is "x") and
    # would garble every message.
    MIN_LENGTH = 6

    def __init__(self) -> None:
        super().__init__()
        # Replaced, never mutated, so a logging thread always sees a whole set.
        self.secrets: frozenset[str] = frozenset()

    def add(self, secrets: tuple[str, ...]) -> None:
        """Mask `secrets` from now on."""
        self.secrets = self.secrets | {s for s in secrets if len(s) >= self.MIN_LENGTH}

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message with the secrets masked; never drop it."""
        secrets = self.secrets
        if secrets:
            message = record.getMessage()
            masked = _scrub(message, tuple(secrets))
            if masked != message:
                record.msg, record.args = masked, None
        return True


_REDACT_SECRETS = _RedactSecrets()
_HTTP_LOGGERS = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    log.name,
)
for _name in _HTTP_LOGGERS:
    logging.getLogger(_name).addFilter(_REDACT_SECRETS)


class HttpError(RuntimeError):
    """A request that failed for good: names the method, URL and status (or the fault)."""

    def __init__(
        self, method: str, url: str, status: int | None, reason: str, attempts: int
    ) -> None:
        self.method = method
        self.url = url
        self.status = status
        self.attempts = attempts
        what = f"HTTP {status}" if status is not None else "no response"
        tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
        super().__init__(f"{method} {url} failed after {tries}: {what} ({reason})")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry; tests pass tiny delays and a fake `sleep`."""

    attempts: int = 6
    base_delay: float = 1.0
    max_delay: float = 60.0
    # A Retry-After longer than this is capped: a run should fail, not hang for hours.
    max_retry_after: float = 300.0
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with "equal jitter": half fixed, half random (attempt 1..n)."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return ceiling / 2 + ceiling / 2 * self.jitter()

    def retry_after(self, response: httpx.Response, attempt: int) -> float:
        """The wait a 429 (or 503) asks for: `Retry-After` seconds or HTTP date."""
        value = response.headers.get("Retry-After")
        if value is None:
            return self.backoff(attempt)
        value = value.strip()
        try:
            seconds = float(value)
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                return self.backoff(attempt)
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            seconds = (when - datetime.now(UTC)).total_seconds()
        return min(max(seconds, 0.0), self.max_retry_after)


RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Page:
    """One page: its items, the raw payload, and the cursor of the next page (None: last)."""

    items: list[Any]
    payload: Any
    next_cursor: Any


class Pager(Protocol):
    """A pagination style: the first cursor, how a cursor becomes params, what comes next."""

    def params(self, cursor: Any, page_size: int) -> dict[str, Any]:
        """Query parameters that fetch the page at `cursor` (None: the first page)."""
        ...

    def next_cursor(
        self, cursor: Any, payload: Any, items: list[Any], response: httpx.Response
    ) -> Any:
        """The cursor of the page after this one, or None when this was the last."""
        ...


@dataclass(frozen=True)
class StartAtPager:
    """`startAt`/`maxResults` with `total` or `isLast` (Jira DC search, Jira lists)."""

    start_param: str = "startAt"
    size_param: str = "maxResults"

    def params(self, cursor: Any, page_size: int) -> dict[str, Any]:
        """`startAt` = cursor (0 first)."""
        return {self.start_param: int(cursor or 0), self.size_param: page_size}

    def next_cursor(
        self, cursor: Any, payload: Any, items: list[Any], response: httpx.Response
    ) -> Any:
        """startAt + items received, until `isLast`, `total` or an empty page says stop."""
        start = int(payload.get("startAt", cursor or 0)) if isinstance(payload, Mapping) else 0
        following = start + len(items)
        if not items:
            return None
        if isinstance(payload, Mapping):
            if payload.get("isLast") is True:
                return None
            total = payload.get("total")
            if isinstance(total, int) and following >= total:
                return None
        return following


@dataclass(frozen=True)
class TokenPager:
    """`nextPageToken` + `isLast` (Jira Cloud `/rest/api/3/search/jql`)."""

    token_param: str = "nextPageToken"
    token_field: str = "nextPageToken"
    size_param: str = "maxResults"

    def params(self, cursor: Any, page_size: int) -> dict[str, Any]:
        """The token of the page (none for the first)."""
        params: dict[str, Any] = {self.size_param: page_size}
        if cursor:
            params[self.token_param] = cursor
        return params

    def next_cursor(
        self, cursor: Any, payload: Any, items: list[Any], response: httpx.Response
    ) -> Any:
        """The next token, unless the page says it is the last."""
        if not isinstance(payload, Mapping) or payload.get("isLast") is True:
            return None
        return payload.get(self.token_field) or None


@dataclass(frozen=True)
class PageNumberPager:
    """`page`/`total_pages` (1-based page numbers)."""

    page_param: str = "page"
    size_param: str = "per_page"
    total_pages_field: str = "total_pages"

    def params(self, cursor: Any, page_size: int) -> dict[str, Any]:
        """Page number = cursor (1 first)."""
        return {self.page_param: int(cursor or 1), self.size_param: page_size}

    def next_cursor(
        self, cursor: Any, payload: Any, items: list[Any], response: httpx.Response
    ) -> Any:
        """The next page number while it is within `total_pages`."""
        page = int(cursor or 1)
        total = payload.get(self.total_pages_field) if isinstance(payload, Mapping) else None
        if not items or (isinstance(total, int) and page >= total):
            return None
        return page + 1


@dataclass(frozen=True)
class LinkNextPager:
    """Follow the `Link: <url>; rel="next"` header (or a `next` URL in the body)."""

    body_field: str = "next"

    def params(self, cursor: Any, page_size: int) -> dict[str, Any]:
        """No params: the next URL carries them all."""
        return {}

    def next_cursor(
        self, cursor: Any, payload: Any, items: list[Any], response: httpx.Response
    ) -> Any:
        """The absolute URL of the next page, if any."""
        following = response.links.get("next", {}).get("url")
        if following is None and isinstance(payload, Mapping):
            following = payload.get(self.body_field) or None
        return str(response.url.join(following)) if following else None


@dataclass(frozen=True)
class Endpoint:
    """One listing: its path, the key of the items in a page, and its pager.

    `items_key=None` means the payload itself is the list (then there is only one page).
    """

    path: str
    items_key: str | None
    pager: Pager | None = None
    page_size: int = 100


class HttpClient:
    """GETs JSON with auth, retries and timeouts; pages through `Endpoint`s."""

    def __init__(
        self,
        base_url: str,
        auth: Auth | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._auth = auth
        self.retry = retry or RetryPolicy()
        headers = {"Accept": "application/json", "User-Agent": "productops"}
        if auth is not None:
            headers.update(auth.headers())
            _REDACT_SECRETS.add(auth.secrets())
        self._client = httpx.Client(
            base_url=self.base_url, headers=headers, timeout=timeout, transport=transport
        )

    def __repr__(self) -> str:
        return f"HttpClient({redact_url(self.base_url)!r})"

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _secrets(self) -> tuple[str, ...]:
        return self._auth.secrets() if self._auth is not None else ()

    def _fail(
        self, method: str, url: str, status: int | None, reason: str, attempts: int
    ) -> HttpError:
        return HttpError(method, url, status, _scrub(reason, self._secrets()), attempts)

    def request(
        self,
        method: str,
        path_or_url: str,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
    ) -> httpx.Response:
        """The successful (< 400) response of one request, retried as the policy says.

        For bodies that are not JSON (Amplitude's export is a ZIP); `request_json`
        parses the body as well. `json_body`, when given, is sent as the JSON body.
        """
        request = self._client.build_request(method, path_or_url, params=params, json=json_body)
        shown = redact_url(request.url)
        policy = self.retry
        for attempt in range(1, policy.attempts + 1):
            last = attempt == policy.attempts
            try:
                response = self._client.send(request)
            except httpx.TimeoutException as error:
                reason = f"timed out ({type(error).__name__})"
                if last:
                    raise self._fail(method, shown, None, reason, attempt) from None
                delay = policy.backoff(attempt)
            except httpx.TransportError as error:
                # Refused, reset or dropped mid-response: the server may be restarting.
                reason = f"connection failed ({type(error).__name__})"
                if last:
                    raise self._fail(method, shown, None, reason, attempt) from None
                delay = policy.backoff(attempt)
            else:
                status = response.status_code
                if status < 400:
                    return response
                reason = response.reason_phrase or "error"
                if status not in RETRYABLE_STATUS and status < 500:
                    raise self._fail(method, shown, status, reason, attempt)
                if last:
                    raise self._fail(method, shown, status, reason, attempt)
                delay = (
                    policy.retry_after(response, attempt)
                    if status in (429, 503)
                    else policy.backoff(attempt)
                )
                reason = f"HTTP {status}"
            log.warning(
                "%s %s: %s; retry %d of %d in %.2fs",
                method,
                shown,
                reason,
                attempt,
                policy.attempts - 1,
                delay,
            )
            policy.sleep(delay)
        raise AssertionError("unreachable: the loop returns or raises")

    def request_json(
        self,
        method: str,
        path_or_url: str,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
    ) -> tuple[Any, httpx.Response]:
        """The parsed JSON of one request (retried as the policy says) and its response."""
        response = self.request(method, path_or_url, params, json_body)
        try:
            return response.json(), response
        except ValueError:
            shown = redact_url(response.request.url)
            raise self._fail(
                method, shown, response.status_code, "the body is not JSON", 1
            ) from None

    def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """The JSON of `GET path` (relative to the base URL) with `params`."""
        return self.request_json("GET", path, params)[0]

    def pages(
        self,
        endpoint: Endpoint,
        params: Mapping[str, Any] | None = None,
        cursor: Any = None,
    ) -> Iterator[Page]:
        """Each page of `endpoint`, starting at `cursor` (None: the first page).

        Every `Page` carries the cursor of the one after it, so a caller that stores it
        after handling a page resumes a broken run exactly where it stopped.
        """
        if endpoint.pager is None:
            payload, _ = self.request_json("GET", endpoint.path, params)
            yield Page(self._items(endpoint, payload), payload, None)
            return
        while True:
            if isinstance(endpoint.pager, LinkNextPager) and cursor is not None:
                payload, response = self.request_json("GET", str(cursor))
            else:
                merged = {**(params or {}), **endpoint.pager.params(cursor, endpoint.page_size)}
                payload, response = self.request_json("GET", endpoint.path, merged)
            items = self._items(endpoint, payload)
            following = endpoint.pager.next_cursor(cursor, payload, items, response)
            if following is not None and following == cursor:
                # A server that keeps returning the same cursor would loop forever.
                raise self._fail(
                    "GET",
                    redact_url(response.url),
                    response.status_code,
                    "the next-page cursor did not advance",
                    1,
                )
            yield Page(items, payload, following)
            if following is None:
                return
            cursor = following

    def items(self, endpoint: Endpoint, params: Mapping[str, Any] | None = None) -> Iterator[Any]:
        """Every item of every page of `endpoint`."""
        for page in self.pages(endpoint, params):
            yield from page.items

    def _items(self, endpoint: Endpoint, payload: Any) -> list[Any]:
        found = (
            payload
            if endpoint.items_key is None
            else (payload.get(endpoint.items_key) if isinstance(payload, Mapping) else None)
        )
        if not isinstance(found, list):
            where = "the body" if endpoint.items_key is None else repr(endpoint.items_key)
            raise self._fail(
                "GET",
                redact_url(f"{self.base_url}{endpoint.path}"),
                200,
                f"expected a list in {where}",
                1,
            )
        return found


class ToolClient:
    """What every tool's API client shares: one `HttpClient` in `self.http`, a repr that
    shows no secret, and closing its connection pool on exit."""

    http: HttpClient

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.http!r})"

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
