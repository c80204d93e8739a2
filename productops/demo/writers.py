"""Writing files so that the same simulation always gives the same bytes.

Gzip headers carry no timestamp or file name; JSON pages are assembled from a spool
file so a page's `total` is right without holding every record in memory.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


def compact_json(value: Any) -> str:
    """JSON as an API sends it: no spaces, non-ASCII kept."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


DEFAULT_GZIP_LEVEL = 6


@contextmanager
def open_gzip_text(path: Path, level: int = DEFAULT_GZIP_LEVEL) -> Iterator[IO[str]]:
    """A UTF-8 text handle writing gzip with mtime 0 and no file name (deterministic)."""
    with (
        path.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=level) as packed,
        io.TextIOWrapper(packed, encoding="utf-8", newline="\n") as handle,
    ):
        yield handle


def write_text(path: Path, content: str, gz: bool = False, level: int = DEFAULT_GZIP_LEVEL) -> None:
    """Write `content` to `path` (gzipped deterministically at `level` when `gz`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if gz:
        with open_gzip_text(path, level) as handle:
            handle.write(content)
    else:
        path.write_text(content, encoding="utf-8", newline="\n")


def write_json(path: Path, value: Any) -> None:
    """A small JSON file, indented so it reads well in git."""
    write_text(path, json.dumps(value, ensure_ascii=False, indent=1) + "\n")


class CsvWriter:
    """A CSV file written row by row, counting its data rows."""

    def __init__(self, path: Path, header: Sequence[str]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = path.open("w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._handle, lineterminator="\n")
        self._writer.writerow(header)
        self.rows = 0

    def write(self, row: Sequence[Any]) -> None:
        """Append one data row."""
        self._writer.writerow(row)
        self.rows += 1

    def close(self) -> int:
        """Finish the file; returns the number of data rows."""
        self._handle.close()
        return self.rows


PageEnvelope = Callable[[int, int, int, list[str]], str]
"""(page index from 0, page size, total records, records as JSON) -> page JSON."""


class PagedJsonWriter:
    """Records spooled to disk as they come, then written as numbered API pages.

    Pages are `<folder>/<stem>_NNNN.json[.gz]`, numbered from 1.
    """

    def __init__(
        self,
        folder: Path,
        stem: str,
        envelope: PageEnvelope,
        page_size: int = 100,
        gz: bool = False,
        level: int = DEFAULT_GZIP_LEVEL,
    ) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._folder, self._stem, self._envelope = folder, stem, envelope
        self._page_size, self._gz, self._level = page_size, gz, level
        self._spool_path = folder / f".{stem}.spool"
        self._spool = self._spool_path.open("w+", encoding="utf-8", newline="\n")
        self.count = 0

    def add(self, record: dict[str, Any]) -> None:
        """Queue one record for the pages."""
        self._spool.write(compact_json(record) + "\n")
        self.count += 1

    def add_json(self, record: str) -> None:
        """Queue one record already rendered by compact_json() (one line, no newline)."""
        self._spool.write(record + "\n")
        self.count += 1

    def close(self) -> int:
        """Write the pages, remove the spool; returns the number of records."""
        self._spool.seek(0)
        suffix = ".json.gz" if self._gz else ".json"
        page_index = 0
        while True:
            lines = [self._spool.readline().rstrip("\n") for _ in range(self._page_size)]
            lines = [line for line in lines if line]
            if not lines and page_index > 0:
                break
            path = self._folder / f"{self._stem}_{page_index + 1:04d}{suffix}"
            page = self._envelope(page_index, self._page_size, self.count, lines)
            write_text(path, page + "\n", gz=self._gz, level=self._level)
            page_index += 1
            if len(lines) < self._page_size:
                break
        self._spool.close()
        self._spool_path.unlink()
        return self.count


def jira_page(page_index: int, page_size: int, total: int, records: list[str]) -> str:
    """A Jira Data Center `/rest/api/2/search` page."""
    head = compact_json(
        {
            "expand": "schema,names",
            "startAt": page_index * page_size,
            "maxResults": page_size,
            "total": total,
        }
    )
    return head[:-1] + ',"issues":[' + ",".join(records) + "]}"


def aha_page(records_key: str) -> PageEnvelope:
    """An Aha! v1 list page envelope for `records_key` (ideas, features, historical_audits)."""

    def envelope(page_index: int, page_size: int, total: int, records: list[str]) -> str:
        pages = max(1, -(-total // page_size))
        pagination = compact_json(
            {"total_records": total, "total_pages": pages, "current_page": page_index + 1}
        )
        return f'{{"{records_key}":[' + ",".join(records) + f'],"pagination":{pagination}}}'

    return envelope
