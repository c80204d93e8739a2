"""What the data-health page learns about sources: freshness from the serving copy and
the quality gate's failures from the data folder, and that the page shows both."""

from __future__ import annotations

from datetime import datetime

import duckdb
from streamlit.testing.v1 import AppTest

from orchestration.defs.sources.load_history import LoadRecord, record_loads
from orchestration.quality_reports import CheckReport, SourceReport, write_report
from orchestration.serving import publish_serving_copy
from orchestration.settings import PROJECT_ROOT

LOADED = datetime(2025, 3, 4, 2, 0)
SEEN = datetime(2025, 3, 5, 20, 0)  # 42 hours after the load


def _publish_with_loads(folders) -> None:
    folders.data_dir.mkdir(parents=True)
    con = duckdb.connect(str(folders.settings.warehouse_path))
    con.execute("CREATE SCHEMA marts")
    con.execute(
        "CREATE TABLE marts.dim_products AS SELECT 'p1' AS product_id, "
        "'Product one' AS product_name, 'f1' AS portfolio_id, 'Family one' AS portfolio_name, "
        "'area one' AS product_areas, 'VP One' AS director, 'PM One' AS pm, "
        "DATE '2020-01-01' AS launched_on"
    )
    con.execute(
        "CREATE TABLE marts.fct_product_cost_revenue AS SELECT 'p1' AS product_id, "
        "DATE '2025-02-01' AS month, 1.0 AS revenue, 0.0 AS people_cost, "
        "0.0 AS other_rnd_cost, 0.0 AS rnd_cost, 0.0 AS rnd_fte, 'USD' AS currency, "
        "'sku' AS revenue_basis, 'team_default' AS people_cost_basis"
    )
    record_loads(
        con,
        [
            # Jira exported 2 h before an earlier load, then again at the load: newest counts.
            LoadRecord("jira", "jira__issues", "b0", datetime(2025, 3, 1), datetime(2025, 3, 1), 9),
            LoadRecord("jira", "jira__issues", "b1", LOADED, LOADED, 10),
            LoadRecord("jira", "jira__projects", "b1", LOADED, datetime(2025, 3, 4), 2),
            LoadRecord("finance", "finance__gl_lines", "b1", LOADED, datetime(2025, 2, 1), 5),
            LoadRecord("okrs", "okr__objectives", "b1", LOADED, None, 0),
        ],
    )
    con.close()
    publish_serving_copy(
        folders.settings.warehouse_path, folders.settings.serving_path, "b1", "exports"
    )


def test_freshness_ages_each_sources_newest_export_against_its_limit(folders):
    from dashboards import data

    _publish_with_loads(folders)

    frame = data.source_freshness(now=SEEN).set_index("source")

    assert frame.loc["jira", "rows"] == 12  # the latest load of each table
    assert frame.loc["jira", "age_hours"] == 42.0
    assert (frame.loc["jira", "max_age_hours"], frame.loc["jira", "stale"]) == (36.0, True)
    # Feb 1 00:00 to Mar 5 20:00 (2025: 28 days in February) is 32 days and 20 hours.
    assert frame.loc["finance", "age_hours"] == 32 * 24 + 20
    assert not frame.loc["finance", "stale"]
    assert not frame.loc["okrs", "stale"]  # nothing landed, nothing to age


def test_the_page_shows_the_blocked_source_and_the_stale_one(folders):
    _publish_with_loads(folders)
    write_report(
        SourceReport(
            source="hr",
            batch_id="b2",
            checked_at=SEEN,
            landed=False,
            checks=(
                CheckReport(
                    "hr__employees",
                    "row_count_vs_previous",
                    False,
                    ("1 rows, fewer than 2",),
                    (),
                ),
                CheckReport("hr__employees", "keys_unique", True, (), ()),
            ),
        )
    )

    page = AppTest.from_file(
        str(PROJECT_ROOT / "dashboards" / "app_pages" / "data_health.py"), default_timeout=60
    ).run()

    assert not page.exception
    assert "The quality gate stopped the latest refresh of: hr." in page.error[0].value
    failures = page.dataframe[0].value
    assert list(failures[["table", "check"]].itertuples(index=False, name=None)) == [
        ("raw.hr__employees", "row_count_vs_previous")
    ]
    # Seen now, years after the 2025 loads: every source with a limit and rows is stale.
    assert page.warning[0].value.startswith("Stale: finance, jira.")
