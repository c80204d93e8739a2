"""A fake Aha! and Productboard on 127.0.0.1: real page envelopes, injected 429s and 5xx.

- Aha! style (`style="aha"`): `GET /api/v1/<collection>?page=&per_page=` answers
  `{"<collection>": [...], "pagination": {"total_records", "total_pages", "current_page"}}`.
- Productboard style (`style="productboard"`): `GET /<collection>` answers
  `{"data": [...], "links": {"next": <absolute URL with pageCursor>}}`; collections in
  `cursor_only` give the cursor as a bare `pageCursor` instead (like `/notes`).

`faults` is a list of (path fragment, status) consumed by the first matching request,
answered with `Retry-After: 0` for 429. `served` lists every page answered with 200, so
a test can prove each page was fetched once and each record delivered once.
"""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from local_server import LocalServer


class FakeRoadmapApi(LocalServer):
    """The server; use as a context manager. `base_url` is where it listens."""

    def __init__(
        self,
        style: str,
        collections: dict[str, list[dict[str, Any]]],
        token: str = "secret-token",
        page_size: int = 2,
        cursor_only: tuple[str, ...] = (),
    ) -> None:
        self.style = style
        self.collections = collections
        self.token = token
        self.page_size = page_size
        self.cursor_only = cursor_only
        self.faults: list[tuple[str, int]] = []
        self.requests: list[str] = []
        self.served: list[tuple[str, int]] = []
        self._serve(self._handler())

    def _page(self, path: str, query: dict[str, str]) -> tuple[int, Any, int]:
        if self.style == "aha":
            collection = path.rsplit("/", 1)[-1]
            records = self.collections[collection]
            page = int(query.get("page", "1"))
            size = min(int(query.get("per_page", "200")), self.page_size)
            total_pages = max(1, -(-len(records) // size))
            chunk = records[(page - 1) * size : page * size]
            body = {
                collection: chunk,
                "pagination": {
                    "total_records": len(records),
                    "total_pages": total_pages,
                    "current_page": page,
                },
            }
            return 200, body, page
        collection = path.strip("/")
        records = self.collections[collection]
        start = int(query.get("pageCursor", "0"))
        chunk = records[start : start + self.page_size]
        following = start + self.page_size
        body = {"data": chunk, "links": {"next": None}}
        if following < len(records):
            if collection in self.cursor_only:
                body["pageCursor"] = str(following)
            else:
                body["links"]["next"] = f"{self.base_url}{path}?" + urlencode(
                    {"pageCursor": following}
                )
        return 200, body, start

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: Any) -> None:
                return

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                with fake._lock:
                    fake.requests.append(self.path)
                    fault = next((f for f in fake.faults if f[0] in self.path), None)
                    if fault is not None:
                        fake.faults.remove(fault)
                if self.headers.get("Authorization") != f"Bearer {fake.token}":
                    self._send(401, {"error": "not authorised"})
                    return
                if fake.style == "productboard" and self.headers.get("X-Version") != "1":
                    self._send(400, {"error": "X-Version header required"})
                    return
                if fault is not None:
                    headers = {"Retry-After": "0"} if fault[1] == 429 else {}
                    self._send(fault[1], {"error": "injected"}, headers)
                    return
                try:
                    status, body, position = fake._page(parts.path, query)
                except KeyError:
                    self._send(404, {"error": "not found"})
                    return
                self._send(status, body)
                with fake._lock:
                    fake.served.append((parts.path, position))

            def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler
