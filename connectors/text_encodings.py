"""Which text encoding an export file is in, and where a file that is not breaks.

Real exports are not all UTF-8: Excel's "Unicode text" and some BI tools write UTF-16
(with a byte-order mark), and Excel's plain "CSV" on Windows writes Windows-1252 (a
superset of Latin-1's printable characters). The rules, decided per file:

- a UTF-16 byte-order mark (`FF FE` / `FE FF`): UTF-16;
- a UTF-8 byte-order mark: UTF-8, strictly: a file that claims UTF-8 and then holds
  other bytes (Latin-1 saved behind a BOM) is an error naming the line and column of
  the first bad byte, because any guess could silently change names and amounts;
- no mark: UTF-8 when every byte sequence is valid UTF-8; otherwise, for CSV exports
  only (`legacy=True`), Windows-1252, the encoding Excel writes. JSON is UTF-8 by its
  specification, so a JSON file that is not is an error.
"""

from __future__ import annotations

import codecs
import csv
import gzip
from pathlib import Path
from typing import IO

from connectors.errors import SourceFileError

UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
LEGACY_ENCODING = "cp1252"
_CHUNK = 1 << 20


def _open_bytes(path: Path) -> IO[bytes]:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")


def _is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with _open_bytes(path) as handle:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def sniff_encoding(path: Path, legacy: bool = False) -> str:
    """The Python codec to read `path` with (see the module docstring for the rules).

    `utf-16` and `utf-8-sig` consume their byte-order mark. Gzipped files are looked
    at after decompression. `legacy` allows the Windows-1252 fallback (CSV exports).
    """
    with _open_bytes(path) as handle:
        head = handle.read(4)
    if head.startswith(UTF16_BOMS):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8) or not legacy:
        return "utf-8-sig"
    return "utf-8" if _is_utf8(path) else LEGACY_ENCODING


def _describe(encoding: str) -> str:
    return {
        "utf-8-sig": "UTF-8",
        "utf-8": "UTF-8",
        "utf-16": "UTF-16",
        LEGACY_ENCODING: "UTF-8 or Windows-1252 (Latin-1)",
    }.get(encoding, encoding)


def decode_error(path: Path, source: str, encoding: str, csv_columns: bool) -> SourceFileError:
    """A `SourceFileError` at the first byte of `path` that `encoding` cannot decode.

    Names the 1-based line and, for a CSV (`csv_columns`), the header's name of the
    field the byte is in. Reads the whole file: only called once reading has failed.
    """
    with _open_bytes(path) as handle:
        data = handle.read()
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    try:
        data.decode(codec)
    except UnicodeDecodeError as error:
        start = error.start
        bad = data[start : start + 1].hex()
    else:  # pragma: no cover - only called after a decoding failure
        return SourceFileError(source, None, None, f"expected {_describe(encoding)} text")
    before = data[:start].decode(codec, "replace").lstrip("\ufeff")
    line = before.count("\n") + 1
    column = None
    if csv_columns and line > 1:
        first_line = data.decode(codec, "replace").lstrip("\ufeff").split("\n", 1)[0]
        header = next(csv.reader([first_line.rstrip("\r")]), [])
        # The fields before the bad byte on its line say which column it is in.
        current = before[before.rfind("\n") + 1 :]
        index = len(next(csv.reader([current + "x"]), [""])) - 1
        if index < len(header):
            column = header[index].strip()
    has_bom = data.startswith(codecs.BOM_UTF8)
    marked = " (the file starts with a UTF-8 byte-order mark)" if has_bom else ""
    return SourceFileError(
        source,
        line,
        column,
        f"expected {_describe(encoding)} text{marked}, got the byte 0x{bad}: "
        "save the export as UTF-8",
    )
