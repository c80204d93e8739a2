"""Finding and opening source files: plain or gzipped JSON, JSON lines and CSV.

Decoding problems become `SourceFileError`s that name the file (relative to the
sources folder) and, where the format has them, the line.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from connectors.errors import SourceFileError
from connectors.text_encodings import decode_error, sniff_encoding


def relative_name(path: Path, sources_dir: Path) -> str:
    """The `_source` of rows from `path`: its path under the sources folder, `/`-separated."""
    try:
        return path.resolve().relative_to(sources_dir.resolve()).as_posix()
    except ValueError:
        # A file outside the sources folder (e.g. a catalog given by its own path).
        return path.as_posix()


def open_text(path: Path, legacy: bool = False) -> IO[str]:
    """Open a text file, transparently un-gzipping `*.gz`; a byte-order mark is skipped.

    UTF-8, or UTF-16 with its byte-order mark; `legacy` (CSV exports) also reads a file
    that is not UTF-8 as Windows-1252, as Excel writes it (connectors/text_encodings.py).
    An empty `*.gz` file is an error: it is a download that never happened, not a gzip.
    """
    encoding = sniff_encoding(path, legacy)
    if path.name.endswith(".gz"):
        if path.stat().st_size == 0:
            raise EOFError("the gzip file is empty (0 bytes)")
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding=encoding, newline="")
    return path.open(encoding=encoding, newline="")


def _encoding_error(path: Path, source: str, csv_columns: bool, legacy: bool) -> SourceFileError:
    return decode_error(path, source, sniff_encoding(path, legacy), csv_columns)


def json_file(folder: Path, stem: str) -> Path | None:
    """`<folder>/<stem>.json` or `<stem>.json.gz`, whichever exists (None if neither)."""
    found = [p for p in (folder / f"{stem}.json", folder / f"{stem}.json.gz") if p.is_file()]
    if len(found) > 1:
        raise SourceFileError(found[1], None, None, f"{found[0].name} also exists: keep only one")
    return found[0] if found else None


def page_files(folder: Path, prefix: str) -> list[Path]:
    """Page files `<prefix>_NNNN.json[.gz]` in `folder`, in page-number order."""
    if not folder.is_dir():
        return []
    pattern = re.compile(rf"{re.escape(prefix)}_(\d+)\.json(?:\.gz)?")
    pages: dict[int, Path] = {}
    for path in folder.iterdir():
        match = pattern.fullmatch(path.name)
        if not (match and path.is_file()):
            continue
        number = int(match.group(1))
        if number in pages:
            raise SourceFileError(path, None, None, f"page {number} also in {pages[number].name}")
        pages[number] = path
    return [pages[n] for n in sorted(pages)]


def load_json(path: Path, source: str) -> Any:
    """Parse a whole JSON (or gzipped JSON) file; errors name `source` and the line."""
    try:
        with open_text(path) as handle:
            return json.load(handle)
    except json.JSONDecodeError as error:
        raise SourceFileError(source, error.lineno, None, f"expected JSON: {error.msg}") from None
    except UnicodeDecodeError:
        raise _encoding_error(path, source, csv_columns=False, legacy=False) from None
    except (OSError, EOFError, zlib.error) as error:
        raise SourceFileError(source, None, None, f"expected a readable file: {error}") from None


def iter_json_lines(path: Path, source: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line of a JSON-lines file, streamed."""
    line_number = 0
    try:
        with open_text(path) as handle:
            for line_number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise SourceFileError(
                        source, line_number, None, f"expected one JSON object: {error.msg}"
                    ) from None
                if not isinstance(record, dict):
                    raise SourceFileError(
                        source, line_number, None, "expected a JSON object on each line"
                    )
                yield line_number, record
    except UnicodeDecodeError:
        raise _encoding_error(path, source, csv_columns=False, legacy=False) from None
    except (OSError, EOFError, zlib.error) as error:
        raise SourceFileError(
            source, line_number + 1, None, f"expected a readable file: {error}"
        ) from None


def _missing_column(header: list[str]) -> str:
    # A header that is one cell holding `;`, tabs or `|` is the wrong delimiter.
    if len(header) == 1 and any(delimiter in header[0] for delimiter in ";\t|"):
        return f"expected comma-separated columns, got the header {header[0]!r}"
    return f"expected this column in the header {header}"


def iter_csv_rows(
    path: Path, source: str, required_columns: Sequence[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row of a CSV with a header (the header is line 1).

    The header must hold every column in `required_columns` (others are ignored); each
    row must have as many fields as the header.
    """
    line_number = 1
    try:
        with open_text(path, legacy=True) as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise SourceFileError(source, 1, None, "expected a header line, the file is empty")
            header = [name.strip() for name in header]
            for name in required_columns:
                if name not in header:
                    raise SourceFileError(source, 1, name, _missing_column(header))
            for fields in reader:
                line_number = reader.line_num
                if not fields or (len(fields) == 1 and not fields[0].strip()):
                    continue
                if len(fields) != len(header):
                    raise SourceFileError(
                        source,
                        line_number,
                        None,
                        f"expected {len(header)} fields like the header, got {len(fields)}",
                    )
                yield line_number, dict(zip(header, fields, strict=True))
    except csv.Error as error:
        raise SourceFileError(source, line_number + 1, None, f"expected CSV: {error}") from None
    except UnicodeDecodeError:
        raise _encoding_error(path, source, csv_columns=True, legacy=True) from None
    except (OSError, EOFError, zlib.error) as error:
        raise SourceFileError(
            source, line_number + 1, None, f"expected a readable file: {error}"
        ) from None
