"""Generic roadmap exports: the canonical CSV, ProdPad and Jira Product Discovery presets,
an XLSX workbook, a team's own column mapping, and input errors that name the place."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from connector_samples import MINIMAL_CATALOG

from connectors.errors import SourceFileError
from connectors.registry import ReadContext
from connectors.roadmap_csv import read_roadmap_exports
from connectors.sources import source

MAPS = {
    "growth_team": {"Now": "accepted", "Later": "in_progress", "Won't do": "declined"},
    "prodpad": {"In discovery": "in_progress", "Done": "delivered"},
    "jira_product_discovery": {"Parking lot": "new", "Delivering": "accepted"},
}
Writer = Callable[[Path, str], Path]


def _by_id(table) -> dict[str, dict]:
    return {row["item_id"]: row for row in table.to_pylist()}


def test_a_spreadsheet_with_the_canonical_headers_needs_no_mapping(
    tmp_path: Path, write_text: Writer
) -> None:
    write_text(
        tmp_path / "roadmap" / "exports" / "growth_team.csv",
        "item_id,item_type,name,product,status,release_name,release_date,created_at\n"
        "G-1,feature,Referral bonus,LOY,Now,2026 Q2,2026-06-30,2026-01-05T09:00:00Z\n"
        "G-2,idea,Dark mode,LOY,Later,,,2026-01-06T09:00:00+0100\n"
        "G-3,idea,Fax export,LOY,Won't do,,,\n",
    )
    rows = _by_id(read_roadmap_exports(tmp_path, MAPS))
    assert sorted(rows) == ["G-1", "G-2", "G-3"]
    assert rows["G-1"]["tool"] == "growth_team"
    assert (rows["G-1"]["release_name"], rows["G-1"]["release_date"]) == (
        "2026 Q2",
        date(2026, 6, 30),
    )
    assert rows["G-2"]["created_at"] == datetime(2026, 1, 6, 8, 0)  # +0100 converted to UTC
    assert rows["G-3"]["status"] == "Won't do"
    assert rows["G-1"]["_source"] == "roadmap/exports/growth_team.csv"


def test_the_prodpad_preset(tmp_path: Path, write_text: Writer) -> None:
    folder = tmp_path / "roadmap" / "exports"
    write_text(folder / "payments_prodpad.yml", "preset: prodpad\nproduct: PAY\n")
    write_text(
        folder / "payments_prodpad.csv",
        "ID,Title,Status,Product,URL,Created,Updated\n"
        "101,Instant refunds,In discovery,,https://app.prodpad.com/ideas/101,2026-02-01 10:00:00,\n"
        "102,Payout API v2,Done,CARD,https://app.prodpad.com/ideas/102,2026-02-02 10:00:00,2026-03-01 10:00:00\n",
    )
    rows = _by_id(read_roadmap_exports(tmp_path, MAPS))
    assert {r["tool"] for r in rows.values()} == {"prodpad"}
    assert {r["item_type"] for r in rows.values()} == {"idea"}
    assert (rows["101"]["name"], rows["101"]["product_ref"]) == ("Instant refunds", "PAY")
    assert rows["102"]["product_ref"] == "CARD"  # a value in the file wins over the default
    assert rows["102"]["updated_at"] == datetime(2026, 3, 1, 10, 0)


def test_the_jira_product_discovery_preset_from_xlsx(tmp_path: Path, write_text: Writer) -> None:
    folder = tmp_path / "roadmap" / "exports"
    folder.mkdir(parents=True)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(
        ["Issue id", "Issue key", "Summary", "Issue Type", "Status", "Project key", "Created"]
    )
    sheet.append(
        [10001, "DISC-1", "Smart retries", "Idea", "Parking lot", "DISC", "18/Jun/25 11:02 AM"]
    )
    sheet.append(
        [10002, "DISC-2", "Tap to pay", "Idea", "Delivering", "DISC", datetime(2025, 7, 1, 9, 30)]
    )
    workbook.save(folder / "discovery.xlsx")
    write_text(folder / "discovery.yml", "preset: jira_product_discovery\n")
    rows = _by_id(read_roadmap_exports(tmp_path, MAPS))
    assert sorted(rows) == ["10001", "10002"]
    assert (rows["10001"]["reference"], rows["10001"]["item_type"]) == ("DISC-1", "idea")
    assert rows["10001"]["created_at"] == datetime(2025, 6, 18, 11, 2)
    assert rows["10002"]["created_at"] == datetime(2025, 7, 1, 9, 30)
    assert rows["10002"]["status"] == "Delivering"


def test_a_teams_own_columns_and_date_format(tmp_path: Path, write_text: Writer) -> None:
    folder = tmp_path / "roadmap" / "exports"
    write_text(
        folder / "berlin.yml",
        "tool: growth_team\nitem_type: feature\n"
        "columns: {item_id: Key, name: Thema, status: Stand, release_date: Ziel}\n"
        "date_format: '%d.%m.%Y'\n",
    )
    write_text(folder / "berlin.csv", "Key,Thema,Stand,Ziel\nB-7,Sammelrechnung,Now,31.03.2026\n")
    row = _by_id(read_roadmap_exports(tmp_path, MAPS))["B-7"]
    assert (row["tool"], row["item_type"], row["name"]) == (
        "growth_team",
        "feature",
        "Sammelrechnung",
    )
    assert row["release_date"] == date(2026, 3, 31)


def test_a_date_in_the_wrong_format_names_file_line_and_column(
    tmp_path: Path, write_text: Writer
) -> None:
    write_text(
        tmp_path / "roadmap" / "exports" / "growth_team.csv",
        "item_id,name,item_type,status,release_date\n"
        "G-1,Referral bonus,feature,Now,2026-06-30\n"
        "G-2,Dark mode,feature,Later,30/06/2026\n",
    )
    with pytest.raises(SourceFileError) as failure:
        read_roadmap_exports(tmp_path, MAPS)
    assert str(failure.value).startswith(
        "roadmap/exports/growth_team.csv, line 3, column 'release_date': expected a date YYYY-MM-DD"
    )


def test_an_unknown_status_names_file_line_column_and_item(
    tmp_path: Path, write_text: Writer
) -> None:
    write_text(
        tmp_path / "roadmap" / "exports" / "growth_team.csv",
        "item_id,name,item_type,status\nG-1,Referral bonus,feature,Now\nG-2,Dark mode,idea,Maybe\n",
    )
    with pytest.raises(SourceFileError) as failure:
        read_roadmap_exports(tmp_path, MAPS)
    message = str(failure.value)
    assert message.startswith("roadmap/exports/growth_team.csv, line 3, column 'status'")
    assert "'Maybe'" in message and "item 'G-2'" in message


def test_the_roadmap_source_lands_exports_with_the_catalogs_status_map(
    tmp_path: Path, write_text: Writer, pseudonymise
) -> None:
    write_text(
        tmp_path / "catalog.yml",
        MINIMAL_CATALOG.replace(
            "  aha: {Accepted: accepted, Declined: declined, Shipped: delivered}\n",
            "  aha: {Accepted: accepted, Declined: declined, Shipped: delivered}\n"
            "  prodpad: {In discovery: in_progress}\n",
        ),
    )
    write_text(tmp_path / "roadmap" / "exports" / "pp.yml", "preset: prodpad\n")
    write_text(
        tmp_path / "roadmap" / "exports" / "pp.csv", "ID,Title,Status\n1,Idea one,In discovery\n"
    )
    tables = source("roadmap").read(ReadContext(sources_dir=tmp_path, pseudonymise=pseudonymise))
    assert tables["roadmap__items"].to_pylist()[0]["status"] == "In discovery"
    assert tables["roadmap__ideas"].num_rows == 0
