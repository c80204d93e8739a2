"""Incremental allocation models give exactly what a --full-refresh build gives.

The small company of alloc_fixture_rows.py is built, then a day lands
(raw rows with a later `_loaded_at`, merged by key as landing does):

- PAY-1, done on 4 Feb, is reopened by p1 on Mon 10 Mar 10:00 and done on Wed 12 Mar;
- INS-2 gets a status change back-dated to Mon 20 Jan 09:00 (To Do -> In Progress), so
  its assignee, the leaver p2, works on it from 20 Jan: an already built month moves;
- p5 joins Payments Core on Mon 17 Mar and starts new task PAY-4 on Tue 18 Mar;
- the part-timer p3's leaving date is edited from 31 Aug to Fri 7 Mar.

An incremental `dbt build` and a `--full-refresh` build of a copy of the same raw data
must agree row for row on every incremental model and the allocation marts; by hand,
p2's January moves 10 of its 23 working days (20-31 Jan) to Insights, and December,
which nothing touched, is not rewritten.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from alloc_fixture_rows import P1_JAN, status_change
from dbt_fixture_company import RAW_ROWS
from dbt_raw_tables import insert_rows
from dbt_runner import DbtWarehouse, run_dbt

SELECT = [
    "--indirect-selection",
    "cautious",
    "--exclude-resource-type",
    "unit_test",
    "--select",
    "+fct_product_cost_revenue",
    "+fct_investment_allocation",
    "+fct_portfolio_items",
    "+int_issue_person_days_checked",
]
DAY_TWO_LOADED_AT = "2025-04-02 06:00:00"

# (model, columns compared: the bookkeeping columns differ by design)
COMPARED = {
    "intermediate.int_issue_status_intervals": (
        "issue_id, change_number, status, status_category, valid_from, valid_to"
    ),
    "intermediate.int_issue_assignee_intervals": (
        "issue_id, change_number, person_key, valid_from, valid_to"
    ),
    "intermediate.int_issue_busy_intervals": (
        "issue_id, person_key, valid_from, valid_to, first_day, last_day"
    ),
    "intermediate.int_issue_person_days": "issue_id, person_key, day, month",
    "intermediate.int_person_issue_months": (
        "employee_key, month, issue_id, round(share_of_month, 9), person_key, hired_on, "
        "terminated_on"
    ),
    "intermediate.int_person_day_allocations": (
        "employee_key, month, team_id, issue_id, feature_id, product_id, category, "
        "round(share_of_month, 9), round(fte_months, 9), round(allocated_cost, 6)"
    ),
    "marts.fct_product_cost_revenue": "*",
    "marts.fct_investment_allocation": "*",
    "marts.fct_portfolio_items": "*",
}

DAY_TWO_ROWS: dict[str, list[dict[str, object]]] = {
    "jira__issues": [
        {
            "issue_id": "4",
            "issue_key": "PAY-4",
            "project_key": "PAY",
            "issue_type": "Task",
            "status": "In Progress",
            "status_category": "indeterminate",
            "assignee_key": "p5",
            "created_at": "2025-03-17 09:00:00",
        },
    ],
    "jira__changelog": [
        status_change("1", "104", "2025-03-10 10:00:00", "Done", "In Progress"),
        status_change("1", "105", "2025-03-12 16:00:00", "In Progress", "Done"),
        status_change("2", "200", "2025-01-20 09:00:00", "To Do", "In Progress"),
        status_change("4", "401", "2025-03-18 09:00:00", "To Do", "In Progress"),
    ],
    "hr__employees": [
        {
            "employee_key": "emp_new",
            "person_key": "p5",
            "team": "Payments Core",
            "job_title": "Senior Software Engineer",
            "location": "New York",
            "fte": 1.0,
            "hired_on": "2025-03-17",
        },
    ],
    "hr__compensation": [
        {
            "employee_key": "emp_new",
            "annual_salary": 108000.0,
            "currency": "USD",
            "effective_on": "2025-03-17",
        },
    ],
}


def _land_day_two(warehouse: Path) -> None:
    """Land the second day as landing merges it: by key, with a later `_loaded_at`."""
    part_timer = next(r for r in RAW_ROWS["hr__employees"] if r["employee_key"] == "emp_part_timer")
    rows = {**DAY_TWO_ROWS}
    rows["hr__employees"] = [*rows["hr__employees"], {**part_timer, "terminated_on": "2025-03-07"}]
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("delete from raw.hr__employees where employee_key = 'emp_part_timer'")
        for table_name, table_rows in rows.items():
            connection.execute(
                f"update raw.\"{table_name}\" set _batch_id = 'day-1' "
                "where _batch_id = 'test-batch'"
            )
            insert_rows(connection, table_name, table_rows)
            connection.execute(
                f"update raw.\"{table_name}\" set _loaded_at = ?, _batch_id = 'day-2' "
                "where _batch_id = 'test-batch'",
                [DAY_TWO_LOADED_AT],
            )


def _build(command: list[str], warehouse: Path, work_dir: Path) -> None:
    result = run_dbt([*command, *SELECT], warehouse, work_dir)
    if result.returncode != 0:
        pytest.fail(f"dbt {' '.join(command)} failed:\n{(result.stdout + result.stderr)[-6000:]}")


@pytest.fixture(scope="module")
def two_builds(
    alloc_company_warehouse: DbtWarehouse, tmp_path_factory: pytest.TempPathFactory
) -> tuple[DbtWarehouse, DbtWarehouse]:
    """(incremental, full refresh): the same raw data after day two, built both ways.

    Day one is a copy of the session's build of the same rows (RAW_ROWS plus
    ALLOCATION_ROWS, tests/dbt/conftest.py), which builds every model of SELECT."""
    work_dir = tmp_path_factory.mktemp("alloc_incremental")
    incremental = work_dir / "incremental.duckdb"
    shutil.copyfile(alloc_company_warehouse.path, incremental)
    _land_day_two(incremental)
    full = work_dir / "full.duckdb"
    shutil.copyfile(incremental, full)
    _build(["build"], incremental, work_dir / "day2_incremental")
    _build(["build", "--full-refresh"], full, work_dir / "day2_full")
    return (
        DbtWarehouse(path=incremental, node_statuses={}),
        DbtWarehouse(path=full, node_statuses={}),
    )


@pytest.mark.parametrize("relation", sorted(COMPARED))
def test_incremental_build_equals_full_refresh_row_for_row(two_builds, relation):
    incremental, full = two_builds
    sql = f"select {COMPARED[relation]} from {relation} order by all"
    incremental_rows, full_rows = incremental.query(sql), full.query(sql)
    assert incremental_rows == full_rows
    assert len(full_rows) > 0


def test_the_back_dated_change_moves_the_leavers_january(two_builds):
    incremental, _ = two_builds
    ((insights_january,),) = incremental.query(
        "select people_cost from marts.fct_product_cost_revenue "
        "where product_id = 'insights' and month = ?",
        [dt.date(2025, 1, 1)],
    )
    # p3 all month, p1's 2 of 16 days on PAY-1, and now p2's 20-31 Jan: 10 of 23 days
    assert insights_january == pytest.approx(3250 + P1_JAN * 2 / 16 + 12320 * 10 / 23, abs=0.005)


def test_the_new_hire_and_the_reopened_issue_are_allocated(two_builds):
    incremental, _ = two_builds
    rows = incremental.query(
        "select employee_key, issue_id, round(share_of_month, 9) "
        "from intermediate.int_person_issue_months "
        "where month = ? and employee_key in ('emp_new', 'emp_joiner') and issue_id is not null "
        "order by employee_key, issue_id",
        [dt.date(2025, 3, 1)],
    )
    # March has 21 working days. p1: PAY-1 again 10-12 Mar and PAY-3 3-4 and 6 Mar;
    # p5, employed 17-31 Mar (11 working days), on PAY-4 from the 18th: 10 of 11.
    assert rows == [
        ("emp_joiner", "1", pytest.approx(round(3 / 21, 9))),
        ("emp_joiner", "3", pytest.approx(round(3 / 21, 9))),
        ("emp_new", "4", pytest.approx(round(10 / 11, 9))),
    ]


def test_only_the_months_from_the_first_change_are_rewritten(two_builds):
    incremental, _ = two_builds
    rows = incremental.query(
        "select month, count(distinct issue_days_built_at) from intermediate.int_person_issue_months "
        "group by month order by month"
    )
    built_at = dict(
        incremental.query(
            "select month, max(issue_days_built_at) from intermediate.int_person_issue_months "
            "group by month"
        )
    )
    assert [month for month, _ in rows] == [
        dt.date(2024, 11, 1),
        dt.date(2024, 12, 1),
        dt.date(2025, 1, 1),
        dt.date(2025, 2, 1),
        dt.date(2025, 3, 1),
    ][-len(rows) :]
    december, january = built_at[dt.date(2024, 12, 1)], built_at[dt.date(2025, 1, 1)]
    # December kept day one's build; January onwards (the back-dated change) was rebuilt
    assert december < january
    assert built_at[dt.date(2025, 3, 1)] == january


@pytest.fixture(scope="module")
def incremental_every_issue(
    alloc_company_warehouse: DbtWarehouse, tmp_path_factory: pytest.TempPathFactory
) -> tuple[DbtWarehouse, Path]:
    """Day two built incrementally with every issue recomputed, as a build that changes
    more than `changed_issue_literals_max` issues does (a whole re-landing); and its
    work folder."""
    work_dir = tmp_path_factory.mktemp("alloc_incremental_every_issue")
    warehouse = work_dir / "incremental.duckdb"
    shutil.copyfile(alloc_company_warehouse.path, warehouse)
    _land_day_two(warehouse)
    _build(["build", "--vars", "{changed_issue_literals_max: 0}"], warehouse, work_dir / "day2")
    return DbtWarehouse(path=warehouse, node_statuses={}), work_dir / "day2"


def _compiled_interval_model(work_dir: Path) -> str:
    return next(
        (work_dir / "target" / "compiled").rglob("int_issue_status_intervals.sql")
    ).read_text()


def test_changed_issues_as_literals_or_every_issue_recomputed_alike(
    incremental_every_issue, two_builds
):
    every_issue, every_issue_work_dir = incremental_every_issue
    incremental, full = two_builds
    for relation, columns in COMPARED.items():
        sql = f"select {columns} from {relation} order by all"
        assert every_issue.query(sql) == full.query(sql), relation
    # the two builds really took the two paths of macros/incremental_windows.sql
    assert "issue_id in" not in _compiled_interval_model(every_issue_work_dir)
    literal_sql = _compiled_interval_model(incremental.path.parent / "day2_incremental")
    assert "where issue_id in ('" in literal_sql


@pytest.fixture(scope="module")
def rebuilt_with_nothing_new(
    two_builds: tuple[DbtWarehouse, DbtWarehouse], tmp_path_factory: pytest.TempPathFactory
) -> tuple[DbtWarehouse, DbtWarehouse]:
    """(before, after): a copy of the incremental warehouse built once more, no new rows."""
    incremental, _ = two_builds
    work_dir = tmp_path_factory.mktemp("alloc_nothing_new")
    again = work_dir / "again.duckdb"
    shutil.copyfile(incremental.path, again)
    _build(["build"], again, work_dir / "day2_again")
    return incremental, DbtWarehouse(path=again, node_statuses={})


@pytest.mark.parametrize(
    ("relation", "stamp", "months"),
    [
        # nobody is busy in December (the spine's first month), so it has no issue days;
        # a build must not take it for a month the spine gained
        ("intermediate.int_issue_person_days", "built_at", 3),
        ("intermediate.int_person_issue_months", "issue_days_built_at", 4),
    ],
)
def test_a_build_with_nothing_new_rewrites_no_month(
    rebuilt_with_nothing_new, relation, stamp, months
):
    before, after = rebuilt_with_nothing_new
    sql = f"select month, {stamp}, count(*) from {relation} group by all order by all"
    before_rows, after_rows = before.query(sql), after.query(sql)
    # every month keeps its row count and its build stamp: nothing was deleted or rewritten
    assert after_rows == before_rows
    assert len({month for month, _, _ in after_rows}) == months


def test_a_build_with_nothing_new_still_equals_full_refresh(rebuilt_with_nothing_new, two_builds):
    _, after = rebuilt_with_nothing_new
    _, full = two_builds
    for relation, columns in COMPARED.items():
        sql = f"select {columns} from {relation} order by all"
        assert after.query(sql) == full.query(sql), relation


RELANDED_AT = "2025-04-05 06:00:00"


@pytest.fixture(scope="module")
def relanded(
    two_builds: tuple[DbtWarehouse, DbtWarehouse], tmp_path_factory: pytest.TempPathFactory
) -> tuple[DbtWarehouse, DbtWarehouse, str]:
    """(before, after, log): the incremental warehouse after day two; the same after Jira
    landed again whole with the same rows (as new reader code makes a refresh do) and was
    built twice; the dbt log of the second build."""
    incremental, _ = two_builds
    work_dir = tmp_path_factory.mktemp("alloc_relanded")
    relanded = work_dir / "relanded.duckdb"
    shutil.copyfile(incremental.path, relanded)
    with duckdb.connect(str(relanded)) as connection:
        for table_name in ("jira__issues", "jira__changelog"):
            connection.execute(f"update raw.{table_name} set _loaded_at = ?", [RELANDED_AT])
    _build(["build"], relanded, work_dir / "relanded")
    # and once more with nothing new: the build whose person-days check is in question
    _build(["build"], relanded, work_dir / "again")
    log = (work_dir / "again" / "logs" / "dbt.log").read_text()
    return incremental, DbtWarehouse(path=relanded, node_statuses={}), log


def test_after_a_whole_relanding_person_days_compares_nothing_already_compared(relanded, two_builds):
    before, after, next_build_log = relanded
    _, full = two_builds
    sql = "select month, built_at, count(*) from intermediate.int_issue_person_days group by all"
    # every issue was compared again and no day changed: no month was rewritten ...
    assert sorted(after.query(sql)) == sorted(before.query(sql))
    columns = COMPARED["intermediate.int_issue_person_days"]
    days = f"select {columns} from intermediate.int_issue_person_days order by all"
    assert after.query(days) == full.query(days)
    # ... so the rows' own newest landing lags the re-landed intervals, and the next build
    # would compare every issue again; the recorded comparison is at the re-landing.
    (newest_row,) = after.query("select max(source_loaded_at) from intermediate.int_issue_person_days")
    (checked,) = after.query("select source_loaded_at from intermediate.int_issue_person_days_checked")
    assert newest_row[0] < dt.datetime.fromisoformat(RELANDED_AT)
    assert checked[0] == dt.datetime.fromisoformat(RELANDED_AT)
    newer = after.query(
        "select count(*) from intermediate.int_issue_status_intervals"
        " where source_loaded_at > (select source_loaded_at"
        " from intermediate.int_issue_person_days_checked)"
    )
    assert newer == [(0,)]
    # the next build's person-days check looked only past the re-landing
    compared_until = re.compile(
        r"source_loaded_at > greatest\(cast\('[^']*' as timestamp\), "
        + re.escape(f"cast('{RELANDED_AT}' as timestamp))")
    )
    assert compared_until.search(next_build_log)


DAY_THREE_LOADED_AT = "2025-04-03 06:00:00"
# PAY-3 turns out to have been unassigned on 25 Feb, before either of its in-progress
# spells (3-4 Mar, 6 Mar): it keeps its intervals but loses all its busy time.
DAY_THREE_CHANGELOG = [
    {
        "issue_id": "3",
        "history_id": "300",
        "item_index": 0,
        "field": "assignee",
        "from_value": "p1",
        "to_value": None,
        "changed_at": "2025-02-25 09:00:00",
    },
]


@pytest.fixture(scope="module")
def day_three_builds(
    two_builds: tuple[DbtWarehouse, DbtWarehouse], tmp_path_factory: pytest.TempPathFactory
) -> tuple[DbtWarehouse, DbtWarehouse]:
    """(incremental, full refresh) after a third day that takes all of PAY-3's busy time."""
    incremental, _ = two_builds
    work_dir = tmp_path_factory.mktemp("alloc_day_three")
    day_three = work_dir / "incremental.duckdb"
    shutil.copyfile(incremental.path, day_three)
    with duckdb.connect(str(day_three)) as connection:
        insert_rows(connection, "jira__changelog", DAY_THREE_CHANGELOG)
        connection.execute(
            "update raw.jira__changelog set _loaded_at = ? where _batch_id = 'test-batch'",
            [DAY_THREE_LOADED_AT],
        )
        connection.execute(
            "update raw.jira__issues set assignee_key = null, _loaded_at = ? where issue_id = '3'",
            [DAY_THREE_LOADED_AT],
        )
    full = work_dir / "full.duckdb"
    shutil.copyfile(day_three, full)
    _build(["build"], day_three, work_dir / "day3_incremental")
    _build(["build", "--full-refresh"], full, work_dir / "day3_full")
    return DbtWarehouse(path=day_three, node_statuses={}), DbtWarehouse(path=full, node_statuses={})


def test_an_issue_that_loses_its_busy_time_leaves_every_allocation(day_three_builds):
    incremental, full = day_three_builds
    for relation, columns in COMPARED.items():
        sql = f"select {columns} from {relation} order by all"
        assert incremental.query(sql) == full.query(sql), relation
    assert incremental.query(
        "select count(*) from intermediate.int_issue_busy_intervals where issue_id = '3'"
    ) == [(0,)]
    # p1's March: only PAY-1 (10-12 Mar) is left, 3 of 21 working days
    assert incremental.query(
        "select issue_id, round(share_of_month, 9) from intermediate.int_person_issue_months "
        "where employee_key = 'emp_joiner' and month = ? and issue_id is not null",
        [dt.date(2025, 3, 1)],
    ) == [("1", pytest.approx(round(3 / 21, 9)))]
