"""The roadmap status snapshot: refreshes a day apart turn current statuses into history.

Aha! initiatives (like Productboard, ProdPad or a spreadsheet) only say where an item
stands now: no audit logs their status changes. Three refreshes land the same two
initiatives on 1, 2 and 3 March; PB-1 moves from "Under consideration" to "Accepted"
between the first two. The snapshot must hold exactly one row
per state, valid from the landing time of the refresh that first saw it, and a refresh
that sees no change must add nothing.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from dbt_raw_tables import create_raw_schema
from dbt_runner import run_dbt

DAY_1 = datetime(2026, 3, 1, 6, 0)
DAY_2 = datetime(2026, 3, 2, 6, 0)
DAY_3 = datetime(2026, 3, 3, 6, 0)
SELECT = ["build", "--select", "+stg_roadmap__status_history"]


def _land(warehouse: Path, statuses: dict[str, str], loaded_at: datetime) -> None:
    """Replace raw.roadmap__items as a landing does: same keys, a new `_loaded_at`."""
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("delete from raw.roadmap__items")
        for item_id, status in statuses.items():
            connection.execute(
                "insert into raw.roadmap__items (tool, item_type, item_id, name, status, "
                "_source, _loaded_at, _batch_id) values ('aha', 'initiative', ?, ?, ?, "
                "'https://acme.aha.io/api/v1/initiatives', ?, ?)",
                [item_id, f"Feature {item_id}", status, loaded_at, loaded_at.isoformat()],
            )


def _build(warehouse: Path, work_dir: Path) -> None:
    result = run_dbt(SELECT, warehouse, work_dir)
    if result.returncode != 0:
        pytest.fail(f"dbt build failed:\n{(result.stdout + result.stderr)[-4000:]}")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple]]:
    """History rows after each of the three refreshes, keyed 'day1'..'day3'."""
    work_dir = tmp_path_factory.mktemp("roadmap_snapshots")
    warehouse = work_dir / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        create_raw_schema(connection)
        connection.execute(
            "insert into raw.catalog__status_map (tool, status, meaning, _source) values "
            "('aha', 'Under consideration', 'in_progress', 'catalog.yml'), "
            "('aha', 'Accepted', 'accepted', 'catalog.yml')"
        )
    seen = {}
    for day, loaded_at, statuses in (
        ("day1", DAY_1, {"PB-1": "Under consideration", "PB-2": "Under consideration"}),
        ("day2", DAY_2, {"PB-1": "Accepted", "PB-2": "Under consideration"}),
        ("day3", DAY_3, {"PB-1": "Accepted", "PB-2": "Under consideration"}),
    ):
        _land(warehouse, statuses, loaded_at)
        _build(warehouse, work_dir)
        with duckdb.connect(str(warehouse), read_only=True) as connection:
            seen[day] = connection.execute(
                "select item_id, status, status_meaning, valid_from, valid_to, is_current "
                "from staging.stg_roadmap__status_history order by item_id, valid_from"
            ).fetchall()
    return seen


def test_the_first_refresh_opens_one_current_row_per_item(history) -> None:
    assert history["day1"] == [
        ("PB-1", "Under consideration", "in_progress", DAY_1, None, True),
        ("PB-2", "Under consideration", "in_progress", DAY_1, None, True),
    ]


def test_a_status_change_closes_the_old_state_at_the_refresh_that_saw_the_new_one(
    history,
) -> None:
    assert history["day2"] == [
        ("PB-1", "Under consideration", "in_progress", DAY_1, DAY_2, False),
        ("PB-1", "Accepted", "accepted", DAY_2, None, True),
        ("PB-2", "Under consideration", "in_progress", DAY_1, None, True),
    ]


def test_a_refresh_without_changes_adds_no_rows(history) -> None:
    assert history["day3"] == history["day2"]
