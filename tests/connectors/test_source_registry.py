"""SOURCES: every raw table of connectors/README.md, in landing order, and readers that
return exactly their source's tables."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from connector_samples import MINIMAL_CATALOG, PROJECT_ROOT

from connectors.errors import SourceFileError
from connectors.pseudonymise import Pseudonymiser
from connectors.registry import ReadContext
from connectors.sources import SOURCES

_README_TYPES = {
    "text": pa.string(),
    "double": pa.float64(),
    "int": pa.int64(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
}


def _contract() -> dict[str, tuple[list[tuple[str, pa.DataType]], tuple[str, ...]]]:
    """Table → ([(column, type)], key) as the table in connectors/README.md states them."""
    readme = (PROJECT_ROOT / "connectors" / "README.md").read_text()
    section = readme.split("## Raw tables", 1)[1].split("\n## ", 1)[0]
    tables = {}
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith("| table"):
            continue
        name, columns, key = (cell.strip() for cell in line.strip().strip("|").split("|"))
        pending: list[str] = []
        typed: list[tuple[str, pa.DataType]] = []
        # "a, b (text); c (double)": a type in brackets applies to the names before it.
        for token in re.findall(r"\([^)]*\)|[A-Za-z_]+", columns.split(" — ")[0]):
            if token.startswith("("):
                word = re.match(r"\(\s*([a-z]+)", token)
                if word and word.group(1) in _README_TYPES:
                    typed += [(n, _README_TYPES[word.group(1)]) for n in pending]
                    pending = []
            elif token not in pending and token not in dict(typed):
                pending.append(token)
        assert pending == [], f"{name}: no type for {pending}"
        tables[name] = (typed, tuple(k.strip() for k in key.split(",")))
    return tables


def test_sources_land_in_the_contract_order() -> None:
    assert [s.name for s in SOURCES] == [
        "catalog",
        "jira",
        "hr",
        "finance",
        "analytics",
        "roadmap",
        "okrs",
    ]


def test_every_raw_table_of_the_contract_is_registered_as_written() -> None:
    contract = _contract()
    registered = {t.name: t for s in SOURCES for t in s.tables}
    assert sorted(registered) == sorted(contract)
    for name, (columns, key) in contract.items():
        table = registered[name]
        assert [(f.name, f.type) for f in table.schema] == [*columns, ("_source", pa.string())], (
            name
        )
        assert table.key == key, name


@pytest.fixture
def full_sources(
    tmp_path: Path, write_text: Callable[[Path, str], Path], write_json: Callable[[Path, Any], Path]
) -> Path:
    """One small file of every kind, laid out as seeds/README.md says."""
    write_text(tmp_path / "catalog.yml", MINIMAL_CATALOG)
    write_json(
        tmp_path / "jira" / "issues" / "page_0001.json",
        {
            "startAt": 0,
            "total": 1,
            "issues": [
                {"id": "1", "key": "PAY-1", "fields": {"created": "2025-01-01T00:00:00.000+0000"}}
            ],
        },
    )
    write_text(
        tmp_path / "hr" / "headcount.csv",
        "Employee #,Work Email,Department,Division,Team,Job Title,Location,Reports To,"
        "Hire Date,Termination Date,FTE,Pay Rate,Pay Per,Pay Rate Effective Date\n"
        "1,a@b.c,Eng,Platform,Core,Engineer,Berlin,,2024-01-01,,1,90000 EUR,Year,2024-01-01\n",
    )
    write_text(tmp_path / "finance" / "fx_rates.csv", "Month,Currency,Rate\n2025-01,EUR,1.1\n")
    write_text(
        tmp_path / "analytics" / "amplitude" / "a.json.gz",
        '{"$insert_id": "e", "event_time": "2025-01-01 00:00:00.000000"}\n',
    )
    write_json(tmp_path / "roadmap" / "aha" / "ideas_page_0001.json", {"ideas": [{"id": "1"}]})
    write_text(
        tmp_path / "okrs" / "checkins.csv",
        "key_result_id,checkin_date,value,confidence,note\nKR-1,2025-01-10,1,0.5,\n",
    )
    return tmp_path


def test_each_source_returns_exactly_its_tables(
    full_sources: Path, pseudonymise: Pseudonymiser
) -> None:
    context = ReadContext(sources_dir=full_sources, pseudonymise=pseudonymise)
    rows = {}
    for source in SOURCES:
        tables = source.read(context)
        assert list(tables) == [t.name for t in source.tables], source.name
        for table in source.tables:
            assert tables[table.name].schema == table.schema, table.name
            rows[table.name] = tables[table.name].num_rows
    expected_one = (
        "jira__issues",
        "hr__employees",
        "hr__compensation",
        "finance__fx_rates",
        "analytics__events",
        "roadmap__ideas",
        "okr__checkins",
    )
    assert all(rows[name] == 1 for name in expected_one)
    assert rows["finance__gl_lines"] == rows["okr__objectives"] == rows["jira__changelog"] == 0


def test_only_the_catalog_is_required(tmp_path: Path, pseudonymise: Pseudonymiser) -> None:
    context = ReadContext(sources_dir=tmp_path, pseudonymise=pseudonymise)
    catalog, *tools = SOURCES
    with pytest.raises(SourceFileError, match="catalog.yml"):
        catalog.read(context)
    for source in tools:
        assert all(t.num_rows == 0 for t in source.read(context).values()), source.name


def test_a_catalog_kept_outside_the_exports_folder_is_read_from_there(tmp_path):
    from connectors.sources import source

    exports = tmp_path / "exports"
    exports.mkdir()
    elsewhere = tmp_path / "config" / "my-catalog.yml"
    elsewhere.parent.mkdir()
    elsewhere.write_text(
        "reporting_currency: USD\n"
        "portfolios:\n"
        "  - id: core\n    name: Core\n    director: VP Core\n    products:\n"
        "      - id: ledger\n        name: Ledger\n        pm: PM Ledger\n"
    )
    context = ReadContext(
        sources_dir=exports, pseudonymise=lambda value: value, catalog_path=elsewhere
    )
    products = source("catalog").read(context)["catalog__products"]
    assert products.column("product_id").to_pylist() == ["ledger"]
