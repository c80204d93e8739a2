"""Finance exports (`finance/gl.csv`, `revenue.csv`, `fx_rates.csv`) into `finance__*`.

Amounts may carry thousands separators (`1,234.50`), accounting negatives
(`(1,234.50)`) and a currency symbol that agrees with the row's currency (`$1,234.50` in
a USD or CAD row), as spreadsheet exports write them; decimal commas (`€1.234,50`) are
refused, because `1,234` would then be ambiguous. Currencies must be ISO 4217 codes:
an unknown one would find no FX rate and drop out of every converted total.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from connectors import schemas
from connectors.arrow_tables import TableBuilder
from connectors.currencies import SYMBOL_CURRENCIES, parse_currency
from connectors.errors import SourceFileError
from connectors.source_files import iter_csv_rows, relative_name
from connectors.values import (
    cell,
    parse_date,
    parse_money,
    parse_month,
    parse_number,
    required,
    text,
)

GL_COLUMNS = ("Date", "Account", "Account Name", "Cost Center", "Amount", "Currency", "Memo")
REVENUE_COLUMNS = ("Period", "SKU", "Customer", "Amount", "Currency")
FX_COLUMNS = ("Month", "Currency", "Rate")


class _Row:
    """Typed access to one CSV row; a bad or missing cell names its line and column.

    `names` maps a column of this module to the export's own name for it (a preset's
    `Department` read as `Cost Center`), so errors name the column the user sees.
    """

    def __init__(
        self,
        row: Mapping[str, str],
        source: str,
        line: int,
        names: Mapping[str, str] | None = None,
    ) -> None:
        self.row, self.source, self.line = row, source, line
        self.names = names or {}

    def get(self, column: str, parse: Callable[[str | None], Any] = text) -> Any:
        name = self.names.get(column, column)
        return cell(parse, self.row.get(name), self.source, self.line, name)

    def need(self, column: str, parse: Callable[[str | None], Any] = text) -> Any:
        name = self.names.get(column, column)
        return required(self.get(column, parse), self.source, self.line, name)

    def amount(self, column: str, currency: str) -> float:
        """A required amount; a currency symbol in it must be one of `currency`'s."""
        number, symbol = self.need(column, parse_money)
        if symbol is not None and currency not in SYMBOL_CURRENCIES[symbol]:
            name = self.names.get(column, column)
            raise SourceFileError(
                self.source,
                self.line,
                name,
                f"the amount is written in {symbol} but the currency is {currency}",
            )
        return number


def read_gl(path: Path, source: str) -> pa.Table:
    """`finance__gl_lines`: one row per posting line, numbered by its line in the file."""
    return read_gl_rows(iter_csv_rows(path, source, GL_COLUMNS), source)


def read_gl_rows(
    rows: Iterable[tuple[int, Mapping[str, str]]],
    source: str,
    parse_posted_on: Callable[[str | None], Any] = parse_date,
    names: Mapping[str, str] | None = None,
) -> pa.Table:
    """`finance__gl_lines` from rows `(line, {column: text})`.

    The rows carry `GL_COLUMNS`, or another tool's columns with `names` mapping each of
    `GL_COLUMNS` to it; presets (`connectors.finance_presets`) also pass their date
    parser, so every export gets the same checks and errors name the file's columns.
    """
    builder = TableBuilder(schemas.FINANCE_GL_LINES)
    for line, values in rows:
        row = _Row(values, source, line, names)
        posted_on = row.need("Date", parse_posted_on)
        currency = row.need("Currency", parse_currency)
        builder.add(
            {
                "line_number": line,
                "posted_on": posted_on,
                "account": row.need("Account"),
                "account_name": row.get("Account Name"),
                "cost_centre": row.get("Cost Center"),
                "amount": row.amount("Amount", currency),
                "currency": currency,
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
        currency = row.need("Currency", parse_currency)
        builder.add(
            {
                "period_month": key[0],
                "sku": key[1],
                "customer": key[2],
                "amount": row.amount("Amount", currency),
                "currency": currency,
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
        key = (row.need("Month", parse_month), row.need("Currency", parse_currency))
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
