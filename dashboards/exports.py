"""CSV and XLSX files of the tables the pages show, safe to open in a spreadsheet.

A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula
to Excel, LibreOffice and Google Sheets (`=HYPERLINK("http://evil","click")` in a
product or objective name would run for whoever opens the export). Such cells get a
leading `'`, the spreadsheet convention for "this is text"; real numbers stay numbers.
The rows are limited to the viewer's portfolios once more here, so a director's
export cannot hold another portfolio even if a table upstream were built wrongly.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import pandas as pd
from openpyxl import Workbook

from dashboards.viewers import Viewer

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """`value` with a leading `'` when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells (and column names) cannot start a formula."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise_cell)
    out.columns = [str(neutralise_cell(str(column))) for column in out.columns]
    return out


def scoped(
    frame: pd.DataFrame, viewer: Viewer, product_ids: Iterable[str], product_names: Iterable[str]
) -> pd.DataFrame:
    """The rows of `frame` a limited viewer may see, judged by whichever of `portfolio_id`,
    `product_id` or `product_name` it has; full access keeps every row."""
    allowed = viewer.portfolios
    if allowed is None:
        return frame
    keep = pd.Series(True, index=frame.index)
    if "portfolio_id" in frame.columns:
        keep &= frame["portfolio_id"].isin(allowed)
    if "product_id" in frame.columns:
        keep &= frame["product_id"].isin(set(product_ids))
    if "product_name" in frame.columns:
        keep &= frame["product_name"].isin(set(product_names))
    return frame[keep]


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with a byte-order mark, so Excel reads it as UTF-8), formulas neutralised."""
    return neutralise(frame).to_csv(index=False).encode("utf-8-sig")


def _excel_value(value: object) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        # Excel has no time zones: write the wall-clock time.
        return value.tz_localize(None).to_pydatetime() if value.tzinfo else value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalars: openpyxl wants plain Python numbers
        return value.item()
    return value


def to_xlsx(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """One-sheet XLSX: numbers as numbers, text always stored as text, formulas neutralised."""
    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    safe = neutralise(frame)
    ws.append(list(safe.columns))
    for row in safe.itertuples(index=False):
        ws.append([_excel_value(value) for value in row])
    for cells in ws.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                # openpyxl stores any string starting with "=" as a formula; force text.
                cell.data_type = "s"
                if cell.value.startswith("'"):
                    cell.quotePrefix = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
