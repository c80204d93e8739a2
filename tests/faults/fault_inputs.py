"""Bad inputs for the fault suite, built from the demo company's own exports.

Each test copies the part of `seeds/` a source reads into a temporary sources folder,
damages one file the way a clumsy user or a broken tool would (wrong encoding,
delimiter, dates, numbers, cut short, ...) and reads it with the source's own reader,
as a refresh would.
"""

from __future__ import annotations

import csv
import gzip
import io
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from connectors.errors import SourceFileError
from connectors.pseudonymise import make_pseudonymiser
from connectors.registry import ReadContext
from connectors.sources import source
from orchestration.settings import PROJECT_ROOT

SEEDS_DIR = PROJECT_ROOT / "seeds"
FAULT_KEY = b"fault-suite-key"
UTF8_BOM = b"\xef\xbb\xbf"

# The files each source reads (besides catalog.yml, which every copy gets).
SOURCE_FILES: dict[str, tuple[str, ...]] = {
    "catalog": (),
    "jira": ("jira",),
    "hr": ("hr",),
    "finance": ("finance",),
    "analytics": ("analytics",),
    "roadmap": ("roadmap",),
    "okrs": ("okrs",),
}


def copy_sources(target: Path, name: str, only: Iterable[str] | None = None) -> Path:
    """`catalog.yml` and the folders source `name` reads, copied from seeds/ into `target`.

    `only` limits the copy to those paths (relative to seeds/), to keep big folders small.
    """
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(SEEDS_DIR / "catalog.yml", target / "catalog.yml")
    for relative in only if only is not None else SOURCE_FILES[name]:
        origin = SEEDS_DIR / relative
        if origin.is_dir():
            shutil.copytree(origin, target / relative)
        else:
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(origin, target / relative)
    return target


def read(name: str, sources_dir: Path) -> dict[str, pa.Table]:
    """Every table of source `name`, read from `sources_dir` the way a refresh reads it."""
    context = ReadContext(sources_dir=sources_dir, pseudonymise=make_pseudonymiser(FAULT_KEY))
    return source(name).read(context)


def read_fails(name: str, sources_dir: Path) -> SourceFileError:
    """The `SourceFileError` reading source `name` raises (the test fails if none)."""
    with pytest.raises(SourceFileError) as caught:
        read(name, sources_dir)
    return caught.value


def assert_names(
    error: SourceFileError, file: str, line: int | None, column: str | None, *words: str
) -> None:
    """The error names `file`, `line` and `column`, and its message says `words`."""
    assert (error.path, error.line, error.column) == (file, line, column), str(error)
    message = str(error)
    assert message.startswith(file), message
    for word in words:
        assert word in message, message


@dataclass
class CsvFile:
    """A CSV export as header and rows of text, to damage and write back."""

    header: list[str]
    rows: list[list[str]]

    @classmethod
    def load(cls, path: Path) -> CsvFile:
        """The file at `path` (UTF-8, comma-separated)."""
        with path.open(encoding="utf-8", newline="") as handle:
            header, *rows = list(csv.reader(handle))
        return cls(header, rows)

    def column(self, name: str) -> int:
        """The position of column `name`."""
        return self.header.index(name)

    def values(self, name: str) -> list[str]:
        """Every row's cell of column `name`."""
        index = self.column(name)
        return [row[index] for row in self.rows]

    def set(self, row: int, name: str, value: str) -> None:
        """Overwrite one cell (`row` 0 is the first data row, on line 2)."""
        self.rows[row][self.column(name)] = value

    def map(self, name: str, change: Callable[[str], str]) -> None:
        """Rewrite every cell of column `name`."""
        index = self.column(name)
        for row in self.rows:
            row[index] = change(row[index])

    def drop(self, name: str) -> None:
        """Remove column `name` from the header and every row."""
        index = self.column(name)
        del self.header[index]
        for row in self.rows:
            del row[index]

    def text(self, delimiter: str = ",") -> str:
        """The file's text, CRLF line ends as Excel and Python's csv module write them."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter)
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return buffer.getvalue()

    def write(
        self, path: Path, encoding: str = "utf-8", delimiter: str = ",", bom: bytes = b""
    ) -> Path:
        """Write to `path` in `encoding` (after `bom`), gzipped when it ends in `.gz`."""
        data = bom + self.text(delimiter).encode(encoding)
        path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
        return path


def line_start(data: bytes, line: int) -> int:
    """The byte offset where 1-based `line` starts in `data`."""
    offset = 0
    for _ in range(line - 1):
        offset = data.index(b"\n", offset) + 1
    return offset


def cut_inside_line(path: Path, line: int, keep_fields: int = 1) -> bytes:
    """Truncate a CSV in the middle of `line`, after its first `keep_fields` fields.

    This is what a download or a copy cut off half-way leaves. Returns the kept bytes.
    """
    data = path.read_bytes()
    start = line_start(data, line)
    offset = start
    for _ in range(keep_fields):
        offset = data.index(b",", offset) + 1
    kept = data[: offset + 2]
    path.write_bytes(kept)
    return kept


def gzip_truncated(path: Path, fraction: float = 0.5) -> None:
    """Cut a gzipped file to `fraction` of its compressed bytes."""
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)])


def gunzip_lines(path: Path) -> list[str]:
    """The text lines of a gzipped JSON-lines file."""
    return gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()


def gzip_lines(path: Path, lines: Iterable[str], encoding: str = "utf-8") -> None:
    """Write text lines as a gzipped file."""
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode(encoding)))


def total(table: pa.Table, column: str) -> float:
    """The sum of a numeric column, rounded to cents (floating sums differ in the 1e-9s)."""
    return round(sum(v for v in table.column(column).to_pylist() if v is not None), 2)


def query(path: Path, sql: str) -> list[tuple]:
    """Rows of one query on a DuckDB file opened read-only, as the dashboards open it."""
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()
