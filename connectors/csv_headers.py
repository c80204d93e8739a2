"""Reading a CSV's header on its own, to recognise which tool wrote the file and map
its columns before any row is read."""

from __future__ import annotations

import csv
import zlib
from collections.abc import Mapping
from pathlib import Path

from connectors.errors import SourceFileError
from connectors.source_files import open_text
from connectors.text_encodings import decode_error, sniff_encoding

_OTHER_DELIMITERS = ";\t|"


def read_header(path: Path, source: str) -> list[str]:
    """The column names on line 1 of a CSV (plain or gzipped), blanks stripped."""
    try:
        with open_text(path, legacy=True) as handle:
            first = handle.readline()
    except UnicodeDecodeError:
        raise decode_error(path, source, sniff_encoding(path, legacy=True), True) from None
    except (OSError, EOFError, zlib.error) as error:
        raise SourceFileError(source, 1, None, f"expected a readable CSV: {error}") from None
    if not first.strip():
        raise SourceFileError(source, 1, None, "expected a header line, the file is empty")
    return [name.strip() for name in next(csv.reader([first]))]


def map_columns(
    header: list[str],
    candidates: Mapping[str, tuple[str, ...]],
    required: tuple[str, ...],
    source: str,
) -> dict[str, str]:
    """Each column of `candidates` → the first of its names present in `header`.

    A required column none of whose names is present is an error at line 1 naming the
    column the file should have; a header that is one cell holding `;`, tabs or `|` is
    reported as the wrong delimiter, which is what it almost always is.
    """
    found: dict[str, str] = {}
    for column, names in candidates.items():
        present = next((name for name in names if name in header), None)
        if present is not None:
            found[column] = present
        elif column in required:
            wanted = names[0]
            if len(header) == 1 and any(d in header[0] for d in _OTHER_DELIMITERS):
                raise SourceFileError(
                    source,
                    1,
                    wanted,
                    f"expected comma-separated columns, got the header {header[0]!r}",
                )
            raise SourceFileError(
                source, 1, wanted, f"expected one of the columns {list(names)} in {header}"
            )
    return found
