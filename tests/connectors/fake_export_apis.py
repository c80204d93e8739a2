"""A fake Amplitude Export API and a fake BambooHR on 127.0.0.1.

- Amplitude (`FakeAmplitude`): `GET /api/2/export?start=YYYYMMDDTHH&end=YYYYMMDDTHH`
  with basic auth `api_key:secret_key` answers a real ZIP archive holding one gzipped
  JSON-lines file per hour that has events (named as Amplitude names them,
  `<project>/<project>_<YYYY-MM-DD>_<H>#0.json.gz`), or 404 when the range has none.
  `events_by_hour` maps an upload hour to its events and may grow between runs.
- BambooHR (`FakeBambooHr`): `POST /api/gateway.php/<subdomain>/v1/reports/custom` and
  `GET .../v1/reports/<id>` with basic auth `api_key:x` answer `{"title", "fields",
  "employees"}`; each employee holds only the fields asked for (plus `id`).

`faults` is a list of (query or path fragment, status) consumed by the first matching
request (429s carry `Retry-After: 0`); `requests` records every path asked for.
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import zipfile
from abc import ABC, abstractmethod
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from local_server import LocalServer

PROJECT = "187520"


def hour_archive(events_by_hour: dict[datetime, list[dict[str, Any]]]) -> bytes:
    """A ZIP of gzipped JSON-lines files, one per hour, as Amplitude's export sends."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        for hour in sorted(events_by_hour):
            lines = "".join(json.dumps(e) + "\n" for e in events_by_hour[hour])
            name = f"{PROJECT}/{PROJECT}_{hour:%Y-%m-%d}_{hour.hour}#0.json.gz"
            bundle.writestr(name, gzip.compress(lines.encode()))
    return buffer.getvalue()


class _FakeServer(LocalServer, ABC):
    """A threaded server on 127.0.0.1 with fault injection; a context manager."""

    def __init__(self) -> None:
        self.faults: list[tuple[str, int]] = []
        self.requests: list[str] = []
        self._serve(self._handler())

    @abstractmethod
    def expected_auth(self) -> str:
        """The `Authorization` header a correct client sends."""

    @abstractmethod
    def answer(
        self, method: str, path: str, query: dict[str, str], body: Any
    ) -> tuple[int, bytes, str]:
        """(status, body, content type) of a request that passed auth and faults."""

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: Any) -> None:
                return

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                with fake._lock:
                    fake.requests.append(self.path)
                    fault = next((f for f in fake.faults if f[0] in self.path), None)
                    if fault is not None:
                        fake.faults.remove(fault)
                if self.headers.get("Authorization") != fake.expected_auth():
                    self._send(401, b'{"error": "not authorised"}', "application/json")
                    return
                if fault is not None:
                    headers = {"Retry-After": "0"} if fault[1] == 429 else {}
                    self._send(fault[1], b'{"error": "injected"}', "application/json", headers)
                    return
                body = json.loads(raw) if raw else None
                self._send(*fake.answer(method, parts.path, query, body))

            def _send(
                self,
                status: int,
                data: bytes,
                content_type: str,
                headers: dict[str, str] | None = None,
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class FakeAmplitude(_FakeServer):
    """Amplitude's `/api/2/export` over `events_by_hour` (upload hour → events)."""

    def __init__(
        self, api_key: str, secret_key: str, events_by_hour: dict[datetime, list[dict[str, Any]]]
    ) -> None:
        super().__init__()
        self._auth = _basic(api_key, secret_key)
        self.events_by_hour = events_by_hour

    def expected_auth(self) -> str:
        """Basic `api_key:secret_key`."""
        return self._auth

    def answer(
        self, method: str, path: str, query: dict[str, str], body: Any
    ) -> tuple[int, bytes, str]:
        """The archive of the hours start..end (inclusive), 404 when there are none."""
        if method != "GET" or path != "/api/2/export":
            return 404, b"not found", "text/plain"
        start = datetime.strptime(query["start"], "%Y%m%dT%H")
        end = datetime.strptime(query["end"], "%Y%m%dT%H")
        if end < start or end - start > timedelta(days=365):
            return 400, b"invalid range", "text/plain"
        hours = {h: e for h, e in self.events_by_hour.items() if start <= h <= end and e}
        if not hours:
            return 404, b"Raw data files were not found.", "text/plain"
        return 200, hour_archive(hours), "application/zip"


class FakeBambooHr(_FakeServer):
    """BambooHR's custom and saved reports over `employees` (every field of each)."""

    def __init__(
        self, subdomain: str, api_key: str, employees: list[dict[str, Any]], report_id: str = "42"
    ) -> None:
        super().__init__()
        self._auth = _basic(api_key, "x")
        self.root = f"/api/gateway.php/{subdomain}/v1"
        self.employees = employees
        self.report_id = report_id
        self.asked_fields: list[str] = []

    def expected_auth(self) -> str:
        """Basic `api_key:x`."""
        return self._auth

    def answer(
        self, method: str, path: str, query: dict[str, str], body: Any
    ) -> tuple[int, bytes, str]:
        """The report: only the asked-for fields of current employees unless
        `onlyCurrent=false`."""
        if query.get("format") != "JSON":
            return 200, b"<report/>", "application/xml"
        if method == "POST" and path == f"{self.root}/reports/custom":
            fields = list(body["fields"])
            self.asked_fields = fields
        elif method == "GET" and path == f"{self.root}/reports/{self.report_id}":
            fields = sorted({k for e in self.employees for k in e})
        else:
            return 404, b'{"error": "not found"}', "application/json"
        people = [
            e
            for e in self.employees
            if query.get("onlyCurrent") == "false"
            or e.get("terminationDate") in (None, "0000-00-00")
        ]
        report = {
            "title": "productops headcount",
            "fields": [{"id": f, "type": "text", "name": f} for f in fields],
            "employees": [{"id": e["id"], **{f: e.get(f) for f in fields}} for e in people],
        }
        return 200, json.dumps(report).encode(), "application/json"
