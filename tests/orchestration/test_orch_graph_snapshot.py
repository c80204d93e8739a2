"""The whole Dagster graph, as text, against the snapshot committed beside this test.

Every asset (key and group), every check (blocking or not), every schedule and sensor:
an accidental change shows up as a diff. After a deliberate change (a new model, table
or check) regenerate the snapshot and review its diff:

    UPDATE_GRAPH_SNAPSHOT=1 .venv/bin/pytest tests/orchestration/test_orch_graph_snapshot.py
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("orch_graph_snapshot.txt")


def graph_snapshot(defs) -> str:
    """One line per asset, check, job, schedule and sensor, sorted within each kind."""
    graph = defs.resolve_asset_graph()
    lines = []
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        lines.append(
            f"asset {key.to_user_string()} group={node.group_name} pool={node.assets_def.node_def.pool}"
        )
    checks = []
    for assets_def in {graph.get(key).assets_def for key in graph.get_all_asset_keys()}:
        for spec in assets_def.check_specs:
            kind = "blocking" if spec.blocking else "warning"
            checks.append(f"check {spec.asset_key.to_user_string()}:{spec.name} {kind}")
    lines += sorted(checks)
    for schedule in sorted(defs.schedules or [], key=lambda s: s.name):
        crons = schedule.cron_schedule
        crons = [crons] if isinstance(crons, str) else list(crons)
        lines.append(
            f"schedule {schedule.name} cron={' | '.join(crons)} "
            f"tz={schedule.execution_timezone} job={schedule.job_name} "
            f"status={schedule.default_status.value}"
        )
    for sensor in sorted(defs.sensors or [], key=lambda s: s.name):
        lines.append(
            f"sensor {sensor.name} every={sensor.minimum_interval_seconds}s "
            f"status={sensor.default_status.value}"
        )
    return "\n".join(lines) + "\n"


def test_the_asset_graph_matches_its_snapshot(monkeypatch):
    # The snapshot records the default time zone, whatever the machine running it sets.
    monkeypatch.delenv("PRODUCTOPS_TIMEZONE", raising=False)
    from orchestration.definitions import build_definitions

    current = graph_snapshot(build_definitions())
    if os.environ.get("UPDATE_GRAPH_SNAPSHOT") == "1":
        SNAPSHOT.write_text(current)
    expected = SNAPSHOT.read_text()
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            current.splitlines(keepends=True),
            "orch_graph_snapshot.txt (committed)",
            "the graph now",
        )
    )
    assert not diff, (
        "the asset graph changed; if that was meant, rerun with UPDATE_GRAPH_SNAPSHOT=1 "
        "and commit the snapshot:\n" + diff
    )
