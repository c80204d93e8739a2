"""Amplitude's Export API through the shared `HttpClient`, incrementally, into
`analytics__events`.

`GET /api/2/export?start=YYYYMMDDTHH&end=YYYYMMDDTHH` (both hours inclusive, UTC; HTTP
basic auth with the project's API key and secret key) answers a ZIP archive holding one
gzipped JSON-lines file per hour, the same lines as the export files in
`analytics/amplitude/`, so each line goes through the same `connectors.amplitude.event_row`.
A 404 means "no data in that range". Ranges are asked for `chunk_hours` at a time (a day
by default): Amplitude refuses an export over 4 GB, and a day's archive is what is held
in memory at once. Each hour file is streamed line by line into record batches; no
Python object per event outlives its line.

**Incremental.** A small JSON state file (`<state_dir>/amplitude/<hash>.json`, one per
server and project) keeps `exported_through`, the last hour exported. A run asks for
the hours from `exported_through + 1 h - overlap_hours` to the last complete hour:
Amplitude exports by *upload* time and late events keep arriving for a few hours, so the
overlap re-reads them; events read twice are merged by `event_id` (`$insert_id`) at
landing. With no state the run starts at `start` (`AMPLITUDE_START`). The state is
written once, after every chunk was read.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import zipfile
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pyarrow as pa

from connectors import schemas
from connectors.amplitude import event_row
from connectors.arrow_tables import TableBuilder
from connectors.errors import SourceFileError
from connectors.http import BasicAuth, HttpClient, HttpError, RetryPolicy, Secret, ToolClient
from connectors.pseudonymise import Pseudonymiser

EXPORT_PATH = "/api/2/export"
HOUR_FORMAT = "%Y%m%dT%H"
DEFAULT_BASE_URL = "https://amplitude.com"
DEFAULT_CHUNK_HOURS = 24
DEFAULT_OVERLAP_HOURS = 3
# Exports of a day can take minutes to assemble on Amplitude's side.
DEFAULT_TIMEOUT = 300.0


def parse_hour(value: str, setting: str = "AMPLITUDE_START") -> datetime:
    """`YYYYMMDDTHH` (Amplitude's hour format) as a naive UTC datetime."""
    try:
        return datetime.strptime(value.strip(), HOUR_FORMAT)
    except ValueError:
        raise ValueError(
            f"{setting}={value!r} is not an hour in Amplitude's format YYYYMMDDTHH "
            "(e.g. 20250101T00)"
        ) from None


def format_hour(hour: datetime) -> str:
    """An hour in Amplitude's `YYYYMMDDTHH` format."""
    return hour.strftime(HOUR_FORMAT)


def _last_complete_hour() -> datetime:
    now = datetime.now(UTC).replace(tzinfo=None)
    return now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)


@dataclass(frozen=True)
class AmplitudeApiConfig:
    """How to reach one Amplitude project: `AMPLITUDE_API_KEY`, `AMPLITUDE_SECRET_KEY`
    (kept out of repr), the first hour to export on an empty state (`AMPLITUDE_START`)
    and the server (`AMPLITUDE_BASE_URL`; EU residency: https://analytics.eu.amplitude.com)."""

    api_key: str
    secret_key: str = field(repr=False)
    start: datetime
    base_url: str = DEFAULT_BASE_URL
    chunk_hours: int = DEFAULT_CHUNK_HOURS
    overlap_hours: int = DEFAULT_OVERLAP_HOURS
    timeout: float = DEFAULT_TIMEOUT
    retry: RetryPolicy = field(default_factory=RetryPolicy, repr=False)
    # The last hour to export; tests pin it, a run exports up to the last complete hour.
    last_hour: Callable[[], datetime] = field(default=_last_complete_hour, repr=False)

    def __post_init__(self) -> None:
        if self.chunk_hours < 1 or self.overlap_hours < 0:
            raise ValueError("chunk_hours must be at least 1 and overlap_hours not negative")


def state_path(state_dir: Path, config: AmplitudeApiConfig) -> Path:
    """The state file of one server and project: another project starts from scratch."""
    identity = f"{config.base_url.rstrip('/')}\n{config.api_key}"
    return state_dir / "amplitude" / f"{hashlib.sha256(identity.encode()).hexdigest()[:16]}.json"


def read_watermark(path: Path) -> datetime | None:
    """The last hour exported by an earlier run (None: no state yet)."""
    if not path.is_file():
        return None
    try:
        return parse_hour(json.loads(path.read_text())["exported_through"], str(path))
    except (ValueError, KeyError, TypeError) as error:
        raise SourceFileError(
            path, None, "exported_through", f"expected Amplitude export state: {error}"
        ) from None


def write_watermark(path: Path, hour: datetime) -> None:
    """Record `hour` as exported; written whole (temp file + rename), never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"exported_through": format_hour(hour)}) + "\n")
    os.replace(temporary, path)


def chunks(first: datetime, last: datetime, hours: int) -> Iterator[tuple[datetime, datetime]]:
    """Inclusive (start, end) hour ranges of at most `hours` hours covering first..last."""
    step = timedelta(hours=hours)
    while first <= last:
        end = min(first + step - timedelta(hours=1), last)
        yield first, end
        first = end + timedelta(hours=1)


class AmplitudeClient(ToolClient):
    """Downloads export archives of one Amplitude project."""

    def __init__(
        self, config: AmplitudeApiConfig, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.config = config
        self.http = HttpClient(
            config.base_url,
            auth=BasicAuth(config.api_key, Secret(config.secret_key)),
            retry=config.retry,
            timeout=config.timeout,
            transport=transport,
        )

    def export(self, start: datetime, end: datetime) -> bytes | None:
        """The ZIP archive of the hours start..end (inclusive); None when Amplitude has
        no data for them (404)."""
        params = {"start": format_hour(start), "end": format_hour(end)}
        try:
            response = self.http.request("GET", EXPORT_PATH, params)
        except HttpError as error:
            if error.status == 404:
                return None
            raise
        return response.content


def _archive_lines(archive: bytes, source: str) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """(source, line, event) for each line of each hour file, streamed file by file."""
    try:
        bundle = zipfile.ZipFile(io.BytesIO(archive))
    except zipfile.BadZipFile as error:
        raise SourceFileError(source, None, None, f"expected a ZIP archive: {error}") from None
    with bundle:
        for member in sorted(m for m in bundle.namelist() if not m.endswith("/")):
            where = f"{source}!{member}"
            line = 0
            try:
                with (
                    bundle.open(member) as raw,
                    gzip.GzipFile(fileobj=raw)
                    if member.endswith(".gz")
                    else nullcontext(raw) as stream,
                    io.TextIOWrapper(stream, "utf-8") as lines,
                ):
                    for line, text_line in enumerate(lines, 1):
                        if not text_line.strip():
                            continue
                        try:
                            event = json.loads(text_line)
                        except json.JSONDecodeError as error:
                            raise SourceFileError(
                                where, line, None, f"expected one JSON object: {error.msg}"
                            ) from None
                        if not isinstance(event, dict):
                            raise SourceFileError(
                                where, line, None, "expected a JSON object on each line"
                            )
                        yield where, line, event
            except (OSError, EOFError, UnicodeDecodeError, zipfile.BadZipFile) as error:
                raise SourceFileError(
                    where, line + 1, None, f"expected a readable gzipped JSON-lines file: {error}"
                ) from None


def read_amplitude_api(
    config: AmplitudeApiConfig,
    pseudonymise: Pseudonymiser,
    state_dir: Path | None = None,
    transport: httpx.BaseTransport | None = None,
    batch_rows: int = 50_000,
) -> dict[str, pa.Table]:
    """`analytics__events` exported since the last run (from `config.start` without
    state), each event id once; advances the state in `state_dir` when given."""
    path = state_path(state_dir, config) if state_dir is not None else None
    watermark = read_watermark(path) if path is not None else None
    first = config.start
    if watermark is not None:
        first = watermark + timedelta(hours=1 - config.overlap_hours)
    last = config.last_hour()
    builder = TableBuilder(schemas.ANALYTICS_EVENTS, batch_rows=batch_rows)
    seen: set[str] = set()
    with AmplitudeClient(config, transport) as client:
        for start, end in chunks(first, last, config.chunk_hours):
            archive = client.export(start, end)
            if archive is None:
                continue
            source = (
                f"{client.http.base_url}{EXPORT_PATH}"
                f"?start={format_hour(start)}&end={format_hour(end)}"
            )
            for where, line, event in _archive_lines(archive, source):
                row = event_row(event, pseudonymise, where, line)
                if row["event_id"] in seen:
                    continue
                seen.add(row["event_id"])
                builder.add(row)
    if path is not None and first <= last:
        write_watermark(path, max(last, watermark or last))
    return {schemas.ANALYTICS_EVENTS.name: builder.finish()}
