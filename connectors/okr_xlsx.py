"""The OKR export as one workbook, `okrs/okrs.xlsx`: sheets `objectives`, `key_results`
and `checkins` with the same columns as the CSVs (`connectors.okrs`).

Most OKR spreadsheets can be saved in this shape. Dates may be Excel dates or
`YYYY-MM-DD` text; numbers may be Excel numbers or text. Errors name the workbook, the
sheet, the Excel row and the column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa

from connectors import okrs, schemas
from connectors.arrow_tables import TableBuilder
from connectors.errors import SourceFileError
from connectors.source_files import relative_name
from connectors.spreadsheets import iter_xlsx_rows
from connectors.values import cell, required

WORKBOOK = okrs.OKR_DIR / "okrs.xlsx"
SHEETS = (
    ("objectives", schemas.OKR_OBJECTIVES, okrs.OBJECTIVE_SPEC),
    ("key_results", schemas.OKR_KEY_RESULTS, okrs.KEY_RESULT_SPEC),
    ("checkins", schemas.OKR_CHECKINS, okrs.CHECKIN_SPEC),
)


def _excel_text(value: Any) -> Any:
    # Excel stores 101 as 101.0 when typed as a number; an id should read "101".
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


def read_okr_sheet(
    path: Path, source: str, sheet: str, table: schemas.RawTable, spec: Any
) -> pa.Table:
    """One sheet as `table`, each column parsed as `spec` says; keys must be unique."""
    where = f"{source}#{sheet}"
    builder = TableBuilder(table)
    seen: dict[tuple[Any, ...], int] = {}
    for line, values in iter_xlsx_rows(path, source, [name for name, _, _ in spec], sheet):
        row: dict[str, Any] = {}
        for name, parse, needed in spec:
            value = cell(parse, _excel_text(values.get(name)), where, line, name)
            row[name] = required(value, where, line, name) if needed else value
        key = tuple(row[k] for k in table.key)
        if key in seen:
            raise SourceFileError(
                where,
                line,
                None,
                f"expected unique {list(table.key)}; row {seen[key]} has the same",
            )
        seen[key] = line
        row["_source"] = where
        builder.add(row)
    return builder.finish()


def read_okr_workbook(sources_dir: Path) -> dict[str, pa.Table] | None:
    """The `okr__*` tables of `okrs/okrs.xlsx`, or None when there is no workbook."""
    path = sources_dir / WORKBOOK
    if not path.is_file():
        return None
    source = relative_name(path, sources_dir)
    return {
        table.name: read_okr_sheet(path, source, sheet, table, spec)
        for sheet, table, spec in SHEETS
    }
