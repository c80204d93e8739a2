"""finance/ exports → GL lines, revenue and FX rates, with spreadsheet-style amounts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from connectors import schemas
from connectors.errors import SourceFileError
from connectors.finance import read_finance_folder

GL = """\
Date,Account,Account Name,Cost Center,Amount,Currency,Memo
2025-01-31,6100,Cloud hosting,CC-4100,"12,345.67",USD,AWS January
2025-01-31,6200,Tools,CC-4100,(250.00),USD,"Refund, licence"
2025-02-28,6100,Cloud hosting,,1000,EUR,
"""
REVENUE = """\
Period,SKU,Customer,Amount,Currency
2025-01,PAY-STD,acme_bank,"1,200,000.00",USD
2025-01,PAY-ENT,acme_bank,5000,USD
"""
FX = """\
Month,Currency,Rate
2025-01,USD,1
2025-01,EUR,1.0850
"""


@pytest.fixture
def finance_dir(tmp_path: Path, write_text: Callable[[Path, str], Path]) -> Path:
    write_text(tmp_path / "finance" / "gl.csv", GL)
    write_text(tmp_path / "finance" / "revenue.csv", REVENUE)
    write_text(tmp_path / "finance" / "fx_rates.csv", FX)
    return tmp_path


def test_tables_have_the_contract_schemas(finance_dir: Path) -> None:
    tables = read_finance_folder(finance_dir)
    for table in schemas.FINANCE_TABLES:
        assert tables[table.name].schema == table.schema


def test_gl_lines_keep_their_file_line_and_signed_amounts(finance_dir: Path) -> None:
    lines = read_finance_folder(finance_dir)["finance__gl_lines"].to_pylist()
    assert [r["line_number"] for r in lines] == [2, 3, 4]
    assert lines[0] == {
        "line_number": 2,
        "posted_on": date(2025, 1, 31),
        "account": "6100",
        "account_name": "Cloud hosting",
        "cost_centre": "CC-4100",
        "amount": 12345.67,
        "currency": "USD",
        "memo": "AWS January",
        "_source": "finance/gl.csv",
    }
    assert lines[1]["amount"] == -250.0
    assert lines[1]["memo"] == "Refund, licence"
    assert (lines[2]["cost_centre"], lines[2]["memo"]) == (None, None)


def test_revenue_is_monthly_per_sku_and_customer(finance_dir: Path) -> None:
    revenue = read_finance_folder(finance_dir)["finance__revenue"].to_pylist()
    assert revenue[0] == {
        "period_month": date(2025, 1, 1),
        "sku": "PAY-STD",
        "customer": "acme_bank",
        "amount": 1200000.0,
        "currency": "USD",
        "_source": "finance/revenue.csv",
    }
    assert sum(r["amount"] for r in revenue) == 1205000.0


def test_fx_rates(finance_dir: Path) -> None:
    rates = {
        (r["month"], r["currency"]): r["rate"]
        for r in read_finance_folder(finance_dir)["finance__fx_rates"].to_pylist()
    }
    assert rates == {(date(2025, 1, 1), "USD"): 1.0, (date(2025, 1, 1), "EUR"): 1.085}


def test_a_bad_amount_names_line_and_column(
    tmp_path: Path, write_text: Callable[[Path, str], Path]
) -> None:
    write_text(tmp_path / "finance" / "gl.csv", GL.replace("(250.00)", "2 50"))
    with pytest.raises(SourceFileError) as caught:
        read_finance_folder(tmp_path)
    assert (caught.value.path, caught.value.line, caught.value.column) == (
        "finance/gl.csv",
        3,
        "Amount",
    )


def test_a_revenue_period_that_is_not_a_month_is_refused(
    tmp_path: Path, write_text: Callable[[Path, str], Path]
) -> None:
    write_text(
        tmp_path / "finance" / "revenue.csv", REVENUE.replace("2025-01,PAY-ENT", "Jan-25,PAY-ENT")
    )
    with pytest.raises(SourceFileError, match="line 3, column 'Period': expected a month YYYY-MM"):
        read_finance_folder(tmp_path)


def test_the_same_revenue_key_twice_is_refused(
    tmp_path: Path, write_text: Callable[[Path, str], Path]
) -> None:
    write_text(tmp_path / "finance" / "revenue.csv", REVENUE + "2025-01,PAY-STD,acme_bank,1,USD\n")
    with pytest.raises(SourceFileError, match="line 4.*line 2 has the same"):
        read_finance_folder(tmp_path)


def test_a_row_with_too_many_fields_is_refused(
    tmp_path: Path, write_text: Callable[[Path, str], Path]
) -> None:
    write_text(tmp_path / "finance" / "fx_rates.csv", FX + "2025-02,EUR,1,085\n")
    with pytest.raises(SourceFileError, match="line 4: expected 3 fields like the header, got 4"):
        read_finance_folder(tmp_path)


def test_absent_files_give_empty_tables(tmp_path: Path) -> None:
    tables = read_finance_folder(tmp_path)
    assert {n: t.num_rows for n, t in tables.items()} == {
        "finance__gl_lines": 0,
        "finance__revenue": 0,
        "finance__fx_rates": 0,
    }
