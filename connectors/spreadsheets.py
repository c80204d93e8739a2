"""Reading the rows of an XLSX sheet the way `iter_csv_rows` reads a CSV.

The header is row 1; each following non-empty row is yielded with its Excel row number,
so errors name the same line a user sees in the spreadsheet. Cells keep their Excel
types (numbers, datetimes); the value parsers accept those as well as text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from connectors.errors import SourceFileError


def iter_xlsx_rows(
    path: Path, source: str, required_columns: Sequence[str], sheet: str | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, {header: cell value}) for each data row of `sheet` (None: the first)."""
    import openpyxl  # imported here: only XLSX exports need it

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise SourceFileError(
                source, None, None, f"expected a sheet {sheet!r}; found {workbook.sheetnames}"
            )
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        rows = worksheet.iter_rows(values_only=True)
        header_cells = next(rows, None)
        where = f"{source}#{worksheet.title}"
        if header_cells is None:
            raise SourceFileError(where, 1, None, "expected a header row, the sheet is empty")
        header = [str(cell).strip() if cell is not None else "" for cell in header_cells]
        for name in required_columns:
            if name not in header:
                raise SourceFileError(
                    where, 1, name, f"expected this column in the header {header}"
                )
        for number, cells in enumerate(rows, start=2):
            if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
                continue
            yield (
                number,
                {
                    name: cells[index] if index < len(cells) else None
                    for index, name in enumerate(header)
                    if name
                },
            )
    finally:
        workbook.close()
