"""Raw tables too big to hold in memory: Arrow files on disk, read batch by batch.

A reader of a big export (Jira's issue pages, analytics events) given a spill folder
(`ReadContext.spill_dir`) writes its rows there as it makes them, instead of returning
one Arrow table: at 100M events that table alone would be ~19 GB. The quality gate and
the landing read a `SpilledTable` through DuckDB, which scans its files in batches
under its memory limit, so the landing's memory does not grow with the export.

Files are Arrow IPC (Feather v2) with LZ4 buffers: writing one costs little more than a
copy, and DuckDB and pyarrow's datasets read them without a conversion. A spilled table
answers the questions the gate and the landing ask of a table (`num_rows`, `schema`,
`take`, the files its rows came from, the nulls in a column) without reading its rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
from pyarrow import ipc

# LZ4 rather than ZSTD: a third of the size of the raw buffers for Jira's and
# Amplitude's text at a fraction of ZSTD's CPU time, and the landing reads it back once.
_WRITE_OPTIONS = ipc.IpcWriteOptions(compression="lz4")
SOURCE_COLUMN = "_source"


@dataclass(frozen=True)
class SpilledTable:
    """A table whose rows are in Arrow IPC files, in order; what is known without reading.

    `sources`: the distinct non-null `_source` values; `null_counts`: nulls per column.
    """

    files: tuple[Path, ...]
    schema: pa.Schema
    num_rows: int
    sources: frozenset[str] = frozenset()
    null_counts: dict[str, int] = field(default_factory=dict)

    def dataset(self) -> ds.Dataset:
        """A pyarrow dataset over the files (DuckDB scans it in batches)."""
        if not self.files:
            return ds.dataset(self.schema.empty_table())
        return ds.dataset([str(path) for path in self.files], schema=self.schema, format="ipc")

    def take(self, indices: pa.Array | Sequence[int]) -> pa.Table:
        """The rows at `indices` (positions in file order), as an Arrow table."""
        wanted = indices if isinstance(indices, pa.Array) else pa.array(indices, pa.int64())
        return self.dataset().take(wanted)

    def to_batches(self) -> Iterator[pa.RecordBatch]:
        """Every row, a batch at a time, in file order."""
        for path in self.files:
            with pa.memory_map(str(path)) as source:
                reader = ipc.open_file(source)
                for index in range(reader.num_record_batches):
                    yield reader.get_batch(index)

    def to_table(self) -> pa.Table:
        """Every row in memory: only for paths that need a whole table (an error report)."""
        return pa.Table.from_batches(list(self.to_batches()), self.schema)

    def column(self, name: str) -> pa.ChunkedArray:
        """One column in memory (the others are not read)."""
        return self.dataset().to_table(columns=[name]).column(0)

    def to_pandas(self, **kwargs: Any) -> Any:
        """`to_table().to_pandas(...)`."""
        return self.to_table().to_pandas(**kwargs)


RawRows = pa.Table | SpilledTable


class TableSpool:
    """Writes a table's rows to files under `folder` as they come; `finish()` hands them over.

    Every batch is cast to `schema` (an untyped all-null column takes the contract's
    type), so the landing can trust the files' schema.
    """

    def __init__(self, folder: Path, name: str, schema: pa.Schema) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._folder = folder
        self._name = name
        self.schema = schema
        self._files: list[Path] = []
        self._writer: ipc.RecordBatchFileWriter | None = None
        self._rows = 0
        self._sources: set[str] = set()
        self._nulls = dict.fromkeys(schema.names, 0)

    def new_file(self) -> None:
        """Close the current file; the next rows go to a new one (one file per part)."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def _open(self) -> ipc.RecordBatchFileWriter:
        if self._writer is None:
            path = self._folder / f"{self._name}.{len(self._files):05d}.arrow"
            self._files.append(path)
            self._writer = ipc.new_file(str(path), self.schema, options=_WRITE_OPTIONS)
        return self._writer

    def write(self, rows: pa.Table | pa.RecordBatch) -> None:
        """Append `rows` (a table or a batch with the schema's columns)."""
        if rows.num_rows == 0:
            return
        if isinstance(rows, pa.RecordBatch):
            rows = pa.Table.from_batches([rows])
        rows = _cast(rows, self.schema)
        writer = self._open()
        writer.write_table(rows)
        self._rows += rows.num_rows
        for name in self.schema.names:
            self._nulls[name] += rows.column(name).null_count
        if SOURCE_COLUMN in self.schema.names:
            self._sources.update(
                v for v in pc.unique(rows.column(SOURCE_COLUMN)).to_pylist() if v is not None
            )

    def write_all(self, batches: Iterable[pa.RecordBatch | pa.Table]) -> None:
        """`write` each of `batches`."""
        for batch in batches:
            self.write(batch)

    def discard(self) -> None:
        """Close and delete every file written (a read that failed half-way)."""
        self.new_file()
        for path in self._files:
            path.unlink(missing_ok=True)
        self._files.clear()
        self._rows = 0

    def finish(self) -> SpilledTable:
        """The spilled table of every row written (the last file is closed)."""
        self.new_file()
        return SpilledTable(
            files=tuple(self._files),
            schema=self.schema,
            num_rows=self._rows,
            sources=frozenset(self._sources),
            null_counts=dict(self._nulls),
        )


def _cast(rows: pa.Table, schema: pa.Schema) -> pa.Table:
    if rows.schema.equals(schema):
        return rows
    return pa.Table.from_arrays(
        [rows.column(name).cast(f.type) for name, f in zip(schema.names, schema, strict=True)],
        schema=schema,
    )


def spill(folder: Path, name: str, rows: pa.Table) -> SpilledTable:
    """`rows` written to one file under `folder`: a spilled table of exactly those rows."""
    spool = TableSpool(folder, name, rows.schema)
    spool.write(rows)
    return spool.finish()


def concat_rows(parts: Sequence[RawRows], spill_dir: Path | None = None) -> RawRows:
    """The rows of `parts`, in order: an Arrow table, or a spilled table if any part is.

    An in-memory part joining spilled ones is written to `spill_dir` first.
    """
    if not any(isinstance(part, SpilledTable) for part in parts):
        return pa.concat_tables(parts)
    schema = next(part.schema for part in parts if isinstance(part, SpilledTable))
    spilled: list[SpilledTable] = []
    for part in parts:
        if isinstance(part, SpilledTable):
            spilled.append(part)
        elif part.num_rows:
            if spill_dir is None:
                raise ValueError("joining in-memory rows to spilled ones needs a spill folder")
            spool = TableSpool(spill_dir, f"joined-{uuid.uuid4().hex}", schema)
            spool.write(part)
            spilled.append(spool.finish())
    for part in spilled[1:]:
        if not part.schema.equals(schema):
            raise ValueError(f"spilled parts differ in schema: {part.schema} != {schema}")
    return SpilledTable(
        files=tuple(path for part in spilled for path in part.files),
        schema=schema,
        num_rows=sum(part.num_rows for part in spilled),
        sources=frozenset().union(*(part.sources for part in spilled)),
        null_counts={
            name: sum(part.null_counts.get(name, 0) for part in spilled) for name in schema.names
        },
    )


def distinct_sources(rows: RawRows) -> list[str]:
    """The distinct non-null `_source` values of `rows` (none when it has no such column)."""
    if isinstance(rows, SpilledTable):
        return sorted(rows.sources)
    if SOURCE_COLUMN not in rows.schema.names or rows.num_rows == 0:
        return []
    return pc.unique(rows.column(SOURCE_COLUMN)).drop_null().to_pylist()


def null_count(rows: RawRows, column: str) -> int:
    """How many of `rows` have no `column`."""
    if isinstance(rows, SpilledTable):
        return rows.null_counts[column]
    return rows.column(column).null_count


def scannable(rows: RawRows) -> pa.Table | ds.Dataset:
    """What DuckDB's `register` scans: the table, or a spilled table's dataset."""
    return rows.dataset() if isinstance(rows, SpilledTable) else rows
