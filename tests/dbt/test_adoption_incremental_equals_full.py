"""Incremental adoption models give exactly what a --full-refresh build gives.

A copy of the demo warehouse (events 1 Nov 2025 - 31 Oct 2026) gets a second day, landed
as landing merges it (by event id, with a later `_loaded_at`):

- a later day: the events of 31 Oct 2026 happen again on 1 Nov 2026 (new ids);
- app `cards`' March 2026 events are re-landed three months later, into June: the
  (cards, March) rows must go, although no new event falls in March;
- the only enable event of August 2026 is re-landed into October, so August has no
  enable event left, and September's into April.

An incremental `dbt build` and a `--full-refresh` build of a copy of the same data must
agree row for row on every adoption model and fct_feature_adoption, and both must equal
the SQL the models had before they were incremental (OLD_PATH_SQL, run on the same
data). Months before the first one touched are not recomputed (every table's compiled
filter is March, found only by the month that lost events), a build with nothing new reads no event, and a
third day, the catalog moving feature tier_badges to event 'Screen Viewed', rebuilds
the catalog-dependent tables.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from dbt_runner import DbtWarehouse, run_dbt

ADOPTION_MODELS = (
    "int_app_activity_by_month",
    "int_event_usage_by_month",
    "int_enable_events_by_month",
    "int_feature_usage_by_month",
    "int_feature_enablements",
    "fct_feature_adoption",
)
INCREMENTAL_MODELS = (
    "int_app_activity_by_month",
    "int_event_usage_by_month",
    "int_enable_events_by_month",
)
SELECT = ["--exclude-resource-type", "unit_test", "--select", *ADOPTION_MODELS]

# (relation, columns compared: catalog_loaded_at differs by design between a build made
# before a catalog change and one made after it)
COMPARED = {
    "intermediate.int_app_activity_by_month": "*",
    "intermediate.int_event_usage_by_month": "* exclude (catalog_loaded_at)",
    "intermediate.int_enable_events_by_month": "* exclude (catalog_loaded_at)",
    "intermediate.int_feature_usage_by_month": "*",
    "intermediate.int_feature_enablements": "*",
    "marts.fct_feature_adoption": "*",
}

# The three models as they were before they became incremental (their SQL compiled for
# DuckDB): the fast path must give exactly these rows.
OLD_PATH_SQL = {
    "intermediate.int_app_activity_by_month": """
        select app, cast(date_trunc('month', event_time) as date) as month,
            count(distinct user_key) as active_users,
            count(distinct account_id) as eligible_accounts
        from staging.stg_analytics__events
        where app is not null
        group by app, cast(date_trunc('month', event_time) as date)
    """,
    "intermediate.int_feature_usage_by_month": """
        with features as (
            select features.feature_id, features.event_type, products.analytics_app
            from staging.stg_catalog__features as features
            inner join staging.stg_catalog__products as products
                on features.product_id = products.product_id
        ),
        feature_events as (
            select features.feature_id, events.user_key,
                cast(events.event_time as date) as event_day,
                cast(date_trunc('month', events.event_time) as date) as month
            from staging.stg_analytics__events as events
            inner join features
                on events.event_type = features.event_type
                and events.app = features.analytics_app
        ),
        daily_users as (
            select feature_id, month, event_day, count(distinct user_key) as daily_users
            from feature_events group by feature_id, month, event_day
        ),
        user_days as (
            select feature_id, month, sum(daily_users) as user_days
            from daily_users group by feature_id, month
        ),
        monthly_users as (
            select feature_id, month, count(distinct user_key) as feature_users
            from feature_events group by feature_id, month
        )
        select monthly_users.feature_id, monthly_users.month,
            monthly_users.feature_users, user_days.user_days
        from monthly_users
        inner join user_days
            on monthly_users.feature_id = user_days.feature_id
            and monthly_users.month = user_days.month
    """,
    "intermediate.int_feature_enablements": """
        with features as (
            select * from staging.stg_catalog__features where enable_event_type is not null
        ),
        events as (
            select event_type, event_time, account_id,
                json_extract_string(properties_json, '$.feature') as enabled_feature
            from staging.stg_analytics__events
            where account_id is not null and properties_json is not null
        )
        select features.feature_id, events.account_id,
            min(events.event_time) as first_enabled_at
        from events
        inner join features
            on events.event_type = features.enable_event_type
            and lower(trim(events.enabled_feature)) = features.feature_id
        group by features.feature_id, events.account_id
    """,
}

LATER = "(select max(_loaded_at) from raw.analytics__events) + interval {hours} hour"
DAY_TWO_SQL = [
    # a later day: 31 Oct happens again on 1 Nov
    f"""
    insert into raw.analytics__events
    select * replace (
        'day2-' || event_id as event_id,
        event_time + interval 1 day as event_time,
        {LATER.format(hours=1)} as _loaded_at,
        'day-2' as _batch_id
    )
    from raw.analytics__events
    where event_time >= timestamp '2026-10-31' and event_time < timestamp '2026-11-01'
    """,
    # re-landed into other months: the old rows leave, as a merge by event id does
    f"""
    update raw.analytics__events
    set event_time = event_time + interval 3 month, _loaded_at = {LATER.format(hours=1)}
    where app = 'cards'
        and event_time >= timestamp '2026-03-01' and event_time < timestamp '2026-04-01'
    """,
    f"""
    update raw.analytics__events
    set event_time = event_time + interval 2 month, _loaded_at = {LATER.format(hours=1)}
    where event_type = 'Feature Enabled'
        and event_time >= timestamp '2026-08-01' and event_time < timestamp '2026-09-01'
    """,
    f"""
    update raw.analytics__events
    set event_time = event_time - interval 5 month, _loaded_at = {LATER.format(hours=1)}
    where event_type = 'Feature Enabled'
        and event_time >= timestamp '2026-09-01' and event_time < timestamp '2026-10-01'
    """,
]
DAY_THREE_SQL = [
    """
    update raw.catalog__features
    set event_type = 'Screen Viewed',
        _loaded_at = (select max(_loaded_at) from raw.analytics__events) + interval 2 hour
    where feature_id = 'tier_badges'
    """,
]


def _build(command: list[str], warehouse: Path, work_dir: Path) -> None:
    result = run_dbt([*command, *SELECT], warehouse, work_dir)
    if result.returncode != 0:
        pytest.fail(f"dbt {' '.join(command)} failed:\n{(result.stdout + result.stderr)[-6000:]}")


def _land(warehouse: Path, statements: list[str]) -> None:
    with duckdb.connect(str(warehouse)) as connection:
        for statement in statements:
            connection.execute(statement)


def _compiled(work_dir: Path, model: str) -> str:
    """The SQL dbt compiled for `model` in the build whose target is in `work_dir`."""
    folder = "marts" if model.startswith("fct_") else "intermediate"
    path = work_dir / "target" / "compiled" / "productops" / "models" / folder / "adoption"
    return (path / f"{model}.sql").read_text()


def _rows(warehouse: DbtWarehouse, relation: str, columns: str = "*") -> list[tuple]:
    return warehouse.query(f"select {columns} from {relation} order by all")


def _incremental_and_full(
    start: Path, statements: list[str], work_dir: Path
) -> tuple[DbtWarehouse, DbtWarehouse]:
    """Land `statements` on a copy of `start`, then build it incrementally and a copy fully."""
    incremental, full = work_dir / "incremental.duckdb", work_dir / "full.duckdb"
    shutil.copyfile(start, incremental)
    _land(incremental, statements)
    shutil.copyfile(incremental, full)
    _build(["build"], incremental, work_dir / "incremental")
    _build(["build", "--full-refresh"], full, work_dir / "full")
    return DbtWarehouse(incremental, {}), DbtWarehouse(full, {})


@pytest.fixture(scope="module")
def day_one(demo_warehouse, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the demo warehouse, adoption models built as a refresh left them."""
    work_dir = tmp_path_factory.mktemp("adoption_day_one")
    warehouse = work_dir / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse.warehouse_path, warehouse)
    return warehouse


@pytest.fixture(scope="module")
def day_two(day_one: Path, tmp_path_factory: pytest.TempPathFactory):
    """(incremental, full refresh, incremental build's work folder) after day two."""
    work_dir = tmp_path_factory.mktemp("adoption_day_two")
    incremental, full = _incremental_and_full(day_one, DAY_TWO_SQL, work_dir)
    return incremental, full, work_dir / "incremental"


@pytest.mark.parametrize("relation", sorted(COMPARED))
def test_incremental_build_equals_full_refresh_row_for_row(day_two, relation):
    incremental, full, _ = day_two
    full_rows = _rows(full, relation, COMPARED[relation])
    assert _rows(incremental, relation, COMPARED[relation]) == full_rows
    assert len(full_rows) > 0


@pytest.mark.parametrize("relation", sorted(OLD_PATH_SQL))
def test_the_incremental_models_give_the_rows_of_the_old_path(day_two, relation):
    incremental, _, _ = day_two
    new_columns = (
        "app, month, active_users, eligible_accounts" if "app_activity" in relation else "*"
    )
    old_rows = incremental.query(f"select * from ({OLD_PATH_SQL[relation]}) as old order by all")
    assert _rows(incremental, relation, new_columns) == old_rows
    assert len(old_rows) > 0


def test_re_landed_events_leave_their_old_month(day_two):
    incremental, _, _ = day_two
    months = {
        month.isoformat()
        for (month,) in incremental.query(
            "select month from intermediate.int_app_activity_by_month where app = 'cards'"
        )
    }
    # cards' March moved to June; the later day opened November
    assert "2026-03-01" not in months
    assert {"2026-02-01", "2026-06-01", "2026-11-01"} <= months
    enable_months = incremental.query(
        "select count(*) from intermediate.int_enable_events_by_month where month = ?",
        ["2026-08-01"],
    )
    assert enable_months == [(0,)]


def test_only_the_months_from_the_first_change_are_recomputed(day_two):
    _, _, work_dir = day_two
    # The new events' first month is April (the enable event from September); March, from
    # which every table is rebuilt, comes only from the month that lost cards' events
    # (among them cards' one enable event of March).
    for model in INCREMENTAL_MODELS:
        compiled = _compiled(work_dir, model)
        assert "event_time >= cast('2026-03-01 00:00:00'" in compiled, model


@pytest.fixture(scope="module")
def rebuilt_with_nothing_new(day_two, tmp_path_factory: pytest.TempPathFactory):
    """(before, after, work folder): a copy of the day-two build built again, nothing new."""
    incremental, _, _ = day_two
    work_dir = tmp_path_factory.mktemp("adoption_nothing_new")
    again = work_dir / "again.duckdb"
    shutil.copyfile(incremental.path, again)
    _build(["build"], again, work_dir / "again")
    return incremental, DbtWarehouse(again, {}), work_dir / "again"


def test_a_build_with_nothing_new_reads_no_event_and_changes_nothing(rebuilt_with_nothing_new):
    before, after, work_dir = rebuilt_with_nothing_new
    for model in INCREMENTAL_MODELS:
        assert "and 1 = 0" in _compiled(work_dir, model), model
        relation = f"intermediate.{model}"
        assert _rows(after, relation) == _rows(before, relation), model
    # watermarks unchanged: the newest loaded_at each table recorded is day two's
    for model in INCREMENTAL_MODELS:
        relation = f"intermediate.{model}"
        sql = f"select max(source_loaded_at), sum(source_events) from {relation}"
        assert after.query(sql) == before.query(sql)


@pytest.fixture(scope="module")
def day_three(day_two, tmp_path_factory: pytest.TempPathFactory):
    """(incremental, full refresh) after the catalog moved tier_badges to 'Screen Viewed'."""
    incremental, _, _ = day_two
    work_dir = tmp_path_factory.mktemp("adoption_day_three")
    return _incremental_and_full(incremental.path, DAY_THREE_SQL, work_dir)


@pytest.mark.parametrize("relation", sorted(COMPARED))
def test_a_catalog_change_rebuilds_what_depends_on_it(day_three, relation):
    incremental, full = day_three
    assert _rows(incremental, relation, COMPARED[relation]) == _rows(
        full, relation, COMPARED[relation]
    )
    if relation in OLD_PATH_SQL:
        old_rows = incremental.query(
            f"select * from ({OLD_PATH_SQL[relation]}) as old order by all"
        )
        new_columns = (
            "app, month, active_users, eligible_accounts" if "app_activity" in relation else "*"
        )
        assert _rows(incremental, relation, new_columns) == old_rows


def test_tier_badges_now_counts_the_loyalty_apps_screen_views(day_three):
    incremental, _ = day_three
    # by hand from the events: distinct users who viewed a screen in app loyalty, per month
    expected = incremental.query(
        "select cast(date_trunc('month', event_time) as date), count(distinct user_key) "
        "from raw.analytics__events where app = 'loyalty' and event_type = 'Screen Viewed' "
        "group by 1 order by 1"
    )
    counted = incremental.query(
        "select month, feature_users from intermediate.int_feature_usage_by_month "
        "where feature_id = 'tier_badges' order by month"
    )
    assert counted == expected
    assert len(expected) == 13
