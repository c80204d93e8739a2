"""Every dbt unit test of the project runs and passes in `make test`.

A refresh builds with `--exclude-resource-type unit_test` (their mocked rows say nothing
about the data), so this is where the unit tests run: the session's `dbt build` of the
small company builds everything, unit tests included.
"""

from __future__ import annotations

import json

from dbt_runner import DbtWarehouse


def test_every_unit_test_of_the_manifest_passed(dbt_warehouse: DbtWarehouse) -> None:
    manifest = json.loads((dbt_warehouse.path.parent / "target" / "manifest.json").read_text())
    declared = set(manifest["unit_tests"])
    statuses = {
        unique_id: status
        for unique_id, status in dbt_warehouse.node_statuses.items()
        if unique_id.startswith("unit_test.")
    }
    assert statuses == dict.fromkeys(declared, "pass")
    names = {unique_id.rsplit(".", 1)[-1] for unique_id in declared}
    assert {
        "small_products_fold_into_their_portfolios_other_products",
        "tiny_product_people_cost_moves_to_other_products",
    } <= names
    assert len(declared) >= 20
