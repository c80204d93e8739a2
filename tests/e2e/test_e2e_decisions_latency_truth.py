"""Time to decision: the decision marts recover the demo's planted latencies and backlog."""

from __future__ import annotations

import pytest
from warehouse_reads import query

BUCKETS = ("0-7", "8-30", "31-90", "over_90")


@pytest.fixture(scope="module")
def latency(demo_warehouse) -> dict[tuple[str, str], dict]:
    columns = (
        "product_area, quarter, decided, median_days, p90_days, is_complete, "
        "undecided_0_7, undecided_8_30, undecided_31_90, undecided_over_90"
    )
    rows = query(demo_warehouse.serving_path, f"select {columns} from marts.fct_decision_latency")
    names = [name.strip() for name in columns.split(",")]
    return {(row[0], row[1]): dict(zip(names, row, strict=True)) for row in rows}


def test_median_days_and_decisions_per_area_and_quarter_match_truth(latency, truth):
    planted = truth["median_days_to_decision_by_area_quarter"]
    counts = truth["decisions_by_area_quarter"]
    cells = [(area, quarter) for area, quarters in planted.items() for quarter in quarters]
    assert len(cells) > 150
    wrong = [
        f"{cell}: planted {planted[cell[0]][cell[1]]} days over {counts[cell[0]][cell[1]]}, "
        f"mart {latency.get(cell, {}).get('median_days')} over {latency.get(cell, {}).get('decided')}"
        for cell in cells
        if latency.get(cell, {}).get("median_days") != planted[cell[0]][cell[1]]
        or latency[cell]["decided"] != counts[cell[0]][cell[1]]
    ]
    assert not wrong, "\n".join(wrong[:20])


def test_the_slowing_area_rises_quarter_after_quarter(latency, truth):
    story = truth["story"]
    medians = [
        latency[(story["slowing_area"], q)]["median_days"] for q in story["slowing_quarters"]
    ]
    assert medians == list(story["slowing_quarters"].values())  # 19 -> 36 -> 48 -> 72 days
    assert medians == sorted(medians) and medians[-1] > 3 * medians[0]


def test_p90_is_never_below_the_median(latency):
    decided = [row for row in latency.values() if row["decided"] > 0]
    assert all(row["p90_days"] >= row["median_days"] for row in decided)


def test_quarters_without_decisions_have_zero_decided_and_no_median(latency, truth):
    planted = truth["decisions_by_area_quarter"]
    empty = [cell for cell in latency if cell[1] not in planted.get(cell[0], {})]
    assert empty, "the demo has area-quarters without decisions"
    for cell in empty:
        assert latency[cell]["decided"] == 0
        assert latency[cell]["median_days"] is None and latency[cell]["p90_days"] is None


def test_reversed_decisions_are_exactly_the_planted_ones(demo_warehouse, truth):
    rows = query(
        demo_warehouse.serving_path, "select idea_id from marts.fct_decisions where reversed"
    )
    assert sorted(idea for (idea,) in rows) == truth["reversed_ideas"]


def test_undecided_backlog_by_age_on_the_as_of_date(demo_warehouse, latency, truth):
    planted = truth["undecided_ideas_by_area_age"]
    rows = query(
        demo_warehouse.serving_path,
        "select product_area, undecided_age_bucket, count(*) from marts.fct_decisions "
        "where decided_at is null group by all",
    )
    per_idea: dict[str, dict[str, int]] = {}
    for area, bucket, count in rows:
        per_idea.setdefault(area, {})[bucket] = count
    assert per_idea == planted
    # the running quarter's row of the latency mart ages the same backlog on the as-of date
    for area, buckets in planted.items():
        row = latency[(area, truth["story"]["current_quarter"])]
        assert not row["is_complete"]
        found = dict(zip(BUCKETS, [row[f"undecided_{b.replace('-', '_')}"] for b in BUCKETS]))
        assert {b: n for b, n in found.items() if n} == buckets, area
