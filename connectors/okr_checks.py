"""Checks across the OKR tables, whichever inputs they came from (CSV, XLSX, Productboard).

A key result whose target equals its baseline cannot show progress for `increase_to`
or `decrease_to`; a check-in of a key result that does not exist, or a key result of an
objective that does not exist, would vanish from every score. Each is an error naming
the source, the record and the field, so the refresh stops before anything lands.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa

from connectors import schemas
from connectors.errors import SourceFileError

DIRECTIONAL = ("increase_to", "decrease_to")


def combine(parts: list[Mapping[str, pa.Table]]) -> dict[str, pa.Table]:
    """The `okr__*` tables of several inputs concatenated; a key in two inputs is an error."""
    combined: dict[str, pa.Table] = {}
    for table in schemas.OKR_TABLES:
        pieces = [part[table.name] for part in parts if table.name in part]
        merged = pa.concat_tables(pieces) if pieces else table.schema.empty_table()
        seen: dict[tuple[object, ...], str] = {}
        for row in merged.select([*table.key, "_source"]).to_pylist():
            key = tuple(row[k] for k in table.key)
            if key in seen and seen[key] != row["_source"]:
                raise SourceFileError(
                    row["_source"],
                    None,
                    table.key[0],
                    f"{dict(zip(table.key, key, strict=True))} is also in {seen[key]}; "
                    "keep each OKR record in one input",
                )
            seen[key] = row["_source"]
        combined[table.name] = merged
    return combined


def check_okrs(tables: Mapping[str, pa.Table]) -> None:
    """Raise `SourceFileError` for the first record the OKR maths cannot use."""
    objective_ids = set(tables[schemas.OKR_OBJECTIVES.name].column("objective_id").to_pylist())
    key_results = tables[schemas.OKR_KEY_RESULTS.name].to_pylist()
    for row in key_results:
        where = f"key_result_id {row['key_result_id']!r}"
        directional = row["kr_type"] in DIRECTIONAL
        if directional and row["baseline"] is not None and row["baseline"] == row["target"]:
            raise SourceFileError(
                row["_source"],
                None,
                "target",
                f"{where} ({row['kr_type']}) has target {row['target']} equal to its "
                "baseline: progress cannot be measured",
            )
        if objective_ids and row["objective_id"] not in objective_ids:
            raise SourceFileError(
                row["_source"],
                None,
                "objective_id",
                f"{where} belongs to objective {row['objective_id']!r}, which no input holds",
            )
    key_result_ids = {row["key_result_id"] for row in key_results}
    if not key_result_ids:
        return
    for row in tables[schemas.OKR_CHECKINS.name].to_pylist():
        if row["key_result_id"] not in key_result_ids:
            raise SourceFileError(
                row["_source"],
                None,
                "key_result_id",
                f"the check-in of {row['checkin_date']} is for key result "
                f"{row['key_result_id']!r}, which no input holds",
            )
