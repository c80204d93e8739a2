"""Jira's CSV export as a file source: repeated headers, export dates, people, parents.

The header follows Jira Cloud's "Export Excel CSV (all fields)": multi-valued fields
repeat their column (`Labels` ×5, `Sprint` ×3, `Component/s` ×2), dates come in the
user's format, people as account ids next to display names.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from connectors.errors import SourceFileError
from connectors.jira.csv_export import export_files, parse_export_time, read_csv_exports
from connectors.jira.reader import read_jira_files
from connectors.pseudonymise import Pseudonymiser
from connectors.registry import ReadContext

HEADER = (
    "Summary,Issue key,Issue id,Parent,Parent summary,Issue Type,Status,Status Category,"
    "Project key,Project name,Priority,Assignee,Assignee Id,Reporter,Reporter Id,Created,"
    "Updated,Resolved,Labels,Labels,Labels,Labels,Labels,Sprint,Sprint,Sprint,"
    "Component/s,Component/s,Custom field (Story Points),Custom field (Epic Link),Description"
)
ROWS = [
    # An epic, done, with a localised status name.
    (
        "Checkout revamp,PAY-1,10001,,,Epic,已完成,Done,PAY,Payments,Medium,Ada Example,"
        "acc-ada,Bo Example,acc-bo,12/Jun/20 8:13 AM,18/Jun/20 11:02 AM,18/Jun/20 11:02 AM,"
        "roadmap,,,,,,,,Backend,,,,"
    ),
    # A story under the epic by parent id, in three sprints, labels spread over the columns.
    (
        "Pay with wallet,PAY-2,10002,10001,Checkout revamp,Story,In Progress,In Progress,PAY,"
        "Payments,High,Bo Example,acc-bo,Ada Example,acc-ada,13/Jun/20 9:00 AM,30/Jul/20 23:33,,"
        "frontEnd,,Saas,,customer-commitment,PAY Sprint 1,PAY Sprint 2,PAY Sprint 3,Frontend,"
        'Backend,5,,"Rich ""quoted"" text, with a comma"'
    ),
    # A bug linked to the epic by Epic Link, unassigned, points written as a float.
    (
        "Rounding error,PAY-3,10003,,,Bug,To Do,To Do,PAY,Payments,Low,,,Ada Example,acc-ada,"
        "14/Jun/20 10:00 AM,14/Jun/20 10:00 AM,,,,,,,,,,,,3.0,PAY-1,"
    ),
]


@pytest.fixture
def export(tmp_path: Path, write_text: Callable[[Path, str], Path]) -> Path:
    write_text(tmp_path / "jira" / "export.csv", "\n".join([HEADER, *ROWS]) + "\n")
    return tmp_path


def _issues(sources: Path, pseudonymise: Pseudonymiser) -> dict[str, dict]:
    table = read_csv_exports(export_files(sources), sources, pseudonymise)
    return {r["issue_key"]: r for r in table.to_pylist()}


def test_every_row_is_one_issue(export: Path, pseudonymise: Pseudonymiser) -> None:
    issues = _issues(export, pseudonymise)
    assert sorted(issues) == ["PAY-1", "PAY-2", "PAY-3"]
    assert issues["PAY-2"]["_source"] == "jira/export.csv"


def test_repeated_label_and_component_columns_are_joined(
    export: Path, pseudonymise: Pseudonymiser
) -> None:
    story = _issues(export, pseudonymise)["PAY-2"]
    assert story["labels"] == "frontEnd,Saas,customer-commitment"
    assert story["components"] == "Frontend,Backend"


def test_export_dates_become_timestamps(export: Path, pseudonymise: Pseudonymiser) -> None:
    issues = _issues(export, pseudonymise)
    assert issues["PAY-1"]["updated_at"] == datetime(2020, 6, 18, 11, 2)
    assert issues["PAY-1"]["resolved_at"] == datetime(2020, 6, 18, 11, 2)
    assert issues["PAY-2"]["updated_at"] == datetime(2020, 7, 30, 23, 33)
    assert issues["PAY-2"]["resolved_at"] is None
    assert parse_export_time("2020-06-18T11:02:53.000+0800") == datetime(2020, 6, 18, 3, 2, 53)


def test_status_category_comes_from_its_column_not_the_status_name(
    export: Path, pseudonymise: Pseudonymiser
) -> None:
    issues = _issues(export, pseudonymise)
    assert (issues["PAY-1"]["status"], issues["PAY-1"]["status_category"]) == ("已完成", "done")
    assert issues["PAY-2"]["status_category"] == "indeterminate"
    assert issues["PAY-3"]["status_category"] == "new"


def test_story_points_parents_and_epics(export: Path, pseudonymise: Pseudonymiser) -> None:
    issues = _issues(export, pseudonymise)
    assert (issues["PAY-2"]["story_points"], issues["PAY-3"]["story_points"]) == (5.0, 3.0)
    assert issues["PAY-1"]["story_points"] is None
    # Parent by id, resolved to its key; an Epic parent is the epic too.
    assert (issues["PAY-2"]["parent_key"], issues["PAY-2"]["epic_key"]) == ("PAY-1", "PAY-1")
    assert (issues["PAY-3"]["parent_key"], issues["PAY-3"]["epic_key"]) == (None, "PAY-1")


def test_people_are_pseudonymised_by_account_id(export: Path, pseudonymise: Pseudonymiser) -> None:
    issues = _issues(export, pseudonymise)
    assert issues["PAY-1"]["assignee_key"] == pseudonymise("jira:acc-ada")
    assert issues["PAY-3"]["assignee_key"] is None
    values = [v for row in issues.values() for v in row.values() if isinstance(v, str)]
    assert not any("Example" in v for v in values)


def test_an_issue_in_two_exports_is_kept_once_from_the_later_update(
    export: Path, pseudonymise: Pseudonymiser, write_text: Callable[[Path, str], Path]
) -> None:
    newer = (
        ROWS[2]
        .replace("To Do,To Do", "Done,Done")
        .replace("14/Jun/20 10:00 AM,14/Jun/20 10:00 AM,", "14/Jun/20 10:00 AM,20/Jun/20 10:00 AM,")
    )
    write_text(export / "jira" / "export_2.csv.gz", f"{HEADER}\n{newer}\n")
    issues = _issues(export, pseudonymise)
    assert len(issues) == 3
    assert issues["PAY-3"]["status_category"] == "done"
    assert issues["PAY-3"]["_source"] == "jira/export_2.csv.gz"


def test_a_bad_date_names_the_file_line_and_column(
    tmp_path: Path, pseudonymise: Pseudonymiser, write_text: Callable[[Path, str], Path]
) -> None:
    write_text(
        tmp_path / "jira" / "export.csv",
        "\n".join([HEADER, ROWS[0], ROWS[2].replace("14/Jun/20 10:00 AM,", "yesterday,", 1)]),
    )
    with pytest.raises(SourceFileError) as failure:
        _issues(tmp_path, pseudonymise)
    assert str(failure.value).startswith("jira/export.csv, line 3, column 'Created': expected")


def test_a_csv_without_issue_ids_is_refused(
    tmp_path: Path, pseudonymise: Pseudonymiser, write_text: Callable[[Path, str], Path]
) -> None:
    write_text(tmp_path / "jira" / "export.csv", "Summary,Issue key\nx,PAY-1\n")
    with pytest.raises(SourceFileError, match="line 1, column 'Issue id'"):
        _issues(tmp_path, pseudonymise)


def test_the_jira_source_adds_csv_issues_missing_from_the_json_pages(
    export: Path,
    pseudonymise: Pseudonymiser,
    write_json: Callable[[Path, object], Path],
) -> None:
    page = {
        "startAt": 0,
        "total": 1,
        "issues": [
            {
                "id": "10003",
                "key": "PAY-3",
                "fields": {
                    "summary": "Rounding error",
                    "status": {"name": "Done", "statusCategory": {"key": "done"}},
                    "created": "2020-06-14T10:00:00.000+0000",
                    "updated": "2020-06-25T10:00:00.000+0000",
                },
                "changelog": {"histories": []},
            }
        ],
    }
    write_json(export / "jira" / "issues" / "page_0001.json", page)
    tables = read_jira_files(ReadContext(sources_dir=export, pseudonymise=pseudonymise))
    rows = {r["issue_key"]: r for r in tables["jira__issues"].to_pylist()}
    assert sorted(rows) == ["PAY-1", "PAY-2", "PAY-3"]
    # PAY-3 is in both: the JSON row, which comes with a changelog, wins.
    assert rows["PAY-3"]["_source"] == "jira/issues/page_0001.json"
