"""The demo company in seeds/ read end to end: every table holds as many rows as the
generator says it wrote (seeds/truth.json["row_counts"], recorded independently of the
readers)."""

from __future__ import annotations

import json

import pytest
from connector_samples import PROJECT_ROOT

from connectors.pseudonymise import make_pseudonymiser
from connectors.registry import ReadContext
from connectors.sources import SOURCES

SEEDS = PROJECT_ROOT / "seeds"
TRUTH = SEEDS / "truth.json"


@pytest.fixture(scope="module")
def seed_tables() -> dict:
    if not TRUTH.is_file():
        pytest.skip("seeds/truth.json is absent (the demo company has not been generated)")
    context = ReadContext(sources_dir=SEEDS, pseudonymise=make_pseudonymiser(b"seeds-test"))
    tables = {}
    for source in SOURCES:
        tables.update(source.read(context))
    return tables


def test_every_table_has_the_rows_the_generator_wrote(seed_tables: dict) -> None:
    counts = json.loads(TRUTH.read_text())["row_counts"]
    compared = {
        name: (seed_tables[name].num_rows, counts[name]) for name in seed_tables if name in counts
    }
    mismatched = {name: pair for name, pair in compared.items() if pair[0] != pair[1]}
    assert mismatched == {}, "table: (rows read, rows written)"
    sources_covered = {name.split("__")[0] for name in compared}
    assert sources_covered >= {"catalog", "jira", "hr", "finance", "analytics", "roadmap", "okr"}


def test_seed_tables_match_their_schemas(seed_tables: dict) -> None:
    for source in SOURCES:
        for table in source.tables:
            assert seed_tables[table.name].schema == table.schema, table.name
