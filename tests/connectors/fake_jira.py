"""A fake Jira on 127.0.0.1 serving real payloads in real page envelopes, with faults.

Both flavours: Cloud (`/rest/api/3/search/jql` with `nextPageToken`, basic auth) and
Data Center (`/rest/api/2/search` with `startAt`/`total`, bearer PAT); `/serverInfo`
says which. Search results embed at most `changelog_cap` histories (like Cloud's cap)
and `/issue/{id}/changelog` pages the rest. The JQL it understands is what the
connector sends: `project in (...)`, `updated >= "yyyy/MM/dd HH:mm"` (UTC here),
`id in (...)` and `ORDER BY created|updated ASC`.

Faults are queued as `Fault`s, each consumed by the first matching request: 429 with
`Retry-After`, 500, a slow answer (beyond the client's timeout) or a connection cut
half-way through the body. `served` records every page answered in full, so a test can
prove no page was fetched twice.
"""

from __future__ import annotations

import base64
import copy
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from jira_fixture_payloads import JiraPayloads
from local_server import LocalServer

CLOUD = "cloud"
DATA_CENTER = "datacenter"
KANBAN_BOARD = 999


def _utc(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed.astimezone(UTC).replace(tzinfo=None)


@dataclass
class Fault:
    """One injected failure for requests whose path contains `path` (and whose query
    has every `params` value); consumed `times` times."""

    path: str
    kind: str  # "429", "500", "400", "slow", "cut"
    times: int = 1
    params: dict[str, str] = field(default_factory=dict)
    retry_after: str | None = "0"
    delay: float = 1.0

    def matches(self, path: str, query: dict[str, str]) -> bool:
        return self.path in path and all(query.get(k) == v for k, v in self.params.items())


class FakeJira(LocalServer):
    """The server; use as a context manager. `base_url` is where it listens."""

    def __init__(
        self,
        payloads: JiraPayloads,
        flavour: str,
        email: str = "bot@example.test",
        secret: str = "test-token",
        changelog_cap: int | None = None,
        max_results: int = 100,
    ) -> None:
        self.flavour = flavour
        self.email = email
        self.secret = secret
        self.changelog_cap = changelog_cap
        self.max_results = max_results
        self.payloads = payloads
        self.issues: dict[str, dict[str, Any]] = {
            i["id"]: copy.deepcopy(i) for i in payloads.issues
        }
        self.faults: list[Fault] = []
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.served: list[tuple[str, str]] = []
        self._serve(self._handler())

    # --- changing the data ----------------------------------------------------------

    def delete(self, issue_id: str) -> None:
        """Delete an issue, as a user with admin rights would."""
        with self._lock:
            del self.issues[issue_id]

    def transition(self, issue_id: str, at: str, to_status: dict[str, Any]) -> None:
        """Move an issue to `to_status` at `at` (ISO with offset), logging the change."""
        with self._lock:
            issue = self.issues[issue_id]
            previous = issue["fields"]["status"]
            histories = issue["changelog"]["histories"]
            history_id = str(
                900000 + sum(len(i["changelog"]["histories"]) for i in self.issues.values())
            )
            histories.append(
                {
                    "id": history_id,
                    "created": at,
                    "items": [
                        {
                            "field": "status",
                            "fieldtype": "jira",
                            "fieldId": "status",
                            "from": previous["id"],
                            "fromString": previous["name"],
                            "to": to_status["id"],
                            "toString": to_status["name"],
                        }
                    ],
                }
            )
            issue["changelog"]["total"] = len(histories)
            issue["changelog"]["maxResults"] = len(histories)
            issue["fields"]["status"] = to_status
            issue["fields"]["updated"] = at

    # --- the HTTP side --------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: Any) -> None:  # keep test output clean
                return

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                with fake._lock:
                    fake.requests.append((parts.path, query))
                    fault = next((f for f in fake.faults if f.matches(parts.path, query)), None)
                    if fault is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            fake.faults.remove(fault)
                if not fake._authorised(self.headers.get("Authorization")):
                    self._send(401, {"errorMessages": ["not authorised"]})
                    return
                try:
                    status, body = fake._route(parts.path, query)
                except KeyError:
                    status, body = 404, {"errorMessages": ["not found"]}
                if fault is not None:
                    self._fail(fault, body)
                    return
                self._send(status, body)
                if status == 200 and isinstance(body, dict):
                    cursor = query.get("nextPageToken") or query.get("startAt") or ""
                    with fake._lock:
                        fake.served.append((parts.path, cursor))

            def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _fail(self, fault: Fault, body: Any) -> None:
                try:
                    if fault.kind == "429":
                        headers = (
                            {} if fault.retry_after is None else {"Retry-After": fault.retry_after}
                        )
                        self._send(429, {"errorMessages": ["rate limited"]}, headers)
                    elif fault.kind == "500":
                        self._send(500, {"errorMessages": ["internal error"]})
                    elif fault.kind == "400":
                        self._send(400, {"errorMessages": ["The page token is invalid"]})
                    elif fault.kind == "slow":
                        time.sleep(fault.delay)
                        self._send(200, body)
                    elif fault.kind == "cut":
                        data = json.dumps(body).encode()
                        self.send_response(200)
                        self.send_header("Content-Type", "application/json")
                        self.send_header("Content-Length", str(len(data)))
                        self.end_headers()
                        self.wfile.write(data[: len(data) // 3])
                        self.wfile.flush()
                        self.close_connection = True
                        self.connection.shutdown(2)
                    else:
                        raise ValueError(f"unknown fault {fault.kind}")
                except (BrokenPipeError, ConnectionResetError, OSError):
                    pass  # the client gave up first, as it should

        return Handler

    def _authorised(self, header: str | None) -> bool:
        if self.flavour == CLOUD:
            token = base64.b64encode(f"{self.email}:{self.secret}".encode()).decode()
            return header == f"Basic {token}"
        return header == f"Bearer {self.secret}"

    def _route(self, path: str, query: dict[str, str]) -> tuple[int, Any]:
        api = "/rest/api/3" if self.flavour == CLOUD else "/rest/api/2"
        routes: dict[str, Callable[[], tuple[int, Any]]] = {
            "/rest/api/2/serverInfo": lambda: (200, self._server_info()),
            "/rest/api/2/field": lambda: (200, self.payloads.fields),
            "/rest/api/2/status": lambda: (200, self.payloads.statuses),
            "/rest/api/2/issuetype": lambda: (200, self.payloads.issue_types),
            "/rest/agile/1.0/board": lambda: (200, self._start_at_page(self._boards(), query)),
        }
        if self.flavour == CLOUD:
            routes["/rest/api/3/search/jql"] = lambda: (200, self._cloud_search(query))
            routes["/rest/api/3/project/search"] = lambda: (
                200,
                self._start_at_page(self.payloads.projects, query),
            )
        else:
            routes["/rest/api/2/search"] = lambda: (200, self._dc_search(query))
            routes["/rest/api/2/project"] = lambda: (200, self.payloads.projects)
        if path in routes:
            return routes[path]()
        board = re.fullmatch(r"/rest/agile/1\.0/board/(\d+)/sprint", path)
        if board:
            if int(board.group(1)) == KANBAN_BOARD:
                return 400, {"errorMessages": ["The board does not support sprints"]}
            return 200, self._start_at_page(self.payloads.sprints, query)
        changelog = re.fullmatch(rf"{api}/issue/(\w+)/changelog", path)
        if changelog:
            issue = self._issue(changelog.group(1))
            return 200, self._start_at_page(issue["changelog"]["histories"], query)
        single = re.fullmatch(rf"{api}/issue/(\w+)", path)
        if single:
            issue = self._issue(single.group(1))
            return 200, {"id": issue["id"], "key": issue["key"], "fields": {}}
        raise KeyError(path)

    def _server_info(self) -> dict[str, Any]:
        kind = "Cloud" if self.flavour == CLOUD else "DataCenter"
        return {"baseUrl": self.base_url, "version": "9.12.0", "deploymentType": kind}

    def _boards(self) -> list[dict[str, Any]]:
        return [
            {"id": self.payloads.sprint_board, "type": "scrum"},
            {"id": KANBAN_BOARD, "type": "kanban"},
        ]

    def _issue(self, id_or_key: str) -> dict[str, Any]:
        with self._lock:
            for issue in self.issues.values():
                if id_or_key in (issue["id"], issue["key"]):
                    return issue
        raise KeyError(id_or_key)

    def _start_at_page(self, values: list[Any], query: dict[str, str]) -> dict[str, Any]:
        start = int(query.get("startAt", 0))
        size = min(int(query.get("maxResults", 50)), self.max_results)
        chunk = values[start : start + size]
        return {
            "startAt": start,
            "maxResults": size,
            "total": len(values),
            "isLast": start + len(chunk) >= len(values),
            "values": chunk,
        }

    # --- search ---------------------------------------------------------------------

    def _matching(self, jql: str) -> list[dict[str, Any]]:
        with self._lock:
            issues = list(self.issues.values())
        projects = re.search(r"project in \(([^)]*)\)", jql)
        if projects:
            keys = {k.strip().strip('"') for k in projects.group(1).split(",")}
            issues = [i for i in issues if i["fields"]["project"]["key"] in keys]
        since = re.search(r'updated >= "(\d{4})/(\d{2})/(\d{2}) (\d{2}):(\d{2})"', jql)
        if since:
            floor = datetime(*(int(g) for g in since.groups()))
            issues = [i for i in issues if _utc(i["fields"]["updated"]) >= floor]
        ids = re.search(r"id in \(([^)]*)\)", jql)
        if ids:
            wanted = {i.strip() for i in ids.group(1).split(",")}
            issues = [i for i in issues if i["id"] in wanted]
        order = re.search(r"ORDER BY (created|updated) ASC", jql)
        column = order.group(1) if order else "created"
        return sorted(issues, key=lambda i: (_utc(i["fields"][column]), int(i["id"])))

    def _shaped(self, issue: dict[str, Any], query: dict[str, str]) -> dict[str, Any]:
        wanted = query.get("fields", "*all").split(",")
        shaped = {k: v for k, v in issue.items() if k != "changelog"}
        if "*all" not in wanted:
            shaped["fields"] = {k: v for k, v in issue["fields"].items() if k in wanted}
        if "changelog" in query.get("expand", ""):
            histories = issue["changelog"]["histories"]
            embedded = histories[: self.changelog_cap] if self.changelog_cap else histories
            shaped["changelog"] = {
                "startAt": 0,
                "maxResults": len(embedded),
                "total": len(histories),
                "histories": copy.deepcopy(embedded),
            }
        return copy.deepcopy(shaped)

    def _dc_search(self, query: dict[str, str]) -> dict[str, Any]:
        issues = self._matching(query.get("jql", ""))
        start = int(query.get("startAt", 0))
        size = min(int(query.get("maxResults", 50)), self.max_results)
        return {
            "startAt": start,
            "maxResults": size,
            "total": len(issues),
            "issues": [self._shaped(i, query) for i in issues[start : start + size]],
        }

    def _cloud_search(self, query: dict[str, str]) -> dict[str, Any]:
        issues = self._matching(query.get("jql", ""))
        token = query.get("nextPageToken")
        start = int(base64.urlsafe_b64decode(token.encode()).decode()) if token else 0
        size = min(int(query.get("maxResults", 50)), self.max_results)
        following = start + size
        page: dict[str, Any] = {
            "issues": [self._shaped(i, query) for i in issues[start:following]],
            "isLast": following >= len(issues),
        }
        if following < len(issues):
            page["nextPageToken"] = base64.urlsafe_b64encode(str(following).encode()).decode()
        return page
