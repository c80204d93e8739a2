"""The generic OKR export (`okrs/objectives.csv`, `key_results.csv`, `checkins.csv`)
into `okr__objectives`, `okr__key_results` and `okr__checkins`.

Values the OKR maths depends on are checked here, with the line and column named:
`kind`, `kr_type`, and a check-in's `confidence` between 0 and 1.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa

from connectors import schemas
from connectors.arrow_tables import TableBuilder
from connectors.errors import SourceFileError
from connectors.source_files import iter_csv_rows, relative_name
from connectors.values import cell, parse_date, parse_number, required, text

OKR_DIR = Path("okrs")
OBJECTIVE_KINDS = ("committed", "aspirational")
KR_TYPES = ("increase_to", "decrease_to", "keep_above", "keep_below", "milestone")

OBJECTIVE_COLUMNS = (
    "objective_id",
    "title",
    "owner",
    "org_unit",
    "period",
    "period_start",
    "period_end",
    "parent_objective_id",
    "kind",
)
KEY_RESULT_COLUMNS = (
    "key_result_id",
    "objective_id",
    "title",
    "kr_type",
    "baseline",
    "target",
    "unit",
    "weight",
    "metric_binding",
)
CHECKIN_COLUMNS = ("key_result_id", "checkin_date", "value", "confidence", "note")


def _one_of(choices: tuple[str, ...]) -> Callable[[str | None], str | None]:
    def parse(value: str | None) -> str | None:
        cleaned = text(value)
        if cleaned is not None and cleaned not in choices:
            raise ValueError(f"expected one of {list(choices)}, got {cleaned!r}")
        return cleaned

    return parse


def _confidence(value: str | None) -> float | None:
    number = parse_number(value)
    if number is not None and not 0 <= number <= 1:
        raise ValueError(f"expected a confidence between 0 and 1, got {number}")
    return number


# Each column: (name, parser, required). Parsers raise ValueError saying what was expected.
_Spec = tuple[tuple[str, Callable[[str | None], Any], bool], ...]

OBJECTIVE_SPEC: _Spec = (
    ("objective_id", text, True),
    ("title", text, True),
    ("owner", text, False),
    ("org_unit", text, False),
    ("period", text, True),
    ("period_start", parse_date, True),
    ("period_end", parse_date, True),
    ("parent_objective_id", text, False),
    ("kind", _one_of(OBJECTIVE_KINDS), True),
)
KEY_RESULT_SPEC: _Spec = (
    ("key_result_id", text, True),
    ("objective_id", text, True),
    ("title", text, True),
    ("kr_type", _one_of(KR_TYPES), True),
    ("baseline", parse_number, False),
    ("target", parse_number, False),
    ("unit", text, False),
    ("weight", parse_number, False),
    ("metric_binding", text, False),
)
CHECKIN_SPEC: _Spec = (
    ("key_result_id", text, True),
    ("checkin_date", parse_date, True),
    ("value", parse_number, False),
    ("confidence", _confidence, False),
    ("note", text, False),
)


def read_okr_file(path: Path, source: str, table: schemas.RawTable, spec: _Spec) -> pa.Table:
    """One OKR CSV as `table`, each column parsed as `spec` says; keys must be unique."""
    builder = TableBuilder(table)
    seen: dict[tuple[Any, ...], int] = {}
    for line, values in iter_csv_rows(path, source, [name for name, _, _ in spec]):
        row: dict[str, Any] = {}
        for name, parse, needed in spec:
            value = cell(parse, values.get(name), source, line, name)
            row[name] = required(value, source, line, name) if needed else value
        key = tuple(row[k] for k in table.key)
        if key in seen:
            raise SourceFileError(
                source,
                line,
                None,
                f"expected unique {list(table.key)}; line {seen[key]} has the same",
            )
        seen[key] = line
        row["_source"] = source
        builder.add(row)
    return builder.finish()


_FILES = (
    ("objectives.csv", schemas.OKR_OBJECTIVES, OBJECTIVE_SPEC),
    ("key_results.csv", schemas.OKR_KEY_RESULTS, KEY_RESULT_SPEC),
    ("checkins.csv", schemas.OKR_CHECKINS, CHECKIN_SPEC),
)


def read_okr_folder(sources_dir: Path) -> dict[str, pa.Table]:
    """Every `okr__*` table from `<sources_dir>/okrs/` (empty for absent files)."""
    tables: dict[str, pa.Table] = {}
    for file_name, table, spec in _FILES:
        path = sources_dir / OKR_DIR / file_name
        if path.is_file():
            tables[table.name] = read_okr_file(path, relative_name(path, sources_dir), table, spec)
        else:
            tables[table.name] = table.schema.empty_table()
    return tables
