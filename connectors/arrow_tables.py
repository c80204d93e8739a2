"""Building typed Arrow tables row by row, in record batches of bounded size."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pyarrow as pa

from connectors.registry import RawTable


class TableBuilder:
    """Collects rows (dicts keyed by column name) into a table with a raw table's schema.

    Rows are buffered column-wise and converted to an Arrow record batch every
    `batch_rows` rows, so a large source never holds millions of Python dicts.
    """

    def __init__(self, table: RawTable, batch_rows: int = 50_000) -> None:
        self.table = table
        self._names = table.schema.names
        self._columns: list[list[object]] = []
        self._appenders: list[tuple[str, Callable[[object], None]]] = []
        self._new_columns()
        self._batches: list[pa.RecordBatch] = []
        self._batch_rows = batch_rows
        self.num_rows = 0

    def add(self, row: Mapping[str, object]) -> None:
        """Append one row; it must hold exactly the schema's columns."""
        if len(row) != len(self._names):
            extra = set(row) - set(self._names)
            missing = set(self._names) - set(row)
            raise KeyError(f"{self.table.name}: row has extra {extra} / missing {missing}")
        for name, append in self._appenders:
            append(row[name])
        self.num_rows += 1
        if len(self._columns[0]) >= self._batch_rows:
            self._flush()

    def _new_columns(self) -> None:
        self._columns = [[] for _ in self._names]
        self._appenders = [(n, c.append) for n, c in zip(self._names, self._columns, strict=True)]

    def _flush(self) -> None:
        if not self._columns[0]:
            return
        arrays = [
            pa.array(values, type=field.type)
            for values, field in zip(self._columns, self.table.schema, strict=True)
        ]
        self._batches.append(pa.RecordBatch.from_arrays(arrays, schema=self.table.schema))
        self._new_columns()

    def finish(self) -> pa.Table:
        """The rows so far as one `pa.Table` (empty, with the schema, if none)."""
        self._flush()
        return pa.Table.from_batches(self._batches, schema=self.table.schema)
