"""The quality gate's set-based screen: every row-level rule of a suite as one DuckDB query.

Great Expectations on a pandas frame costs seconds per million rows (it hashes the whole
frame to fingerprint the batch, then runs each expectation in its own pass) and holds a
pandas copy of the table. The screen instead runs the suite's row-level rules (natural
key not null and unique, closed vocabularies, value ranges) and the row count over the
Arrow table itself, registered zero-copy in an in-memory DuckDB, in one scan plus one
GROUP BY for the key.

The screen only says which checks *may* fail, and errs on the strict side (a NULL in a
compound key counts as a duplicate, NaN is out of every range): Great Expectations stays
the judge of record and, whenever the screen or its own sample run finds anything,
validates every row and writes the failure messages (quality.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa

from connectors.registry import RawTable
from connectors.spilled import RawRows, scannable
from orchestration.defs.sources.quality import (
    ACCEPTED,
    ACCEPTED_VALUES,
    COLUMNS_AND_TYPES,
    KEYS_NOT_NULL,
    KEYS_UNIQUE,
    RANGES,
    ROW_COUNT,
    VALUE_RANGES,
    Range,
    minimum_rows,
    python_type_name,
)
from orchestration.settings import get_settings


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _type_name(arrow_type: pa.DataType) -> str | None:
    try:
        return python_type_name(arrow_type)
    except TypeError:
        return None


def schema_differs(table: RawTable, rows: RawRows) -> bool:
    """Whether `rows` lacks a contract column, has another, or holds another kind of value."""
    if set(rows.schema.names) != set(table.schema.names):
        return True
    return any(
        _type_name(rows.schema.field(field.name).type) != python_type_name(field.type)
        for field in table.schema
    )


def _outside(column: str, rng: Range) -> str:
    """SQL true for a non-null value outside `rng`; NaN is outside every range."""
    inside = []
    if rng.low is not None:
        inside.append(f"{column} {'>' if rng.strict_low else '>='} {rng.low!r}")
    if rng.high is not None:
        inside.append(f"{column} {'<' if rng.strict_high else '<='} {rng.high!r}")
    within = " AND ".join(inside) or "TRUE"
    return f"{column} IS NOT NULL AND (isnan(CAST({column} AS DOUBLE)) OR NOT ({within}))"


def _row_rules(table: RawTable, keys: Sequence[str]) -> list[tuple[str, str]]:
    """(check, SQL count of the rows breaking one rule) for every row-level rule."""
    rules = [(KEYS_NOT_NULL, f"count(*) FILTER (WHERE {_quote(k)} IS NULL)") for k in keys]
    if keys:
        # Grouping by the key's 64-bit hash takes ~40% less memory and time than by the
        # key (measured on 2.4M Jira changes); a collision only sends the table to GE.
        hashed = f"hash({', '.join(_quote(k) for k in keys)})"
        repeated = f"SELECT 1 FROM batch GROUP BY {hashed} HAVING count(*) > 1"
        rules.append((KEYS_UNIQUE, f"(SELECT count(*) FROM ({repeated}) AS repeated)"))
    for column, values in ACCEPTED_VALUES.get(table.name, {}).items():
        allowed = ", ".join(_literal(v) for v in values)
        outside = f"{_quote(column)} IS NOT NULL AND {_quote(column)} NOT IN ({allowed})"
        rules.append((ACCEPTED, f"count(*) FILTER (WHERE {outside})"))
    for column, rng in VALUE_RANGES.get(table.name, {}).items():
        rules.append((RANGES, f"count(*) FILTER (WHERE {_outside(_quote(column), rng)})"))
    return rules


def screen(table: RawTable, rows: RawRows, previous_count: int | None) -> set[str]:
    """The checks of `table`'s suite that may fail on `rows`, judged over every row.

    `rows` holds the contract's column types (all-null columns already cast); a schema
    that differs is reported as `columns_and_types` without looking at values.
    """
    if schema_differs(table, rows):
        return {COLUMNS_AND_TYPES}
    failing = set()
    if rows.num_rows < minimum_rows(previous_count):
        failing.add(ROW_COUNT)
    rules = _row_rules(table, list(table.key))
    if not rules or rows.num_rows == 0:
        return failing
    # Under the landing's memory limit: the key's GROUP BY over a spilled table of tens
    # of millions of rows spills to disk instead of growing.
    con = duckdb.connect(":memory:", config={"memory_limit": get_settings().duckdb_memory_limit})
    try:
        con.execute("SET enable_progress_bar = false")
        con.register("batch", scannable(rows))
        counts = con.execute(f"SELECT {', '.join(sql for _, sql in rules)} FROM batch").fetchone()
    finally:
        con.close()
    failing.update(check for (check, _), count in zip(rules, counts, strict=True) if count)
    return failing
