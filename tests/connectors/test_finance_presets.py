"""NetSuite, Xero and QuickBooks ledgers read as `finance__gl_lines`, recognised by their
header; malformed finance and analytics files name file, line and column."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from connectors.analytics_sources import read_analytics_folder
from connectors.errors import SourceFileError
from connectors.finance_presets import read_finance_exports
from connectors.pseudonymise import Pseudonymiser

NETSUITE = """\
Internal ID,Date,Type,Account Number,Account Name,Department,Memo,Amount,Currency
1,3/4/2025,Bill,6100,Cloud Hosting,CC-4100,AWS March,"1,234.50",USD
2,2025-03-31,Journal,6200,Tools,CC-4100,Refund,(200.00),EUR
"""
XERO = """\
Date,Source,Description,Reference,Debit,Credit,Account Code,Account,Tracking Category 1
04 Mar 2025,Spend Money,AWS March,INV-1,"1,234.50",,6100,Cloud Hosting,CC-4100
31/03/2025,Manual Journal,Refund,MJ-2,,200.00,6200,Tools,CC-4100
"""
QUICKBOOKS = """\
Date,Transaction Type,Num,Name,Memo/Description,Account,Class,Amount
03/04/2025,Expense,1001,Amazon Web Services,AWS March,6100 Cloud Hosting,CC-4100,1234.50
03/31/2025,Journal Entry,1002,,Refund,6200 Tools,CC-4100,-200.00
"""


@pytest.fixture
def ledger(tmp_path: Path, write_text: Callable[[Path, str], Path]) -> Callable[[str], Path]:
    def write(content: str) -> Path:
        write_text(tmp_path / "finance" / "gl.csv", content)
        return tmp_path

    return write


def _lines(sources: Path, currency: str | None = "USD") -> list[dict]:
    return read_finance_exports(sources, currency)["finance__gl_lines"].to_pylist()


def test_netsuite_saved_search(ledger: Callable[[str], Path]) -> None:
    first, second = _lines(ledger(NETSUITE))
    assert (first["posted_on"], first["account"], first["account_name"]) == (
        date(2025, 3, 4),
        "6100",
        "Cloud Hosting",
    )
    assert (first["cost_centre"], first["amount"], first["currency"]) == ("CC-4100", 1234.5, "USD")
    assert (second["amount"], second["currency"], second["memo"]) == (-200.0, "EUR", "Refund")
    assert [first["line_number"], second["line_number"]] == [2, 3]


def test_xero_debits_minus_credits_in_the_reporting_currency(
    ledger: Callable[[str], Path],
) -> None:
    first, second = _lines(ledger(XERO), "GBP")
    assert (first["posted_on"], second["posted_on"]) == (date(2025, 3, 4), date(2025, 3, 31))
    assert (first["account"], first["account_name"], first["cost_centre"]) == (
        "6100",
        "Cloud Hosting",
        "CC-4100",
    )
    assert (first["amount"], second["amount"]) == (1234.5, -200.0)
    assert {first["currency"], second["currency"]} == {"GBP"}
    assert first["memo"] == "AWS March"


def test_quickbooks_transaction_list(ledger: Callable[[str], Path]) -> None:
    first, second = _lines(ledger(QUICKBOOKS))
    assert (first["posted_on"], second["posted_on"]) == (date(2025, 3, 4), date(2025, 3, 31))
    assert (first["account"], first["cost_centre"], first["memo"]) == (
        "6100 Cloud Hosting",
        "CC-4100",
        "AWS March",
    )
    assert (first["amount"], second["amount"], first["currency"]) == (1234.5, -200.0, "USD")


def test_the_demo_ledger_reads_as_before() -> None:
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    lines = read_finance_exports(seeds, "USD")["finance__gl_lines"]
    with (seeds / "finance" / "gl.csv").open(encoding="utf-8") as handle:
        assert lines.num_rows == sum(1 for _ in handle) - 1


@pytest.mark.parametrize(
    ("content", "line", "column", "says"),
    [
        (NETSUITE.replace(",", ";"), 1, "Date", "comma-separated"),
        (NETSUITE.replace(",Currency", ",Curr"), 1, "Currency", "netsuite"),
        (NETSUITE.replace('"1,234.50"', '"1.234,50"'), 2, "Amount", "number"),
        (NETSUITE.replace("(200.00),EUR", "(200.00),EURO"), 3, "Currency", "ISO 4217"),
        (XERO.replace("200.00", "n/a"), 3, "Credit", "number"),
        (QUICKBOOKS.replace("03/31/2025", "31/03/2025"), 3, "Date", "date"),
    ],
)
def test_a_malformed_ledger_names_file_line_and_column(
    ledger: Callable[[str], Path], content: str, line: int, column: str, says: str
) -> None:
    with pytest.raises(SourceFileError) as caught:
        read_finance_exports(ledger(content), "USD")
    error = caught.value
    assert (error.path, error.line, error.column) == ("finance/gl.csv", line, column)
    assert says in str(error)


def test_an_unknown_revenue_currency_names_its_line(
    tmp_path: Path, write_text: Callable[[Path, str], Path]
) -> None:
    write_text(
        tmp_path / "finance" / "revenue.csv",
        "Period,SKU,Customer,Amount,Currency\n2025-03,PAY-STD,acme,100,USD\n2025-03,PAY-ENT,acme,5,$\n",
    )
    with pytest.raises(SourceFileError) as caught:
        read_finance_exports(tmp_path, "USD")
    assert (caught.value.path, caught.value.line, caught.value.column) == (
        "finance/revenue.csv",
        3,
        "Currency",
    )


def test_a_truncated_gzip_export_names_the_file_and_the_line_it_stopped_at(
    tmp_path: Path, pseudonymise: Pseudonymiser
) -> None:
    lines = "".join(
        json.dumps(
            {
                "$insert_id": f"e{i}",
                "event_type": "Instant Payout Sent",
                "event_time": "2025-03-04 10:11:12.000000",
                "user_id": f"u{i % 7}",
                "event_properties": {"n": i, "pad": "x" * 40},
            }
        )
        + "\n"
        for i in range(5000)
    )
    data = gzip.compress(lines.encode())
    path = tmp_path / "analytics" / "amplitude" / "2025-03.json.gz"
    path.parent.mkdir(parents=True)
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceFileError) as caught:
        read_analytics_folder(tmp_path, pseudonymise)
    error = caught.value
    assert error.path == "analytics/amplitude/2025-03.json.gz"
    assert error.line is not None and 1 < error.line <= 5000
    assert "readable" in str(error) or "JSON" in str(error)
