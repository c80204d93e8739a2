"""Schedules, `refresh --select` and the refresh summary: what runs when, and what it says."""

from __future__ import annotations

import itertools
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dagster import AssetKey, Definitions, asset
from dagster._utils.schedules import cron_string_iterator

from orchestration.defs.automation.schedules import BOARD_PACK_GROUP, build_schedules
from orchestration.refresh import RefreshResult, StepReport, format_summary
from orchestration.selection import UnknownSelection, resolve_selection
from orchestration.settings import get_settings
from productops.cli import main


def _ticks(cron: str, timezone: str, start: datetime, count: int) -> list[datetime]:
    return list(itertools.islice(cron_string_iterator(start.timestamp(), cron, timezone), count))


def test_schedules_run_nightly_at_two_and_on_each_quarters_last_day_in_the_zone():
    nightly, quarter_end = build_schedules("Europe/Berlin")
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2025, 1, 1, tzinfo=berlin)

    assert nightly.execution_timezone == quarter_end.execution_timezone == "Europe/Berlin"
    assert [t.isoformat() for t in _ticks(nightly.cron_schedule, "Europe/Berlin", start, 2)] == [
        "2025-01-01T02:00:00+01:00",
        "2025-01-02T02:00:00+01:00",
    ]
    days = sorted(
        tick.date().isoformat()
        for cron in quarter_end.cron_schedule
        for tick in _ticks(cron, "Europe/Berlin", start, 2)
    )
    assert days == ["2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31"]


def test_only_the_quarter_end_run_renders_the_board_pack_group():
    @asset(group_name="marts")
    def mart() -> None: ...

    @asset(group_name=BOARD_PACK_GROUP, deps=[mart])
    def board_pack() -> None: ...

    schedules = build_schedules("UTC")
    defs = Definitions(assets=[mart, board_pack], schedules=schedules)
    graph = defs.resolve_asset_graph()
    nightly = defs.resolve_schedule_def("nightly_refresh").job.selection.resolve(graph)
    quarter = defs.resolve_schedule_def("quarter_end_board_pack").job.selection.resolve(graph)

    assert nightly == {AssetKey("mart")}
    assert quarter == {AssetKey("mart"), AssetKey("board_pack")}


def test_the_time_zone_and_drop_folder_are_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("PRODUCTOPS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PRODUCTOPS_TIMEZONE", raising=False)
    monkeypatch.delenv("PRODUCTOPS_DROP_DIR", raising=False)
    get_settings.cache_clear()
    assert (get_settings().timezone, get_settings().drop_dir) == ("UTC", tmp_path / "drop")

    monkeypatch.setenv("PRODUCTOPS_TIMEZONE", "Mars/Olympus")
    get_settings.cache_clear()
    with pytest.raises(ValueError, match="PRODUCTOPS_TIMEZONE='Mars/Olympus' is not an IANA"):
        get_settings()


@pytest.fixture(scope="module")
def graph():
    from orchestration.definitions import defs

    return defs.resolve_asset_graph()


def test_selecting_a_source_refreshes_it_and_everything_downstream_only(graph):
    selected = resolve_selection(["hr"], graph)

    assert {AssetKey(["raw", "hr__employees"]), AssetKey(["raw", "hr__compensation"])} <= selected
    assert {AssetKey(["staging", "stg_hr__employees"]), AssetKey("publish")} <= selected
    assert {key.path[1] for key in selected if key.path[0] == "raw"} == {
        "hr__employees",
        "hr__compensation",
    }
    # A raw table selects its whole source: the export is read once.
    assert resolve_selection(["hr__employees"], graph) == selected


def test_selecting_a_model_refreshes_it_and_downstream_without_landing(graph):
    selected = resolve_selection(["dim_products"], graph)

    assert {AssetKey(["marts", "dim_products"]), AssetKey("publish")} <= selected
    assert not any(key.path[0] in ("raw", "staging") for key in selected)
    assert resolve_selection(["marts/dim_products"], graph) == selected


def test_an_unknown_name_is_refused_before_anything_runs(folders, graph, capsys):
    with pytest.raises(UnknownSelection, match=r"'payroll' is not a source \(analytics, catalog"):
        resolve_selection(["payroll"], graph)

    assert main(["refresh", "--select", "payroll"]) == 2
    assert "nothing refreshed: 'payroll' is not a source" in capsys.readouterr().out
    assert not Path(folders.data_dir).exists()


def test_the_summary_gives_rows_per_source_checks_and_time():
    steps = (
        StepReport("raw_catalog", 1.0, 13, 148, checks_passed=72),
        StepReport("raw_hr", 0.5, 2, 740, checks_passed=11, checks_failed=1, checks_warned=1),
        StepReport("dbt_models", 20.0, 37, None, checks_passed=195),
        StepReport("publish", 0.2, 1, 5524),
    )
    result = RefreshResult(
        batch_id="b",
        serving_path=Path("s"),
        log_path=Path("l"),
        seconds=31.25,
        steps=steps,
        mart_rows={"dim_products": 9, "fct_product_cost_revenue": 300},
    )

    assert format_summary(result) == [
        (
            "summary: 888 rows landed from 2 sources; checks: 278 passed, 1 failed "
            "(1 of them warnings); 2 marts published in 31.2s"
        ),
        "  catalog           148 rows",
        "  hr                740 rows",
    ]
