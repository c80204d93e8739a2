"""Every metric a page shows is defined, and the definition agrees with the dbt docs."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboards import metric_definitions
from dashboards.metric_definitions import METRICS, dbt_column_descriptions, help_text

APP = Path(__file__).resolve().parents[2] / "dashboards" / "streamlit_app.py"


def test_every_metric_reads_a_documented_mart_column() -> None:
    documented = dbt_column_descriptions()
    missing = [metric.source for metric in METRICS if metric.source not in documented]
    assert missing == []
    assert "null (not infinity)" in documented["fct_product_cost_revenue.rnd_pct_of_revenue"]


def test_each_metric_names_formula_grain_source_and_configuration() -> None:
    for metric in METRICS:
        assert metric.formula and metric.grain and metric.configuration and metric.pages
    cap = metric_definitions.METRICS_BY_KEY["customer_commitment_cap"]
    assert "default 10%" in cap.configuration


def test_the_help_icon_links_to_the_definition() -> None:
    text = help_text("rnd_cost", "contribution")
    assert "**R&D cost** = people cost + other R&D cost" in text
    assert "(/definitions#rnd-cost)" in text and "(/definitions#contribution)" in text


def test_the_definitions_page_opens_on_the_metric_asked_about(empty_data_dir: Path) -> None:
    # Definitions need no data: they answer before the first refresh too.
    app = AppTest.from_file(str(APP), default_timeout=60)
    app.query_params["metric"] = "say_do_ratio"
    app.run()
    app.switch_page("app_pages/definitions.py").run()
    assert not app.exception, [e.value for e in app.exception]
    assert "You asked about **Say/do**." in app.info[0].value
    assert app.subheader[0].value == "Say/do"
    table = app.dataframe[0].value
    assert list(table["Metric"]) == [metric.name for metric in METRICS]


def test_unmapped_values_come_with_what_to_do() -> None:
    assert "skus" in metric_definitions.unmapped_fix("sku")
    assert "cost_centres" in metric_definitions.unmapped_fix("cost_centre")
    assert metric_definitions.unmapped_fix("something_new") == "map it in catalog.yml"
