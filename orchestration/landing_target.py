"""Where the landing step writes: the settings' engine, behind one small interface.

`PRODUCTOPS_TARGET=duckdb` (the default) lands in the working DuckDB file
(orchestration/warehouse.py); `postgres` lands in the PostgreSQL warehouse
(orchestration/warehouse_postgres.py). The landing asset and the quality gate use only
`open_landing()`, so the merge-by-key, deletion and load-history rules are the same on both.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from connectors.registry import RawTable
from connectors.spilled import RawRows
from orchestration import warehouse as duck
from orchestration import warehouse_postgres as pg
from orchestration.defs.sources import file_manifest, load_history, upstream_deletes
from orchestration.defs.sources.file_manifest import LandedFile, ReadPlan
from orchestration.settings import Settings, get_settings


class LandingTarget(Protocol):
    """What landing needs of a warehouse engine."""

    def land(self, raw_table: RawTable, rows: RawRows, batch_id: str, loaded_at: datetime) -> int:
        """Merge `rows` into `raw.<table>` by natural key; return how many landed."""
        ...

    def delete_gone_rows(self, raw_table: RawTable, keys: pa.Table) -> int:
        """Delete the rows matching `keys`, gone at the source; return how many."""
        ...

    def record_loads(self, records: Iterable[Any]) -> None:
        """Append `LoadRecord`s to `meta.raw_loads`."""
        ...

    def previous_counts(self) -> dict[str, int]:
        """Each raw table's row count in its latest recorded load that read every file."""
        ...

    def previous_exported(self) -> dict[str, datetime | None]:
        """Each raw table's `exported_at` in its latest recorded load."""
        ...

    def rows_from_files(self, raw_table: RawTable, sources: list[str]) -> int:
        """How many rows of `raw.<table>` came from the files `sources`."""
        ...

    def landed_files(self, source: str) -> tuple[str | None, dict[str, LandedFile]]:
        """The read context and files `source`'s last file landing recorded."""
        ...

    def record_files(self, plan: ReadPlan, batch_id: str) -> None:
        """Replace `source`'s file manifest (file_manifest.py) with `plan`'s files."""
        ...

    def transaction(self) -> AbstractContextManager[None]:
        """One transaction around a whole source's landing: all of it lands, or none."""
        ...


@dataclass
class DuckDBLanding:
    """Landing into the working DuckDB file."""

    con: Any
    _in_transaction: bool = False

    def land(self, raw_table: RawTable, rows: RawRows, batch_id: str, loaded_at: datetime) -> int:
        """See orchestration.warehouse.land."""
        return duck.land(
            self.con,
            raw_table,
            rows,
            batch_id=batch_id,
            loaded_at=loaded_at,
            in_transaction=self._in_transaction,
        )

    def previous_exported(self) -> dict[str, datetime | None]:
        """See orchestration.defs.sources.load_history.previous_exported."""
        return load_history.previous_exported(self.con)

    def rows_from_files(self, raw_table: RawTable, sources: list[str]) -> int:
        """See orchestration.warehouse.rows_from_files."""
        return duck.rows_from_files(self.con, raw_table, sources)

    def landed_files(self, source: str) -> tuple[str | None, dict[str, LandedFile]]:
        """See orchestration.defs.sources.file_manifest.landed_files."""
        return file_manifest.landed_files(self.con, source)

    def record_files(self, plan: ReadPlan, batch_id: str) -> None:
        """See orchestration.defs.sources.file_manifest.record_files."""
        file_manifest.record_files(self.con, plan, batch_id)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN ... COMMIT (ROLLBACK on any error or interruption)."""
        self.con.begin()
        self._in_transaction = True
        try:
            yield
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise
        finally:
            self._in_transaction = False

    def delete_gone_rows(self, raw_table: RawTable, keys: pa.Table) -> int:
        """See orchestration.defs.sources.upstream_deletes.delete_gone_rows."""
        return upstream_deletes.delete_gone_rows(self.con, raw_table, keys)

    def record_loads(self, records: Iterable[Any]) -> None:
        """See orchestration.defs.sources.load_history.record_loads."""
        load_history.record_loads(self.con, records)

    def previous_counts(self) -> dict[str, int]:
        """See orchestration.defs.sources.load_history.previous_counts."""
        return load_history.previous_counts(self.con)


@dataclass
class PostgresLanding:
    """Landing into the PostgreSQL warehouse, by COPY."""

    con: Any

    def land(self, raw_table: RawTable, rows: RawRows, batch_id: str, loaded_at: datetime) -> int:
        """See orchestration.warehouse_postgres.land."""
        return pg.land(self.con, raw_table, rows, batch_id=batch_id, loaded_at=loaded_at)

    def delete_gone_rows(self, raw_table: RawTable, keys: pa.Table) -> int:
        """See orchestration.warehouse_postgres.delete_gone_rows."""
        return pg.delete_gone_rows(self.con, raw_table, keys)

    def record_loads(self, records: Iterable[Any]) -> None:
        """See orchestration.warehouse_postgres.record_loads."""
        pg.record_loads(self.con, records)

    def previous_counts(self) -> dict[str, int]:
        """See orchestration.warehouse_postgres.previous_counts."""
        return pg.previous_counts(self.con)

    def previous_exported(self) -> dict[str, datetime | None]:
        """See orchestration.warehouse_postgres.previous_exported."""
        return pg.previous_exported(self.con)

    def rows_from_files(self, raw_table: RawTable, sources: list[str]) -> int:
        """See orchestration.warehouse_postgres.rows_from_files."""
        return pg.rows_from_files(self.con, raw_table, sources)

    def landed_files(self, source: str) -> tuple[str | None, dict[str, LandedFile]]:
        """See orchestration.warehouse_postgres.landed_files."""
        return pg.landed_files(self.con, source)

    def record_files(self, plan: ReadPlan, batch_id: str) -> None:
        """See orchestration.warehouse_postgres.record_files."""
        pg.record_files(self.con, plan, batch_id)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A psycopg transaction; each table's own becomes a savepoint inside it."""
        with self.con.transaction():
            yield


@contextmanager
def open_landing(
    warehouse_path: Path | None = None, settings: Settings | None = None
) -> Iterator[LandingTarget]:
    """The settings' landing target, open for a `with` block and closed after it.

    DuckDB opens `warehouse_path` (default: the settings' file); PostgreSQL ignores it and
    connects to the settings' server. Closing releases DuckDB's single-writer lock.
    """
    settings = settings or get_settings()
    if settings.target == "postgres":
        with pg.open_postgres(settings) as con:
            yield PostgresLanding(con)
        return
    with duck.open_warehouse(warehouse_path or settings.warehouse_path) as con:
        yield DuckDBLanding(con)
