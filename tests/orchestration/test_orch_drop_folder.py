"""A new export dropped in the drop folder refreshes its source and what depends on it;
a broken one is refused by the quality gate and the serving copy stays as it was.

Real HR reader, quality gate, sensor, dbt and publish on a tiny dbt project
(orch_hr_graph.py); the expected marts are hand-computed from the files written here.
"""

from __future__ import annotations

import duckdb
import pytest
from dagster import AssetKey, build_sensor_context
from orch_hr_graph import employee, hr_definitions, write_headcount

from orchestration.defs.sources.drop_folder import SENSOR_NAME
from orchestration.quality_reports import latest_reports
from orchestration.refresh import RefreshFailed, run_refresh

FIRST_EXPORT = [
    employee(1, "Payments Core", 1.0),
    employee(2, "Payments Core", 0.5),
    employee(3, "Growth", 1.0),
]


def _serving(folders, sql: str) -> list[tuple]:
    con = duckdb.connect(str(folders.settings.serving_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _team_headcount(folders) -> list[tuple]:
    return _serving(folders, "SELECT team, people, fte FROM marts.team_headcount ORDER BY team")


def _evaluate(defs, cursor: str | None):
    context = build_sensor_context(cursor=cursor, repository_def=defs.get_repository_def())
    return defs.get_sensor_def(SENSOR_NAME).evaluate_tick(context)


@pytest.fixture
def published(folders, tmp_path):
    """The HR graph refreshed once from FIRST_EXPORT: (definitions, first result)."""
    write_headcount(folders.sources_dir, FIRST_EXPORT)
    defs = hr_definitions(tmp_path / "hr_tiny")
    first = run_refresh(progress=lambda _: None, definitions=defs)
    assert _team_headcount(folders) == [("Growth", 1, 1.0), ("Payments Core", 2, 1.5)]
    return defs, first


def test_a_dropped_hr_export_refreshes_hr_and_downstream_into_the_serving_copy(folders, published):
    defs, first = published
    drop = folders.settings.drop_dir
    assert drop == folders.data_dir / "drop"
    # Employee 2 goes full time, employee 4 joins Growth at 0.8.
    write_headcount(
        drop,
        [
            *FIRST_EXPORT[:1],
            employee(2, "Payments Core", 1.0),
            FIRST_EXPORT[2],
            employee(4, "Growth", 0.8),
        ],
    )
    (drop / "hr" / "headcount.csv.part").write_text("still being copied")

    tick = _evaluate(defs, cursor=None)

    assert len(tick.run_requests) == 1
    request = tick.run_requests[0]
    assert request.tags["productops/dropped_source"] == "hr"
    assert set(request.asset_selection) == {
        AssetKey(["raw", "hr__employees"]),
        AssetKey(["raw", "hr__compensation"]),
        AssetKey(["staging", "stg_hr__employees"]),
        AssetKey(["marts", "team_headcount"]),
        AssetKey("publish"),
    }
    # Evaluated again before the run took the file in: nothing new to request.
    assert _evaluate(defs, cursor=tick.cursor).run_requests == []

    lines: list[str] = []
    second = run_refresh(
        progress=lines.append, definitions=defs, asset_selection=request.asset_selection
    )

    assert [line.split(":")[0] for line in lines] == ["raw_hr", "dbt_models", "publish"]
    assert _team_headcount(folders) == [("Growth", 2, 1.8), ("Payments Core", 2, 2.0)]
    assert _serving(folders, "SELECT DISTINCT batch_id FROM meta.refresh") == [(second.batch_id,)]
    assert second.batch_id != first.batch_id
    # The export moved into the sources folder; the one it replaced is archived.
    assert "employee" not in str(sorted(p.name for p in (drop / "hr").iterdir()))
    assert [p.name for p in (drop / "hr").iterdir()] == ["headcount.csv.part"]
    assert "4,Test,Person4" in (folders.sources_dir / "hr" / "headcount.csv").read_text()
    archived = list((folders.data_dir / "drop_archive").rglob("headcount.csv"))
    assert len(archived) == 1 and "4,Test,Person4" not in archived[0].read_text()
    assert _evaluate(defs, cursor=tick.cursor).run_requests == []


def test_a_broken_dropped_export_leaves_the_serving_copy_and_names_the_failure(folders, published):
    defs, _ = published
    before = folders.settings.serving_path.read_bytes()
    # An export cut off after its first employee: 1 row where the last load had 3.
    write_headcount(folders.settings.drop_dir, FIRST_EXPORT[:1])
    (request,) = _evaluate(defs, cursor=None).run_requests
    lines: list[str] = []

    with pytest.raises(RefreshFailed) as failure:
        run_refresh(
            progress=lines.append, definitions=defs, asset_selection=request.asset_selection
        )

    assert failure.value.step == "raw_hr"
    message = str(failure.value)
    assert (
        "raw.hr__employees: row_count_vs_previous failed: 1 rows, fewer than 2 "
        "(the previous load landed 3; at most 50% shrinkage is accepted)" in message
    )
    assert "publish: not run, a step it depends on failed" in lines
    assert folders.settings.serving_path.read_bytes() == before
    assert _team_headcount(folders) == [("Growth", 1, 1.0), ("Payments Core", 2, 1.5)]
    # Nothing of the refused export landed: the warehouse still holds the first load.
    con = duckdb.connect(str(folders.settings.warehouse_path), read_only=True)
    try:
        assert con.execute("SELECT count(*), sum(fte) FROM raw.hr__employees").fetchone() == (
            3,
            2.5,
        )
    finally:
        con.close()
    (report,) = latest_reports(folders.data_dir)
    assert (report.source, report.landed) == ("hr", False)
    assert [(c.table, c.check) for c in report.failed] == [
        ("hr__employees", "row_count_vs_previous"),
        ("hr__compensation", "row_count_vs_previous"),
    ]
    assert all(c.passed for c in report.checks if c.check != "row_count_vs_previous")
