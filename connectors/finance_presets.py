"""General-ledger exports of NetSuite, Xero and QuickBooks, recognised by their header.

`finance/gl.csv` may be any of these; the header says which tool wrote it (the most
specific preset whose columns are all there wins) and its columns are read as
`finance__gl_lines`:

| preset | date | account | account name | cost centre | amount | currency | memo |
|---|---|---|---|---|---|---|---|
| `xero` (Account Transactions / General Ledger Detail) | `Date` (`04 Mar 2025`, `04/03/2025`) | `Account Code` | `Account` | `Tracking Category 1`, `Cost Centre` or `Department` | `Debit` − `Credit` | `Currency` | `Description` |
| `quickbooks` (Transaction List by Date) | `Date` (`03/04/2025`, US order) | `Account` | — | `Class`, `Location` or `Department` | `Amount` | `Currency` | `Memo/Description` |
| `netsuite` (GL saved search; also productops' own shape) | `Date` (ISO or `3/4/2025`) | `Account Number` or `Account` | `Account Name` | `Cost Center`, `Department` or `Class` | `Amount` | `Currency` | `Memo` |

ISO dates (`2025-03-04`) are read by every preset. An export without a currency column
(a single-currency Xero or QuickBooks company) is in the catalog's reporting currency.
QuickBooks Online puts report titles above the header unless "Company name" and
"Report period" are unticked under Customize → Header/footer: untick them before export.
Which product a cost centre or account belongs to is the catalog's business, as for
every other source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa

from connectors import schemas
from connectors.csv_headers import read_header
from connectors.errors import SourceFileError
from connectors.finance import GL_COLUMNS, read_fx_rates, read_gl_rows, read_revenue
from connectors.source_files import iter_csv_rows, relative_name
from connectors.values import cell, parse_date, parse_number, text

AMOUNT = "Amount"
CURRENCY = "Currency"


@dataclass(frozen=True)
class GlPreset:
    """How one tool names the general-ledger columns (`GL_COLUMNS` → candidate names).

    The first candidate present in the header is read. `debit_credit` names the two
    columns whose difference is the amount, for tools without a signed amount.
    """

    name: str
    columns: Mapping[str, tuple[str, ...]]
    required: tuple[str, ...]
    date_formats: tuple[str, ...] = ()
    debit_credit: tuple[str, str] | None = None

    def resolve(self, header: list[str]) -> tuple[dict[str, str], list[str]]:
        """(GL column → header column, the required GL columns the header lacks)."""
        found: dict[str, str] = {}
        for column, candidates in self.columns.items():
            present = next((c for c in candidates if c in header), None)
            if present is not None:
                found[column] = present
        if self.debit_credit is not None:
            debit, credit = self.debit_credit
            if debit in header and credit in header:
                found[AMOUNT] = AMOUNT
        missing = [c for c in self.required if c not in found]
        return found, missing


XERO = GlPreset(
    "xero",
    {
        "Date": ("Date",),
        "Account": ("Account Code",),
        "Account Name": ("Account",),
        "Cost Center": ("Tracking Category 1", "Cost Centre", "Department"),
        CURRENCY: ("Currency",),
        "Memo": ("Description",),
    },
    required=("Date", "Account", AMOUNT),
    date_formats=("%d %b %Y", "%d/%m/%Y"),
    debit_credit=("Debit", "Credit"),
)
QUICKBOOKS = GlPreset(
    "quickbooks",
    {
        "Date": ("Date",),
        "Account": ("Account",),
        "Cost Center": ("Class", "Location", "Department"),
        AMOUNT: ("Amount",),
        CURRENCY: ("Currency",),
        "Memo": ("Memo/Description",),
        "Transaction Type": ("Transaction Type",),
    },
    # `Transaction Type` and `Memo/Description` are how a QuickBooks export is recognised.
    required=("Date", "Account", AMOUNT, "Transaction Type", "Memo"),
    date_formats=("%m/%d/%Y",),
)
NETSUITE = GlPreset(
    "netsuite",
    {
        "Date": ("Date",),
        "Account": ("Account Number", "Account"),
        "Account Name": ("Account Name",),
        "Cost Center": ("Cost Center", "Department", "Class"),
        AMOUNT: ("Amount",),
        CURRENCY: ("Currency",),
        "Memo": ("Memo",),
    },
    required=("Date", "Account", AMOUNT, CURRENCY),
    date_formats=("%m/%d/%Y",),
)
# Most specific first: NetSuite's columns are a subset of what the others could carry.
GL_PRESETS: tuple[GlPreset, ...] = (XERO, QUICKBOOKS, NETSUITE)


def date_parser(formats: tuple[str, ...]) -> Callable[[str | None], date | None]:
    """A parser of ISO dates and of `formats` (strptime), naming them when none fits."""

    def parse(value: str | None) -> date | None:
        cleaned = text(value)
        if cleaned is None:
            return None
        try:
            return parse_date(cleaned)
        except ValueError:
            pass
        for fmt in formats:
            try:
                return datetime.strptime(cleaned, fmt).date()
            except ValueError:
                continue
        shown = ", ".join(["YYYY-MM-DD", *formats])
        raise ValueError(f"expected a date ({shown}), got {cleaned!r}")

    return parse


def detect_gl_preset(header: list[str], source: str) -> tuple[GlPreset, dict[str, str]]:
    """The preset whose columns the header has, or an error naming what is missing.

    When no preset fits, the error names the first missing column of the closest one, so
    a file with a renamed or dropped column says which column to add back.
    """
    closest: tuple[int, GlPreset, list[str]] | None = None
    for preset in GL_PRESETS:
        found, missing = preset.resolve(header)
        if not missing:
            return preset, found
        if closest is None or len(missing) < closest[0]:
            closest = (len(missing), preset, missing)
    assert closest is not None
    _, preset, missing = closest
    wanted = missing[0]
    if len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
        raise SourceFileError(
            source, 1, wanted, f"expected comma-separated columns, got the header {header[0]!r}"
        )
    if wanted == AMOUNT and preset.debit_credit is not None:
        names = " and ".join(preset.debit_credit)
    else:
        names = " or ".join(repr(c) for c in preset.columns[wanted])
    raise SourceFileError(
        source,
        1,
        wanted,
        f"expected a {preset.name} general-ledger header with {names}; the header is {header}",
    )


def _preset_rows(
    path: Path,
    source: str,
    preset: GlPreset,
    found: dict[str, str],
    reporting_currency: str | None,
) -> Iterator[tuple[int, dict[str, str]]]:
    columns = [name for column, name in found.items() if column != AMOUNT]
    columns += list(preset.debit_credit or (found[AMOUNT],))
    for line, row in iter_csv_rows(path, source, columns):
        if preset.debit_credit is not None:
            debit_name, credit_name = preset.debit_credit
            debit = cell(parse_number, row.get(debit_name), source, line, debit_name) or 0.0
            credit = cell(parse_number, row.get(credit_name), source, line, credit_name) or 0.0
            row[AMOUNT] = repr(debit - credit)
        if CURRENCY not in found:
            if reporting_currency is None:
                raise SourceFileError(
                    source, 1, CURRENCY, "expected a Currency column (no reporting currency)"
                )
            row[CURRENCY] = reporting_currency
        yield line, row


def read_gl_file(path: Path, source: str, reporting_currency: str | None = None) -> pa.Table:
    """`finance__gl_lines` from a NetSuite, Xero or QuickBooks general-ledger CSV."""
    preset, found = detect_gl_preset(read_header(path, source), source)
    names = {column: found.get(column, column) for column in GL_COLUMNS}
    if CURRENCY not in found:
        names[CURRENCY] = CURRENCY
    return read_gl_rows(
        _preset_rows(path, source, preset, found, reporting_currency),
        source,
        parse_posted_on=date_parser(preset.date_formats),
        names=names,
    )


def read_finance_exports(
    sources_dir: Path, reporting_currency: str | None = None
) -> dict[str, pa.Table]:
    """Every `finance__*` table from `<sources_dir>/finance/` (empty for absent files)."""
    folder = sources_dir / "finance"
    readers: tuple[tuple[str, schemas.RawTable, Callable[[Path, str], pa.Table]], ...] = (
        ("gl.csv", schemas.FINANCE_GL_LINES, lambda p, s: read_gl_file(p, s, reporting_currency)),
        ("revenue.csv", schemas.FINANCE_REVENUE, read_revenue),
        ("fx_rates.csv", schemas.FINANCE_FX_RATES, read_fx_rates),
    )
    tables: dict[str, pa.Table] = {}
    for file_name, table, reader in readers:
        path = folder / file_name
        if path.is_file():
            tables[table.name] = reader(path, relative_name(path, sources_dir))
        else:
            tables[table.name] = table.schema.empty_table()
    return tables
