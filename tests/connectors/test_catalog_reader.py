"""catalog.yml: the analyst's organisation map lands as tables, and mistakes in it are
reported with the file, the line and the YAML path."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from connector_samples import MINIMAL_CATALOG

from connectors import schemas
from connectors.catalog import read_catalog_file
from connectors.errors import SourceFileError


def _read(tmp_path: Path, content: str) -> dict:
    path = tmp_path / "catalog.yml"
    path.write_text(content)
    return read_catalog_file(path)


def _rows(tables: dict, name: str) -> list[dict]:
    return tables[name].to_pylist()


def test_every_catalog_table_has_its_schema(tmp_path: Path) -> None:
    tables = _read(tmp_path, MINIMAL_CATALOG)
    assert set(tables) == {t.name for t in schemas.CATALOG_TABLES}
    for table in schemas.CATALOG_TABLES:
        assert tables[table.name].schema == table.schema


def test_the_organisation_map_lands(tmp_path: Path) -> None:
    tables = _read(tmp_path, MINIMAL_CATALOG)
    [product] = _rows(tables, "catalog__products")
    assert product == {
        "product_id": "payments_api",
        "product_name": "Payments API",
        "portfolio_id": "platform",
        "pm": "PM Payments API",
        "aha_prefix": "PAY",
        "analytics_app": "payments",
        "launched_on": date(2019, 4, 1),
        "_source": "catalog.yml",
    }
    mappings = {
        (r["kind"], r["value"]): r["product_id"] for r in _rows(tables, "catalog__product_mappings")
    }
    assert mappings == {
        ("jira_project", "PAY"): "payments_api",
        ("sku", "PAY-STD"): "payments_api",
        ("sku", "PAY-ENT"): "payments_api",
        ("cost_centre", "CC-4100"): "payments_api",
    }
    assert {r["product_area"] for r in _rows(tables, "catalog__product_areas")} == {
        "checkout",
        "payouts",
    }
    assert _rows(tables, "catalog__teams")[0]["product_id"] == "payments_api"
    status_map = {
        (r["tool"], r["status"]): r["meaning"] for r in _rows(tables, "catalog__status_map")
    }
    assert status_map[("aha", "Shipped")] == "delivered"
    rules = {
        (r["kind"], r["value"]): r["category"] for r in _rows(tables, "catalog__category_rules")
    }
    assert rules == {
        ("jira_issue_type", "Bug"): "ktlo",
        ("jira_label", "tech-debt"): "tech_investment",
    }
    assert _rows(tables, "catalog__features")[0]["released_on"] == date(2025, 2, 1)
    assert [r["account"] for r in _rows(tables, "catalog__rnd_accounts")] == ["6100", "6200"]


def test_settings_missing_from_the_file_land_with_the_metrics_defaults(tmp_path: Path) -> None:
    tables = _read(tmp_path, MINIMAL_CATALOG)
    settings = {r["setting"]: r["value"] for r in _rows(tables, "catalog__settings")}
    assert settings == {
        "reporting_currency": "USD",
        "loading_factor": "1.3",
        "min_group_size": "5",
        "customer_commitment_cap": "0.1",
    }
    assert _rows(tables, "catalog__loading_factors") == [
        {"location": "Berlin", "loading_factor": 1.4, "_source": "catalog.yml"}
    ]
    shares = {r["category"]: r["target_share"] for r in _rows(tables, "catalog__target_shares")}
    assert shares == {
        "new_capability": 0.5,
        "customer_commitment": 0.1,
        "ktlo": 0.25,
        "tech_investment": 0.15,
    }


def test_settings_given_in_the_file_win(tmp_path: Path) -> None:
    content = MINIMAL_CATALOG.replace(
        "settings:\n", "settings:\n  loading_factor: 1.25\n  min_group_size: 3\n"
    )
    settings = {
        r["setting"]: r["value"] for r in _rows(_read(tmp_path, content), "catalog__settings")
    }
    assert settings["loading_factor"] == "1.25"
    assert settings["min_group_size"] == "3"


def _error(tmp_path: Path, content: str) -> SourceFileError:
    with pytest.raises(SourceFileError) as caught:
        _read(tmp_path, content)
    return caught.value


def test_a_team_of_an_unknown_product_names_the_yaml_path_and_line(tmp_path: Path) -> None:
    content = MINIMAL_CATALOG.replace(
        "role_families:",
        "  - id: ledger\n    name: Ledger\n    product: ledger_app\nrole_families:",
    )
    error = _error(tmp_path, content)
    assert error.path == "catalog.yml"
    assert error.column == "teams[1].product"
    line = content.splitlines().index("    product: ledger_app") + 1
    assert error.line == line
    assert "unknown product 'ledger_app'" in str(error)


def test_a_duplicate_product_id_is_refused(tmp_path: Path) -> None:
    content = MINIMAL_CATALOG.replace(
        "teams:", "  - id: second\n    products:\n      - id: payments_api\nteams:"
    )
    error = _error(tmp_path, content)
    assert error.column == "portfolios[1].products[0].id"
    assert "duplicate product id 'payments_api'" in str(error)


def test_a_product_under_an_unknown_portfolio_is_refused(tmp_path: Path) -> None:
    content = MINIMAL_CATALOG.replace(
        "teams:", "products:\n  - id: loose\n    portfolio: nowhere\nteams:"
    )
    error = _error(tmp_path, content)
    assert error.column == "products[0].portfolio"
    assert "unknown portfolio 'nowhere'" in str(error)


def test_a_jira_project_mapped_to_two_products_is_refused(tmp_path: Path) -> None:
    content = MINIMAL_CATALOG.replace(
        "teams:",
        "products:\n  - id: other\n    portfolio: platform\n    jira_projects: [PAY]\nteams:",
    )
    error = _error(tmp_path, content)
    assert error.column == "products[0].jira_projects[0]"
    assert "duplicate jira project 'PAY'" in str(error)


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        (
            "default_category: new_capability",
            "default_category: strategy",
            "teams[0].default_category",
            "unknown investment category 'strategy'",
        ),
        (
            "jira_issue_types: {Bug: ktlo}",
            "jira_issue_types: {Bug: bugs}",
            "categories.jira_issue_types.Bug",
            "unknown investment category 'bugs'",
        ),
        (
            "Done: done}",
            "Done: finished}",
            "statuses.jira.Done",
            "unknown status meaning 'finished'",
        ),
        (
            "Product Manager: pm",
            "Product Manager: product",
            "role_families.Product Manager",
            "unknown role family 'product'",
        ),
        (
            "tech_investment: 0.15}",
            "platform: 0.15}",
            "settings.target_shares.platform",
            "unknown investment category 'platform'",
        ),
        (
            "features:\n  - id: instant_payouts\n    product: payments_api",
            "features:\n  - id: instant_payouts\n    product: payouts",
            "features[0].product",
            "unknown product 'payouts'",
        ),
        ("  - id: payments_core", "  - id: Payments-Core", "teams[0].id", "expected a stable id"),
        (
            "launched_on: 2019-04-01",
            "launched_on: April 2019",
            "portfolios[0].products[0].launched_on",
            "expected a date YYYY-MM-DD",
        ),
        ("rnd_accounts:", "rnd_acounts:", "rnd_acounts", "unknown key"),
    ],
)
def test_mistakes_name_what_was_expected(
    tmp_path: Path, old: str, new: str, path: str, message: str
) -> None:
    assert old in MINIMAL_CATALOG
    error = _error(tmp_path, MINIMAL_CATALOG.replace(old, new))
    assert error.column == path
    assert message in str(error)
    assert error.line is not None


def test_a_key_written_twice_is_refused_not_silently_overwritten(tmp_path: Path) -> None:
    content = MINIMAL_CATALOG.replace(
        "  Product Manager: pm\n", "  Product Manager: pm\n  Product Manager: design\n"
    )
    error = _error(tmp_path, content)
    assert "duplicate key 'Product Manager'" in str(error)
    assert error.line == content.splitlines().index("  Product Manager: design") + 1


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    error = _error(tmp_path, "reporting_currency: USD\nportfolios: [\n  - id: x\n")
    assert error.path == "catalog.yml"
    assert error.line is not None
    assert "expected valid YAML" in str(error)


def test_the_catalog_is_required(tmp_path: Path) -> None:
    with pytest.raises(SourceFileError, match="catalog.yml.*does not exist"):
        read_catalog_file(tmp_path / "catalog.yml")


def test_codes_keep_the_text_they_were_written_with(tmp_path: Path) -> None:
    # Unquoted, YAML would read 0610 as the octal number 392 and 4100.0 as a float.
    content = MINIMAL_CATALOG.replace(
        'rnd_accounts: ["6100", "6200"]', "rnd_accounts: [0610, 6200]"
    )
    content = content.replace("cost_centres: [CC-4100]", "cost_centres: [4100.0]")
    content = content.replace("jira_labels: {tech-debt:", "jira_labels: {0100:")
    tables = _read(tmp_path, content)
    assert [r["account"] for r in _rows(tables, "catalog__rnd_accounts")] == ["0610", "6200"]
    mapped = {r["value"] for r in _rows(tables, "catalog__product_mappings")}
    assert "4100.0" in mapped
    labels = {r["value"] for r in _rows(tables, "catalog__category_rules")}
    assert "0100" in labels
