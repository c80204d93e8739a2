"""The quality gate of every raw table: Great Expectations suites run before landing.

Each table of the contract (connectors/README.md) gets one suite, grouped into named
checks that become blocking Dagster asset checks:

- `columns_and_types`: exactly the contract's columns, each holding the contract's type;
- `keys_not_null` and `keys_unique`: the natural key identifies every row once;
- `accepted_values`: closed vocabularies of the contract (`ACCEPTED_VALUES`);
- `value_ranges`: numbers that cannot be otherwise (`VALUE_RANGES`, e.g. fte in (0, 1.5]);
- `row_count_vs_previous`: a table may not shrink by more than `MAX_SHRINK` against the
  rows its previous successful load landed (a truncated or missing export). Rows fetched
  from an API (a URL in `_source`) are compared with nothing: API loads are incremental.

Tool status names (Jira, Aha!) are not gated: the catalog maps them and anything it
does not map lands on `unmapped`, visible on the data-health page, by design.

Great Expectations is imported on first validation only: it takes seconds to import.
`productops refresh` imports it in a worker process instead, while it starts up, and
validates there (ge_worker.py).
Batches are pandas frames (Arrow-backed) of the rows the reader returned.

Every row is checked, but not every row goes through pandas. A table of up to
`GE_EVERY_ROW` rows is validated by Great Expectations row by row. A larger one is first
screened set-based in DuckDB over all its rows (quality_screen.py); if the screen finds
nothing, Great Expectations runs the suite (bar the row count, which the screen checked)
on `GE_SAMPLE_ROWS` rows spread over the table, which also settles the schema checks,
since a column holds one type in every row. If the screen or that sample run finds
anything, Great Expectations validates every row and its results are the outcomes, so
failure messages and sample rows are always those of the whole export. A spilled export
(connectors/spilled.py) of more than `GE_IN_MEMORY_ROWS` rows is not handed to pandas
whole: Great Expectations validates its suspect rows instead (every row breaking a
row-level rule or sharing its key's hash; quality_screen.suspect_rows), which hold every
offending row, so the counts and sample rows are still those of the whole export.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd
import pyarrow as pa

from connectors.registry import RawTable
from connectors.spilled import RawRows, SpilledTable, distinct_sources

MAX_SHRINK = 0.5
SAMPLE_ROWS = 3
# Measured at scale m: GE took 4.3 CPU s on 2.4M Jira changes (a third of it hashing the
# frame for a batch id), screen + GE on the sample 0.9 s. GE's own cost per table is
# ~0.1 s, so below GE_EVERY_ROW rows it validates every row itself.
GE_EVERY_ROW = 50_000
GE_SAMPLE_ROWS = 10_000
# A spilled export (connectors/spilled.py) above this many rows is never handed to pandas
# whole: when something fails, Great Expectations judges the rows the screen suspects,
# at most GE_SUSPECT_ROWS of them (the rest are counted as "at least").
GE_IN_MEMORY_ROWS = 5_000_000
GE_SUSPECT_ROWS = 200_000
# Shown as "<restricted>" in failure samples: samples reach logs and the data-health page.
RESTRICTED_COLUMNS = {"annual_salary"}

COLUMNS_AND_TYPES = "columns_and_types"
KEYS_NOT_NULL = "keys_not_null"
KEYS_UNIQUE = "keys_unique"
ACCEPTED = "accepted_values"
RANGES = "value_ranges"
ROW_COUNT = "row_count_vs_previous"

_STATUS_CATEGORIES = ("new", "indeterminate", "done")
_INVESTMENT_CATEGORIES = ("new_capability", "customer_commitment", "ktlo", "tech_investment")

ACCEPTED_VALUES: dict[str, dict[str, tuple[str, ...]]] = {
    "catalog__product_mappings": {"kind": ("jira_project", "sku", "cost_centre")},
    "catalog__status_map": {
        # tool is open: each roadmap export may name its own tool and status map
        "meaning": ("new", "in_progress", "done", "accepted", "declined", "delivered"),
    },
    "catalog__category_rules": {
        "kind": ("jira_issue_type", "jira_label"),
        "category": _INVESTMENT_CATEGORIES,
    },
    "catalog__target_shares": {"category": _INVESTMENT_CATEGORIES},
    "catalog__teams": {"default_category": _INVESTMENT_CATEGORIES},
    "jira__statuses": {"status_category": _STATUS_CATEGORIES},
    "jira__issues": {"status_category": _STATUS_CATEGORIES},
    "roadmap__history": {
        "item_type": ("idea", "feature"),
        "field": ("workflow_status", "release"),
    },
    "okr__objectives": {"kind": ("committed", "aspirational")},
    "okr__key_results": {
        "kr_type": ("increase_to", "decrease_to", "keep_above", "keep_below", "milestone")
    },
}


@dataclass(frozen=True)
class Range:
    """Allowed values of a numeric column; None is unbounded, `strict_*` excludes the bound."""

    low: float | None = None
    high: float | None = None
    strict_low: bool = False
    strict_high: bool = False

    def describe(self) -> str:
        """The interval in mathematical notation, e.g. `(0, 1.5]`."""
        left = "(" if self.strict_low or self.low is None else "["
        right = ")" if self.strict_high or self.high is None else "]"
        low = "-inf" if self.low is None else f"{self.low:g}"
        high = "inf" if self.high is None else f"{self.high:g}"
        return f"{left}{low}, {high}{right}"


POSITIVE = Range(low=0, strict_low=True)
NON_NEGATIVE = Range(low=0)
SHARE = Range(low=0, high=1)

VALUE_RANGES: dict[str, dict[str, Range]] = {
    "hr__employees": {"fte": Range(low=0, high=1.5, strict_low=True)},
    "hr__compensation": {"annual_salary": POSITIVE},
    "finance__fx_rates": {"rate": POSITIVE},
    "jira__issues": {"story_points": NON_NEGATIVE},
    "okr__checkins": {"confidence": SHARE},
    "okr__key_results": {"weight": NON_NEGATIVE},
    "catalog__loading_factors": {"loading_factor": POSITIVE},
    "catalog__target_shares": {"target_share": SHARE},
}


@dataclass(frozen=True)
class CheckOutcome:
    """One named check of one raw table: passed or not, why, and sample failing rows."""

    table: str
    check: str
    passed: bool
    failures: tuple[str, ...] = ()
    sample_rows: tuple[dict[str, Any], ...] = ()

    def message(self) -> str:
        """`raw.<table>: <check> failed: <what>; sample rows: [...]` (or `passed`)."""
        head = f"raw.{self.table}: {self.check}"
        if self.passed:
            return f"{head} passed"
        text = f"{head} failed: {'; '.join(self.failures)}"
        if self.sample_rows:
            text += f"; sample rows: {list(self.sample_rows)}"
        return text


class QualityGateFailed(RuntimeError):
    """A source's export failed a blocking check; nothing of it was landed."""

    def __init__(self, source: str, failed: Sequence[CheckOutcome]) -> None:
        self.source = source
        self.failed = tuple(failed)
        lines = "\n".join(outcome.message() for outcome in self.failed)
        super().__init__(
            f"{len(self.failed)} blocking check(s) failed for source {source!r}, "
            f"nothing landed:\n{lines}"
        )


def check_names(table: RawTable) -> list[str]:
    """The blocking checks `table` gets, in the order they are reported."""
    names = [COLUMNS_AND_TYPES, KEYS_NOT_NULL, KEYS_UNIQUE]
    if table.name in ACCEPTED_VALUES:
        names.append(ACCEPTED)
    if table.name in VALUE_RANGES:
        names.append(RANGES)
    names.append(ROW_COUNT)
    return names


def check_description(table: RawTable, check: str) -> str:
    """What `check` asserts about `table`, for the Dagster UI."""
    if check == COLUMNS_AND_TYPES:
        return f"exactly the contract's {len(table.schema)} columns, each of its type"
    if check == KEYS_NOT_NULL:
        return f"no null in the natural key ({', '.join(table.key)})"
    if check == KEYS_UNIQUE:
        return f"one row per natural key ({', '.join(table.key)})"
    if check == ACCEPTED:
        rules = ACCEPTED_VALUES[table.name]
        return "; ".join(f"{column} in {list(values)}" for column, values in rules.items())
    if check == RANGES:
        rules = VALUE_RANGES[table.name]
        return "; ".join(f"{column} in {rng.describe()}" for column, rng in rules.items())
    if check == ROW_COUNT:
        return f"at least {1 - MAX_SHRINK:.0%} of the rows the previous load landed"
    raise KeyError(check)


def python_type_name(arrow_type: pa.DataType) -> str:
    """The value type Great Expectations observes in an Arrow-backed pandas column."""
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "str"
    if pa.types.is_integer(arrow_type):
        return "int"
    if pa.types.is_floating(arrow_type):
        return "float"
    if pa.types.is_boolean(arrow_type):
        return "bool"
    if pa.types.is_timestamp(arrow_type):
        return "datetime"
    if pa.types.is_date(arrow_type):
        return "date"
    raise TypeError(f"no quality rule for Arrow type {arrow_type}")


def comparable_previous(rows: RawRows, previous_count: int | None) -> int | None:
    """`previous_count`, or None when `rows` came from an API: an incremental fetch
    (only what changed since the last one) is no sign of a truncated export."""
    sources = distinct_sources(rows)
    if any(str(value).startswith(("http://", "https://")) for value in sources):
        return None
    return previous_count


def minimum_rows(previous_count: int | None) -> int:
    """The fewest rows a load may land after one that landed `previous_count`."""
    if not previous_count:
        return 0
    return math.ceil(previous_count * (1 - MAX_SHRINK))


def _expectations(
    table: RawTable, present: Sequence[str], previous_count: int | None, row_count: bool = True
) -> list[Any]:
    import great_expectations as gx

    expect = gx.expectations
    out: list[Any] = [
        expect.ExpectTableColumnsToMatchSet(
            column_set=list(table.schema.names),
            exact_match=True,
            meta={"check": COLUMNS_AND_TYPES},
        )
    ]
    # Rules on a missing column would only raise; the column-set expectation names it.
    for field in table.schema:
        if field.name in present:
            out.append(
                expect.ExpectColumnValuesToBeOfType(
                    column=field.name,
                    type_=python_type_name(field.type),
                    meta={"check": COLUMNS_AND_TYPES},
                )
            )
    keys = [column for column in table.key if column in present]
    for column in keys:
        out.append(
            expect.ExpectColumnValuesToNotBeNull(column=column, meta={"check": KEYS_NOT_NULL})
        )
    if len(keys) == 1:
        out.append(expect.ExpectColumnValuesToBeUnique(column=keys[0], meta={"check": KEYS_UNIQUE}))
    elif keys:
        out.append(
            expect.ExpectCompoundColumnsToBeUnique(column_list=keys, meta={"check": KEYS_UNIQUE})
        )
    for column, values in ACCEPTED_VALUES.get(table.name, {}).items():
        if column in present:
            out.append(
                expect.ExpectColumnValuesToBeInSet(
                    column=column, value_set=list(values), meta={"check": ACCEPTED}
                )
            )
    for column, rng in VALUE_RANGES.get(table.name, {}).items():
        if column in present:
            out.append(
                expect.ExpectColumnValuesToBeBetween(
                    column=column,
                    min_value=rng.low,
                    max_value=rng.high,
                    strict_min=rng.strict_low,
                    strict_max=rng.strict_high,
                    meta={"check": RANGES, "range": rng.describe()},
                )
            )
    if row_count:
        out.append(
            expect.ExpectTableRowCountToBeBetween(
                min_value=minimum_rows(previous_count),
                meta={"check": ROW_COUNT, "previous": previous_count},
            )
        )
    return out


@cache
def _batch_definition() -> Any:
    """One in-memory Great Expectations context per process, with a pandas frame asset."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        # No usage statistics leave the machine; no progress bars in the refresh's output.
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    context = gx.get_context(mode="ephemeral", project_config=config)
    asset = context.data_sources.add_pandas("raw_exports").add_dataframe_asset("rows")
    return asset.add_batch_definition_whole_dataframe("whole_export")


def _typed(table: RawTable, rows: RawRows) -> RawRows:
    # An all-null column may arrive untyped; landing casts it, so the gate does too. A
    # spilled table was written in its declared schema.
    if isinstance(rows, SpilledTable):
        return rows
    for index, name in enumerate(rows.schema.names):
        wanted = table.schema.field(name).type if name in table.schema.names else None
        if wanted is not None and pa.types.is_null(rows.schema.field(index).type):
            rows = rows.set_column(index, name, rows.column(index).cast(wanted))
    return rows


def spread_sample(rows: RawRows, size: int) -> pa.Table:
    """`size` rows taken at even steps from first to last (every file contributes)."""
    if rows.num_rows <= size:
        return rows
    step = rows.num_rows / size
    return rows.take(pa.array([int(i * step) for i in range(size)], pa.int64()))


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def sample_rows(
    frame: pd.DataFrame, table: RawTable, indexes: Sequence[int], columns: Sequence[str]
) -> tuple[dict[str, Any], ...]:
    """Up to `SAMPLE_ROWS` failing rows, key and checked columns first, restricted masked."""
    shown = [c for c in dict.fromkeys([*table.key, *columns, *frame.columns]) if c in frame]
    rows = []
    for index in list(indexes)[:SAMPLE_ROWS]:
        record = frame.iloc[int(index)]
        rows.append(
            {
                column: "<restricted>" if column in RESTRICTED_COLUMNS else _plain(record[column])
                for column in shown
            }
        )
    return tuple(rows)


def _failure_text(
    kind: str, kwargs: Mapping[str, Any], result: Mapping[str, Any], meta: Mapping
) -> str:
    column = kwargs.get("column")
    unexpected = result.get("unexpected_count")
    total = result.get("element_count")
    if kind == "expect_table_columns_to_match_set":
        observed = set(result.get("observed_value") or [])
        wanted = set(kwargs.get("column_set") or [])
        parts = []
        if wanted - observed:
            parts.append(f"missing columns {sorted(wanted - observed)}")
        if observed - wanted:
            parts.append(f"unexpected columns {sorted(observed - wanted)}")
        return ", ".join(parts) or "columns differ from the contract"
    if kind == "expect_column_values_to_be_of_type":
        return (
            f"column {column!r} holds {result.get('observed_value')}, "
            f"the contract says {kwargs.get('type_')}"
        )
    if kind == "expect_column_values_to_not_be_null":
        return f"{unexpected} of {total} rows have no {column!r}"
    if kind in ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"):
        key = column or ", ".join(kwargs.get("column_list") or [])
        return f"{unexpected} of {total} rows share a key ({key}) with another row"
    if kind == "expect_column_values_to_be_in_set":
        values = sorted({str(v) for v in result.get("partial_unexpected_list") or []})
        return (
            f"{unexpected} of {total} rows have {column!r} outside "
            f"{list(kwargs.get('value_set') or [])}: {values}"
        )
    if kind == "expect_column_values_to_be_between":
        return f"{unexpected} of {total} rows have {column!r} outside {meta.get('range')}"
    if kind == "expect_table_row_count_to_be_between":
        return (
            f"{result.get('observed_value')} rows, fewer than {kwargs.get('min_value')} "
            f"(the previous load landed {meta.get('previous')}; at most "
            f"{MAX_SHRINK:.0%} shrinkage is accepted)"
        )
    return f"{kind} failed on {column or 'the table'}"


def validate_table(
    table: RawTable,
    rows: RawRows,
    previous_count: int | None,
    ge_every_row: int = GE_EVERY_ROW,
) -> list[CheckOutcome]:
    """Run `table`'s suite on the rows a reader returned; one outcome per `check_names`.

    `previous_count` is what the table's previous successful load landed (None: never).
    Above `ge_every_row` rows a clean export is screened set-based and sampled by Great
    Expectations; anything either finds is reported from a validation of every row.
    An empty batch that the screen passes (columns, types and row count: all there is to
    judge without rows) skips Great Expectations, which costs 0.1-1 s per table even
    then; an incremental refresh lands most tables empty.
    """
    # Imported here: the screen reads this module's rules.
    from orchestration.defs.sources.quality_screen import screen

    rows = _typed(table, rows)
    if rows.num_rows == 0 and not screen(table, rows, previous_count):
        return [
            CheckOutcome(table=table.name, check=check, passed=True) for check in check_names(table)
        ]
    if rows.num_rows > ge_every_row and not screen(table, rows, previous_count):
        sampled = _validate_with_ge(
            table, spread_sample(rows, GE_SAMPLE_ROWS), previous_count, row_count=False
        )
        if all(outcome.passed for outcome in sampled):
            return sampled
    if isinstance(rows, SpilledTable) and rows.num_rows > GE_IN_MEMORY_ROWS:
        return _validate_suspects(table, rows, previous_count)
    return _validate_with_ge(table, rows, previous_count)


def _validate_suspects(
    table: RawTable, rows: SpilledTable, previous_count: int | None, limit: int = GE_SUSPECT_ROWS
) -> list[CheckOutcome]:
    """Great Expectations' verdict on a spilled export too big for pandas, from its
    suspect rows (quality_screen.suspect_rows): they hold every row a rule fails on, so
    each failure counts the same offending rows of the same whole export, and shows the
    same sample rows. Past `limit` suspects the counts are lower bounds ("at least")."""
    from orchestration.defs.sources.quality_screen import suspect_rows

    suspects, truncated = suspect_rows(table, rows, limit)
    outcomes = _validate_with_ge(
        table, suspects, previous_count, row_count=False, of_rows=(rows.num_rows, truncated)
    )
    if rows.num_rows >= minimum_rows(previous_count):
        return outcomes
    text = _failure_text(
        "expect_table_row_count_to_be_between",
        {"min_value": minimum_rows(previous_count)},
        {"observed_value": rows.num_rows},
        {"previous": previous_count},
    )
    return [
        CheckOutcome(table.name, ROW_COUNT, passed=False, failures=(text,))
        if outcome.check == ROW_COUNT
        else outcome
        for outcome in outcomes
    ]


def warm_up_great_expectations() -> None:
    """Import Great Expectations and build this process's context now, not at the first batch."""
    _batch_definition()


def _validate_with_ge(
    table: RawTable,
    rows: RawRows,
    previous_count: int | None,
    row_count: bool = True,
    of_rows: tuple[int, bool] | None = None,
) -> list[CheckOutcome]:
    """Great Expectations' verdict on every row of `rows` (without the row count check
    when `row_count` is False: a sample's size says nothing of the export's).

    `of_rows` = (the export's row count, whether `rows` were cut short): `rows` are the
    suspect rows of a bigger export, so messages count its rows, and a cut-short set's
    offending rows are "at least" so many.

    Runs in the refresh's Great Expectations worker when one is running (ge_worker.py;
    the worker itself runs this function with none).
    """
    from orchestration.defs.sources.ge_worker import active_worker

    worker = active_worker()
    if worker is not None:
        outcomes = worker.validate((table, rows, previous_count, row_count, of_rows))
        if outcomes is not None:
            return outcomes
    frame = rows.to_pandas(types_mapper=pd.ArrowDtype)
    import great_expectations as gx

    suite = gx.ExpectationSuite(
        name=f"raw.{table.name}",
        expectations=_expectations(table, list(frame.columns), previous_count, row_count),
    )
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})
    results = batch.validate(suite, result_format="SUMMARY").results
    failures: dict[str, list[str]] = {}
    samples: dict[str, list[dict[str, Any]]] = {}
    for result in results:
        config = result.expectation_config
        check = config.meta["check"]
        if result.success:
            continue
        details = dict(result.result or {})
        if result.exception_info and result.exception_info.get("raised_exception"):
            text = f"{config.type} could not run: {result.exception_info.get('exception_message')}"
        else:
            if of_rows is not None and "element_count" in details:
                total, truncated = of_rows
                details["element_count"] = total
                if truncated:
                    details["unexpected_count"] = f"at least {details.get('unexpected_count')}"
            text = _failure_text(config.type, config.kwargs, details, config.meta)
        failures.setdefault(check, []).append(text)
        indexes = details.get("partial_unexpected_index_list") or []
        columns = [config.kwargs["column"]] if config.kwargs.get("column") else []
        columns += list(config.kwargs.get("column_list") or [])
        taken = samples.setdefault(check, [])
        for row in sample_rows(frame, table, indexes, columns):
            if len(taken) < SAMPLE_ROWS:
                taken.append(row)
    return [
        CheckOutcome(
            table=table.name,
            check=check,
            passed=check not in failures,
            failures=tuple(failures.get(check, ())),
            sample_rows=tuple(samples.get(check, ())),
        )
        for check in check_names(table)
    ]
