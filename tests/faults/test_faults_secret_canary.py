"""Secrets never leave the process: a canary token in every credential, through a refresh.

`PRODUCTOPS_PSEUDONYM_KEY`, Jira's, Aha!'s and Productboard's tokens are set to canary
values; the tools' URLs point at a local server that refuses every request and, like a
hostile or badly configured proxy, echoes the credentials it was sent back in its status
line, headers and body. The refresh must fail naming the tools, and the canaries must
appear nowhere: not in the progress lines, the exception and its stack trace, Python's
log records, Dagster's events (metadata and error info included), nor any file under
the data folder (refresh.log, quality reports, Jira state, Dagster's storage).
"""

from __future__ import annotations

import base64
import functools
import logging
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from dagster import DagsterInstance
from dagster._serdes import serialize_value

import orchestration.defs.sources.assets as source_assets
import orchestration.refresh as refresh_module
from connectors.productboard import ProductboardConfig
from orchestration.refresh import RefreshFailed, run_refresh
from orchestration.settings import get_settings

CANARY = f"canary{uuid.uuid4().hex}"
PSEUDONYM_CANARY = f"{CANARY}-pseudonym-key"
JIRA_CANARY = f"{CANARY}-jira-token"
AHA_CANARY = f"{CANARY}-aha-token"
PRODUCTBOARD_CANARY = f"{CANARY}-productboard-token"
JIRA_EMAIL = "integration-bot@example.com"


class _EchoingRefusal(BaseHTTPRequestHandler):
    """401 to everything, echoing the request's credentials back everywhere it can."""

    received: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        credentials = self.headers.get("Authorization", "")
        self.received.append(credentials)
        echo = f"{credentials} {self.path}"
        body = f'{{"errorMessages": ["bad credentials {echo}"]}}'.encode()
        self.send_response(401, f"Unauthorized {echo}")
        self.send_header("Content-Type", "application/json")
        self.send_header("WWW-Authenticate", f'Basic realm="{echo}"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def echoing_server() -> Iterator[str]:
    """The URL of a server on 127.0.0.1 that refuses and echoes credentials."""
    _EchoingRefusal.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoingRefusal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _RecordedInstances:
    """Stands in for `DagsterInstance` in orchestration.refresh, keeping each instance."""

    made: ClassVar[list[DagsterInstance]] = []

    @classmethod
    def ephemeral(cls, *args: object, **kwargs: object) -> DagsterInstance:
        instance = DagsterInstance.ephemeral(*args, **kwargs)
        # Its in-memory event log would vanish when the refresh disposes of it; the
        # test disposes of it once the events are read.
        instance.dispose = lambda: None  # type: ignore[method-assign]
        cls.made.append(instance)
        return instance


def _leaks(text: str) -> list[str]:
    basic = base64.b64encode(f"{JIRA_EMAIL}:{JIRA_CANARY}".encode()).decode()
    return [secret for secret in (CANARY, basic) if secret in text]


def test_no_credential_reaches_logs_errors_events_or_files(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    echoing_server: str,
) -> None:
    data_dir = tmp_path / "data"
    monkeypatch.setenv("PRODUCTOPS_DATA_DIR", str(data_dir))
    monkeypatch.setenv(
        "PRODUCTOPS_SOURCES_DIR", str(Path(refresh_module.__file__).parents[1] / "seeds")
    )
    monkeypatch.delenv("PRODUCTOPS_CATALOG", raising=False)
    monkeypatch.setenv("PRODUCTOPS_PSEUDONYM_KEY", PSEUDONYM_CANARY)
    monkeypatch.setenv("JIRA_BASE_URL", f"{echoing_server}/jira")
    monkeypatch.setenv("JIRA_EMAIL", JIRA_EMAIL)
    monkeypatch.setenv("JIRA_API_TOKEN", JIRA_CANARY)
    monkeypatch.setenv("AHA_DOMAIN", f"{echoing_server}/aha")
    monkeypatch.setenv("AHA_API_TOKEN", AHA_CANARY)
    monkeypatch.setenv("PRODUCTBOARD_TOKEN", PRODUCTBOARD_CANARY)
    # Productboard's URL is not a setting; the landing asset builds its config here.
    monkeypatch.setattr(
        source_assets,
        "ProductboardConfig",
        functools.partial(ProductboardConfig, base_url=f"{echoing_server}/productboard"),
    )
    monkeypatch.setattr(refresh_module, "DagsterInstance", _RecordedInstances)
    _RecordedInstances.made = []
    get_settings.cache_clear()
    caplog.set_level(logging.DEBUG)
    lines: list[str] = []

    with pytest.raises(RefreshFailed) as failed:
        run_refresh(progress=lines.append, select=["hr", "jira", "roadmap", "okrs"])

    # The refresh really sent every credential and really failed on each tool.
    sent = " ".join(_EchoingRefusal.received)
    assert f"Bearer {AHA_CANARY}" in sent and f"Bearer {PRODUCTBOARD_CANARY}" in sent
    assert base64.b64encode(f"{JIRA_EMAIL}:{JIRA_CANARY}".encode()).decode() in sent
    failed_steps = {line.split(":")[0] for line in lines if ": FAILED:" in line}
    assert failed_steps == {"raw_jira", "raw_roadmap", "raw_okrs"}, lines
    assert any(line.startswith("raw_hr: done") for line in lines), lines
    assert "401" in failed.value.error

    exception_text = f"{failed.value} {failed.value.error} {failed.value.details}"
    assert _leaks(exception_text) == [], exception_text
    assert _leaks("\n".join(lines)) == []
    assert _leaks("\n".join(record.getMessage() for record in caplog.records)) == []
    assert _leaks(caplog.text) == []

    assert _RecordedInstances.made, "the refresh ran on no Dagster instance"
    events = 0
    for instance in _RecordedInstances.made:
        try:
            for run in instance.get_runs():
                for entry in instance.all_logs(run.run_id):
                    events += 1
                    assert _leaks(serialize_value(entry)) == [], entry.message
        finally:
            DagsterInstance.dispose(instance)
    assert events > 50

    files = [path for path in data_dir.rglob("*") if path.is_file()]
    assert {p.name for p in files} >= {"refresh.log", "hr.json", "warehouse.duckdb"}
    assert any(p.suffix == ".sqlite" and p.parent.name == "jira" for p in files)
    for path in files:
        data = path.read_bytes()
        assert _leaks(data.decode("latin-1")) == [], path
