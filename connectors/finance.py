"""Finance exports (`finance/gl.csv`, `revenue.csv`, `fx_rates.csv`) into `finance__*`.

Amounts may carry thousands separators (`1,234.50`) or accounting negatives
(`(1,234.50)`), as spreadsheet exports write them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa

from connectors import schemas
from connectors.arrow_tables import TableBuilder
from connectors.errors import SourceFileError
from connectors.source_files import iter_csv_rows, relative_name
from connectors.values import cell, parse_date, parse_month, parse_number, required, text

GL_COLUMNS = ("Date", "Account", "Account Name", "Cost Center", "Amount", "Currency", "Memo")
REVENUE_COLUMNS = ("Period", "SKU", "Customer", "Amount", "Currency")
FX_COLUMNS = ("Month", "Currency", "Rate")


class _Row:
    """Typed access to one CSV row; a bad or missing cell names its line and column."""

    def __init__(self, row: dict[str, str], source: str, line: int) -> None:
        self.row, self.source, self.line = row, source, line

    def get(self, column: str, parse: Callable[[str | None], Any] = text) -> Any:
        return cell(parse, self.row.get(column), self.source, self.line, column)

    def need(self, column: str, parse: Callable[[str | None], Any] = text) -> Any:
        return required(self.get(column, parse), self.source, self.line, column)


def read_gl(path: Path, source: str) -> pa.Table:
    """`finance__gl_lines`: one row per posting line, numbered by its line in the file."""
    builder = TableBuilder(schemas.FINANCE_GL_LINES)
    for line, values in iter_csv_rows(path, source, GL_COLUMNS):
        row = _Row(values, source, line)
        builder.add(
            {
                "line_number": line,
                "posted_on": row.need("Date", parse_date),
                "account": row.need("Account"),
                "account_name": row.get("Account Name"),
                "cost_centre": row.get("Cost Center"),
                "amount": row.need("Amount", parse_number),
                "currency": row.need("Currency"),
                "memo": row.get("Memo"),
                "_source": source,
            }
        )
    return builder.finish()


def read_revenue(path: Path, source: str) -> pa.Table:
    """`finance__revenue`: recognised revenue per month, SKU and customer.

    The three form the key, so a second line for the same month, SKU and customer is an
    error naming both lines rather than a silent overwrite.
    """
    builder = TableBuilder(schemas.FINANCE_REVENUE)
    seen: dict[tuple[Any, ...], int] = {}
    for line, values in iter_csv_rows(path, source, REVENUE_COLUMNS):
        row = _Row(values, source, line)
        key = (row.need("Period", parse_month), row.need("SKU"), row.get("Customer"))
        if key in seen:
            raise SourceFileError(
                source,
                line,
                None,
                f"expected one line per Period, SKU and Customer; "
                f"line {seen[key]} has the same ones",
            )
        seen[key] = line
        builder.add(
            {
                "period_month": key[0],
                "sku": key[1],
                "customer": key[2],
                "amount": row.need("Amount", parse_number),
                "currency": row.need("Currency"),
                "_source": source,
            }
        )
    return builder.finish()


def read_fx_rates(path: Path, source: str) -> pa.Table:
    """`finance__fx_rates`: `amount × rate` is the amount in the reporting currency."""
    builder = TableBuilder(schemas.FINANCE_FX_RATES)
    seen: dict[tuple[Any, ...], int] = {}
    for line, values in iter_csv_rows(path, source, FX_COLUMNS):
        row = _Row(values, source, line)
        key = (row.need("Month", parse_month), row.need("Currency"))
        if key in seen:
            raise SourceFileError(
                source,
                line,
                None,
                f"expected one rate per Month and Currency; line {seen[key]} has the same ones",
            )
        seen[key] = line
        rate = row.need("Rate", parse_number)
        if rate <= 0:
            raise SourceFileError(source, line, "Rate", f"expected a positive rate, got {rate}")
        builder.add({"month": key[0], "currency": key[1], "rate": rate, "_source": source})
    return builder.finish()


_FILES: tuple[tuple[str, schemas.RawTable, Callable[[Path, str], pa.Table]], ...] = (
    ("gl.csv", schemas.FINANCE_GL_LINES, read_gl),
    ("revenue.csv", schemas.FINANCE_REVENUE, read_revenue),
    ("fx_rates.csv", schemas.FINANCE_FX_RATES, read_fx_rates),
)


def read_finance_folder(sources_dir: Path) -> dict[str, pa.Table]:
    """Every `finance__*` table from `<sources_dir>/finance/` (empty for absent files)."""
    tables: dict[str, pa.Table] = {}
    for file_name, table, reader in _FILES:
        path = sources_dir / "finance" / file_name
        if path.is_file():
            tables[table.name] = reader(path, relative_name(path, sources_dir))
        else:
            tables[table.name] = table.schema.empty_table()
    return tables
