"""A small stand-in source for orchestration tests: two CSV-backed raw tables.

It follows connectors/README.md's reader interface exactly, so the landing and refresh
tests exercise the same code path a real source takes, without the demo company.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pyarrow as pa

from connectors.errors import SourceFileError
from connectors.registry import RawTable, ReadContext, Source

ITEMS = RawTable(
    name="fake__items",
    schema=pa.schema(
        [
            ("item_id", pa.string()),
            ("name", pa.string()),
            ("price", pa.float64()),
            ("owner_key", pa.string()),
            ("updated_at", pa.timestamp("us")),
            ("_source", pa.string()),
        ]
    ),
    key=("item_id",),
)
LINES = RawTable(
    name="fake__lines",
    schema=pa.schema([("line_number", pa.int64()), ("qty", pa.int64()), ("_source", pa.string())]),
    key=("_source", "line_number"),
)


def items(rows: list[dict], source: str = "fake/items.csv") -> pa.Table:
    """`fake__items` rows (dicts without `_source`) as the reader would return them."""
    return pa.Table.from_pylist([{**row, "_source": source} for row in rows], schema=ITEMS.schema)


def _read(context: ReadContext) -> dict[str, pa.Table]:
    folder = context.sources_dir / "fake"
    tables: dict[str, pa.Table] = {}
    items_csv = folder / "items.csv"
    if items_csv.exists():
        rows = []
        with items_csv.open(newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                try:
                    price = float(row["price"])
                except ValueError:
                    raise SourceFileError(items_csv, line, "price", "expected a number") from None
                rows.append(
                    {
                        "item_id": row["item_id"],
                        "name": row["name"],
                        "price": price,
                        "owner_key": context.pseudonymise(row["owner_email"]),
                        "updated_at": datetime.fromisoformat(row["updated_at"]),
                    }
                )
        tables[ITEMS.name] = items(rows)
    line_tables = []
    for path in sorted(folder.glob("lines_*.csv")):
        with path.open(newline="") as handle:
            qty = [int(row["qty"]) for row in csv.DictReader(handle)]
        line_tables.append(
            pa.Table.from_pylist(
                [
                    {
                        "line_number": n,
                        "qty": q,
                        "_source": str(path.relative_to(context.sources_dir)),
                    }
                    for n, q in enumerate(qty, start=1)
                ],
                schema=LINES.schema,
            )
        )
    if line_tables:
        tables[LINES.name] = pa.concat_tables(line_tables)
    return tables


FAKE_SOURCE = Source(name="fake", tables=(ITEMS, LINES), read=_read)


def write_items_csv(sources_dir: Path, rows: list[tuple]) -> None:
    """Write `fake/items.csv` rows of (item_id, name, price, owner_email, updated_at)."""
    folder = sources_dir / "fake"
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["item_id,name,price,owner_email,updated_at"]
    lines += [",".join(str(value) for value in row) for row in rows]
    (folder / "items.csv").write_text("\n".join(lines) + "\n")


def write_lines_csv(sources_dir: Path, name: str, quantities: list[int]) -> None:
    """Write `fake/lines_<name>.csv` with one `qty` per line."""
    folder = sources_dir / "fake"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"lines_{name}.csv").write_text("qty\n" + "".join(f"{q}\n" for q in quantities))
