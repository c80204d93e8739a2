"""Amplitude export files into `analytics__events` at DuckDB speed, set-based.

The Python reader (`connectors.amplitude`) parses every line in Python: fine for a
demo, minutes for tens of millions of events. This reader lets DuckDB's `read_json`
parse the files and build every row SQL is sure about; the rows and files it is not sure
about go through the Python reader's own code, so the table is the one
`read_amplitude_folder` returns (the same rows, values, `_source` and order, the first
of a repeated event id kept) and a bad file fails with the same file/line/column error.

- **SQL rows**: every field is a JSON string or null, the event time is
  `YYYY-MM-DD[ T]HH:MM:SS[.fff|.ffffff]`, and the event properties are absent, `{}` or
  one flat object of strings, integers, booleans and nulls with printable-ASCII keys,
  no `\\` escapes, no `@` (no e-mail can hide there) and no personal key. For those
  SQL writes `properties_json` exactly as Python's `json.dumps(sort_keys=True,
  ensure_ascii=False)` does (`{"a": 1, "b": "x"}`: code-point key order, `", "` and
  `": "`), because the text DuckDB keeps of such an object needs no re-escaping.
- **Python rows**: any other row (nested or float properties, possible personal data,
  numbers where text belongs, other timestamp shapes, a missing id...) is rebuilt from
  the JSON text DuckDB kept of its fields and turned into a row by
  `amplitude.event_row`, which also drops personal properties.
- **Python files**: a file DuckDB cannot read (broken JSON, a byte-order mark, UTF-16,
  a bad gzip...) or holding a row `event_row` refuses is read by the Python reader, so
  its error names the file, line and column exactly as before. One difference is left:
  DuckDB's parser accepts a trailing comma (`{"a": 1,}`) that Python's refuses;
  finding those lines would cost a second read of every file.

Each file is one DuckDB query (a gzip file is one stream anyway), files run in
parallel threads, and results stream out in record batches copied into the result:
little but the growing result is held (at 20M events, 3.9 GB of table in a 5.0 GB
process). End users' ids are pseudonymised in Python with the same function, once per
distinct id (remembered across batches), and put back with an Arrow `take`. A repeated
event id is found from a 64-bit hash of every id (numpy, 8 bytes an event) and
confirmed on the ids.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from connectors import schemas
from connectors.amplitude import event_row
from connectors.arrow_tables import TableBuilder
from connectors.event_rows import PERSONAL_PROPERTIES
from connectors.pseudonymise import Pseudonymiser
from connectors.registry import RawTable
from connectors.source_files import iter_json_lines, relative_name
from connectors.spilled import RawRows, SpilledTable, TableSpool, concat_rows, spill

# The fields `event_row` reads; DuckDB keeps each as JSON text so its type is known.
EVENT_FIELDS = (
    "$insert_id",
    "uuid",
    "event_type",
    "event_time",
    "user_id",
    "device_id",
    "app",
    "platform",
    "country",
    "groups",
    "event_properties",
)
_TEXT_FIELDS = ("event_type", "user_id", "device_id", "app", "platform", "country")
# DuckDB streams, so it needs little; bounded so it spills rather than grows.
DUCKDB_MEMORY_LIMIT = "1GB"
_BATCH_ROWS = 122_880
# Files read at once: a gzip file is one stream, so files are the unit of parallelism.
_FILE_THREADS = os.cpu_count() or 1
# What DuckDB raises for a file it cannot read as JSON lines (a binder or parser error
# would be a bug here, and is raised).
_UNREADABLE = (
    duckdb.IOException,
    duckdb.InvalidInputException,
    duckdb.ConversionException,
    duckdb.OutOfRangeException,
)


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _column(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _is_text(column: str) -> str:
    """SQL: the JSON value is a string or absent/null (JSON null reads as SQL NULL)."""
    return f"({column} IS NULL OR left({column}, 1) = '\"')"


def _text(column: str) -> str:
    """SQL: a JSON string's value, empty as NULL (`amplitude._string` of a str)."""
    return f"nullif(json_extract_string({column}, '$'), '')"


def _personal(key: str) -> str:
    """SQL: an ASCII key that `event_rows.is_personal` would drop."""
    listed = ", ".join(_sql_text(name) for name in sorted(PERSONAL_PROPERTIES))
    return f"list_contains([{listed}], regexp_replace(lower({key}), '[\\s_\\-$]', '', 'g'))"


# The JSON text DuckDB keeps is minified (`{"a":"x"}`), and a string holds no `\` only if
# nothing in it needed escaping, so every `"` in such a text delimits a string.
_TIMESTAMP_JSON = r'"[1-9]\d{3}-\d{2}-\d{2}[ T]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{3}|\.\d{6})?"'
_SCALAR_JSON = r'("[^"\\]*"|-?[0-9]+|true|false|null)'
# The usual event: one property, printable-ASCII key, a string/integer/boolean value.
_ONE_PROPERTY = r'\{"[ !#-\[\]-~]+":' + _SCALAR_JSON + r"\}"
# A JSON null value comes out of the map as SQL NULL: written back as `null`.
_ENTRIES = """list_transform(
    map_entries(json_transform(event_properties, '"MAP(VARCHAR, JSON)"')),
    lambda e: {'key': e.key, 'value': coalesce(e.value::VARCHAR, 'null')})"""
_FLAT_PROPERTIES = f"""(
    left(event_properties, 1) = '{{'
    AND list_bool_and(list_transform({_ENTRIES}, lambda e:
        regexp_full_match(e.key, '[ -~]+') AND NOT {_personal("e.key")}
        AND regexp_full_match(e.value, '{_SCALAR_JSON}')))
    AND len(json_keys(event_properties)) = len(list_distinct(json_keys(event_properties)))
)"""
_ONE_KEY = 'regexp_extract(event_properties, \'^."([^"]+)"\', 1)'
_PROPERTIES = f"""CASE
    WHEN event_properties IS NULL OR event_properties = '{{}}' THEN '{{}}'
    WHEN contains(event_properties, '\\') OR contains(event_properties, '@') THEN NULL
    WHEN regexp_full_match(event_properties, '{_ONE_PROPERTY}')
        THEN CASE WHEN NOT {_personal(_ONE_KEY)}
            THEN regexp_replace(event_properties, '^.\"([^\"]+)\":', '{{"\\1": ') END
    WHEN {_FLAT_PROPERTIES} THEN '{{' || array_to_string(list_transform(list_sort({_ENTRIES}),
        lambda e: '"' || e.key || '": ' || e.value), ', ') || '}}'
END"""
# `groups` that is not an object gives no account; `{}` none either; `{"partner":"x"}`
# gives x. Anything else (a list of partners, other groups...) goes to Python.
_PARTNER_ONLY = r'\{"partner":"[^"\\]*"\}'


def _read_json(files_param: str) -> str:
    """SQL: the rows of the files in `files_param`: `ord` and each field's JSON text."""
    columns = "{" + ", ".join(f"{_sql_text(f)}: 'JSON'" for f in EVENT_FIELDS) + "}"
    # row_number() over the scan numbers rows in file and line order (a streaming
    # window keeps its input's order; a table's rowid after parallel work may not).
    return f"""SELECT row_number() OVER () AS ord, * FROM read_json({files_param},
        format = 'newline_delimited', records = true, columns = {columns})"""


def _parse_sql(rows_sql: str) -> str:
    """SQL: every row's values where SQL is sure (`sql_ok`), else its fields' JSON text."""
    text_ok = " AND ".join(_is_text(_column(f)) for f in ("$insert_id", "uuid", *_TEXT_FIELDS))
    raw = ", ".join(
        f"CASE WHEN NOT sql_ok THEN {_column(f)} END AS {_column('raw_' + f)}" for f in EVENT_FIELDS
    )
    return f"""
    WITH parsed AS ({rows_sql}), typed AS (
        SELECT *,
            {text_ok} AS texts_ok,
            coalesce({_text('"$insert_id"')}, {_text("uuid")}) AS sql_event_id,
            CASE WHEN regexp_full_match(event_time, '{_TIMESTAMP_JSON}')
                 THEN try_cast(event_time[2:-2] AS TIMESTAMP) END AS sql_event_time,
            groups IS NULL OR left(groups, 1) <> '{{' OR groups = '{{}}'
                OR regexp_full_match(groups, '{_PARTNER_ONLY}') AS groups_ok,
            CASE WHEN starts_with(groups, '{{"partner":"')
                 THEN nullif(groups[13:-3], '') END AS sql_account_id,
            {_PROPERTIES} AS sql_properties
        FROM parsed
    ), checked AS (
        SELECT *,
            coalesce(texts_ok AND groups_ok AND sql_event_id IS NOT NULL
                AND sql_event_time IS NOT NULL AND sql_properties IS NOT NULL, false) AS sql_ok
        FROM typed
    )
    SELECT ord, sql_ok, hash(sql_event_id) AS id_hash,
        sql_event_id AS event_id,
        {_text("event_type")} AS event_type,
        sql_event_time AS event_time,
        {_text("user_id")} AS user_id,
        -- Only where it is the key: a device id is long, and most events have a user.
        CASE WHEN {_text("user_id")} IS NULL THEN {_text("device_id")} END AS device_id,
        sql_account_id AS account_id,
        {_text("app")} AS app,
        {_text("platform")} AS platform,
        {_text("country")} AS country,
        sql_properties AS properties_json,
        {raw}
    FROM checked
    """


@dataclass
class FastPathReport:
    """How the rows were built: by SQL, by `event_row` per row, or by the Python reader."""

    sql_rows: int = 0
    python_rows: int = 0
    python_files: list[str] = field(default_factory=list)
    repeated_ids_dropped: int = 0


@dataclass
class _Part:
    """One file's rows in line order, the 64-bit hash of each event id, and how many
    rows `event_row` built (all of them when the Python reader read the file)."""

    table: RawRows
    id_hashes: np.ndarray
    python_rows: int = 0
    python_file: bool = False


class _Reader:
    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        pseudonymise: Pseudonymiser,
        spill_dir: Path | None = None,
    ) -> None:
        self.con = con
        self.pseudonymise = pseudonymise
        self.spill_dir = spill_dir
        self.schema = schemas.ANALYTICS_EVENTS.schema
        # id -> pseudonym per prefix: a batch's distinct ids are mostly known already.
        self._known_keys: dict[str, dict[str, str | None]] = {}
        self._lock = threading.Lock()

    @contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        # One cursor per file and thread: a connection is not shared between threads,
        # and a refused file leaves its stream unfinished.
        with self._lock:
            cursor = self.con.cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    def file(self, path: Path, source: str, number: int = 0) -> _Part:
        """One file's part: SQL rows and `event_row` rows, or the Python reader's.

        With a spill folder the part's rows go to file `number` there: SQL rows as their
        batches stream out of DuckDB, so a month of events is never held whole.
        """
        try:
            with self._cursor() as cursor:
                return self._spilled(self._sql_file(cursor, path, source, number), number)
        except (*_UNREADABLE, ValueError):
            # ValueError: `event_row` refused a row (SourceFileError), or Python's JSON
            # parser refused a value DuckDB's accepts (`inf`).
            pass
        with self._cursor() as cursor:
            # Raises the Python reader's own error for the file's first bad line.
            return self._spilled(self._python_file(cursor, path, source), number)

    def _spool(self, number: int) -> TableSpool | None:
        if self.spill_dir is None:
            return None
        return TableSpool(
            self.spill_dir, f"{schemas.ANALYTICS_EVENTS.name}.{number:06d}", self.schema
        )

    def _spilled(self, part: _Part, number: int) -> _Part:
        """`part` with its rows in the spill folder (when there is one)."""
        spool = self._spool(number)
        if spool is None or isinstance(part.table, SpilledTable):
            return part
        spool.write(part.table)
        return replace(part, table=spool.finish())

    def _sql_file(
        self, cursor: duckdb.DuckDBPyConnection, path: Path, source: str, number: int
    ) -> _Part:
        params = {"files": [str(path)], "source": source}
        reader = cursor.sql(_FILE_SQL, params=params).to_arrow_reader(_BATCH_ROWS)
        spool = self._spool(number)
        batches: list[pa.RecordBatch] = []
        hashes: list[np.ndarray] = []
        ords: list[np.ndarray] = []
        python_rows = _ordered_rows()
        try:
            for batch in reader:
                ok = batch.column("sql_ok")
                if not pc.all(ok).as_py():
                    for row in self._python_rows(batch.filter(pc.invert(ok)), source):
                        python_rows.add(row)
                    batch = batch.filter(ok)
                if batch.num_rows == 0:
                    continue
                rows = self._sql_batch(batch)
                if spool is None:
                    batches.append(rows)
                else:
                    spool.write(rows)
                # Copies: a view would keep DuckDB's whole batch (raw text too) alive.
                hashes.append(batch.column("id_hash").to_numpy().copy())
                ords.append(batch.column("ord").to_numpy().copy())
        except BaseException:
            if spool is not None:
                spool.discard()
            raise
        finally:
            reader.close()
        table: RawRows = (
            pa.Table.from_batches(batches, schema=self.schema) if spool is None else spool.finish()
        )
        order = np.concatenate(ords) if ords else np.zeros(0, np.int64)
        id_hashes = np.concatenate(hashes) if hashes else np.zeros(0, np.uint64)
        python_count = python_rows.num_rows
        in_line_order = not order.size or bool(np.all(order[1:] > order[:-1]))
        if not python_count and in_line_order:
            return _Part(table, id_hashes)
        # Python rows (or a reordered stream) join the file's line order here, in memory:
        # rare, and `file` spills the result again.
        rows = _taken_back(table)
        if python_count:
            extra = python_rows.finish()
            order = np.concatenate([order, extra.column("ord").to_numpy()])
            extra = extra.drop_columns(["ord"])
            rows = pa.concat_tables([rows, extra])
            id_hashes = np.concatenate([id_hashes, _hashes(cursor, extra.column("event_id"))])
        if order.size and not bool(np.all(order[1:] > order[:-1])):
            by_line = np.argsort(order, kind="stable")
            rows = rows.take(pa.array(by_line))
            id_hashes = id_hashes[by_line]
        return _Part(rows.combine_chunks() if python_count else rows, id_hashes, python_count)

    def _python_rows(self, batch: pa.RecordBatch, source: str) -> Iterator[dict[str, Any]]:
        """`event_row` for the rows SQL left; a refused row sends the file to Python."""
        ords = batch.column("ord").to_pylist()
        texts = [batch.column("raw_" + f).to_pylist() for f in EVENT_FIELDS]
        for index, ord_ in enumerate(ords):
            event = {
                f: json.loads(column[index])
                for f, column in zip(EVENT_FIELDS, texts, strict=True)
                if column[index] is not None
            }
            # The line is unknown here; a refusal is re-read by the Python reader.
            yield {**event_row(event, self.pseudonymise, source, 0), "ord": ord_}

    def _sql_batch(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """The schema's columns of SQL rows, copied out of DuckDB's batch.

        Arrays exported by DuckDB share their batch's memory: keeping one column would
        keep every column of the batch, so each kept column is copied (`concat_arrays`).
        """
        user_keys = self._keys(batch.column("user_id"), "user:")
        device_keys = self._keys(batch.column("device_id"), "device:")
        columns = []
        for name, column in zip(self.schema.names, self.schema, strict=True):
            if name == "user_key":
                columns.append(pc.coalesce(user_keys, device_keys))
            else:
                columns.append(pa.concat_arrays([batch.column(name).cast(column.type)]))
        return pa.RecordBatch.from_arrays(columns, schema=self.schema)

    def _keys(self, ids: pa.Array, prefix: str) -> pa.Array:
        """`pseudonymise(prefix + id)` for each id (null stays null), once per distinct id."""
        encoded = pc.dictionary_encode(ids)
        known = self._known_keys.setdefault(prefix, {})
        values = encoded.dictionary.to_pylist()
        for value in values:
            if value not in known:
                known[value] = self.pseudonymise(prefix + value)
        keys = pa.array([known[value] for value in values], pa.string())
        return keys.take(encoded.indices)

    def _python_file(self, cursor: duckdb.DuckDBPyConnection, path: Path, source: str) -> _Part:
        builder = TableBuilder(schemas.ANALYTICS_EVENTS)
        for line, event in iter_json_lines(path, source):
            builder.add(event_row(event, self.pseudonymise, source, line))
        table = builder.finish()
        hashes = _hashes(cursor, table.column("event_id"))
        return _Part(table, hashes, table.num_rows, python_file=True)


def _taken_back(table: RawRows) -> pa.Table:
    """`table` in memory; a spilled one's files are removed once read."""
    if not isinstance(table, SpilledTable):
        return table
    rows = table.to_table()
    for path in table.files:
        path.unlink()
    return rows


def _hashes(cursor: duckdb.DuckDBPyConnection, ids: pa.ChunkedArray) -> np.ndarray:
    """DuckDB's `hash` of each id, as the SQL rows have it."""
    values = ids.to_pylist()
    if not values:
        return np.zeros(0, np.uint64)
    [(hashes,)] = cursor.execute(
        "SELECT list_transform($ids, lambda x: hash(x))", {"ids": values}
    ).fetchall()
    return np.array(hashes, dtype=np.uint64)


def _ordered_rows() -> TableBuilder:
    """A builder of `analytics__events` rows with their `ord` (line order in the file)."""
    table = schemas.ANALYTICS_EVENTS
    schema = table.schema.append(pa.field("ord", pa.int64()))
    return TableBuilder(RawTable(table.name, schema, table.key))


def _first_occurrences(parts: list[_Part]) -> tuple[list[RawRows], int]:
    """Each part without the events whose id an earlier row (file, line) already had."""
    if not parts:
        return [], 0
    hashes = np.concatenate([part.id_hashes for part in parts])
    order = np.argsort(hashes, kind="stable")
    ordered = hashes[order]
    repeated = ordered[1:] == ordered[:-1]
    del hashes, ordered
    if not repeated.any():
        return [part.table for part in parts], 0
    # Rows whose hash another row shares: few; their ids decide (a hash may collide).
    candidates = np.unique(np.concatenate([order[1:][repeated], order[:-1][repeated]]))
    del order
    starts = np.cumsum([0] + [part.table.num_rows for part in parts])
    located = [
        (index, position - int(starts[index]))
        for position in candidates.tolist()
        for index in [int(np.searchsorted(starts, position, side="right")) - 1]
    ]
    # One `take` per part: a spilled part is read once, not once per candidate.
    rows_of: dict[int, list[int]] = {}
    for index, row in located:
        rows_of.setdefault(index, []).append(row)
    ids_of = {
        index: dict(zip(rows, parts[index].table.take(rows).column("event_id").to_pylist()))
        for index, rows in rows_of.items()
    }
    seen: set[str] = set()
    dropped: dict[int, list[int]] = {}
    for index, row in located:  # ascending: files, then lines, in order
        event_id = ids_of[index][row]
        if event_id in seen:
            dropped.setdefault(index, []).append(row)
        else:
            seen.add(event_id)
    tables: list[RawRows] = []
    for index, part in enumerate(parts):
        rows = dropped.get(index)
        if rows:
            keep = np.ones(part.table.num_rows, dtype=bool)
            keep[rows] = False
            tables.append(_filtered(part.table, pa.array(keep)))
        else:
            tables.append(part.table)
    return tables, sum(len(rows) for rows in dropped.values())


def _filtered(table: RawRows, keep: pa.Array) -> RawRows:
    """`table` without the rows `keep` is false for; a spilled part is written again."""
    if not isinstance(table, SpilledTable):
        return table.filter(keep)
    [path] = table.files
    kept = spill(path.parent, path.stem + "-kept", table.to_table().filter(keep))
    path.unlink()
    return kept


def read_amplitude_files_duckdb(
    paths: list[Path],
    sources_dir: Path,
    pseudonymise: Pseudonymiser,
    spill_dir: Path | None = None,
) -> RawRows:
    """`analytics__events` from Amplitude export `paths` (in read order), via DuckDB.

    The same table `amplitude.read_amplitude_folder` builds from these files: the same
    rows in the same order, an event id kept at its first occurrence, and the same
    `SourceFileError` for a file it cannot read. With `spill_dir` each file's rows are
    written there as soon as they are read and a `SpilledTable` of them is returned:
    the reader then holds two files' rows and 8 bytes an event, not the whole table.
    """
    return read_with_report(paths, sources_dir, pseudonymise, spill_dir)[0]


def read_with_report(
    paths: list[Path],
    sources_dir: Path,
    pseudonymise: Pseudonymiser,
    spill_dir: Path | None = None,
) -> tuple[RawRows, FastPathReport]:
    """`read_amplitude_files_duckdb`, and how its rows were built."""
    schema = schemas.ANALYTICS_EVENTS.schema
    with tempfile.TemporaryDirectory(prefix="amplitude-duckdb-") as scratch:
        con = duckdb.connect()
        try:
            con.execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
            con.execute(f"SET temp_directory = {_sql_text(scratch)}")
            reader = _Reader(con, pseudonymise, spill_dir)
            sources = [relative_name(path, sources_dir) for path in paths]
            # Files in parallel (DuckDB works outside the GIL); `map` gives the parts in
            # file order and raises the first failing file's error first.
            with ThreadPoolExecutor(max_workers=max(1, min(len(paths), _FILE_THREADS))) as pool:
                parts = list(pool.map(reader.file, paths, sources, range(len(paths))))
        finally:
            con.close()
    report = FastPathReport(
        sql_rows=sum(p.table.num_rows - p.python_rows for p in parts),
        python_rows=sum(p.python_rows for p in parts),
        python_files=[s for p, s in zip(parts, sources, strict=True) if p.python_file],
    )
    tables, report.repeated_ids_dropped = _first_occurrences(parts)
    del parts
    if not tables:
        return schema.empty_table(), report
    return concat_rows(tables), report


_FILE_SQL = _parse_sql(_read_json("$files")).replace(
    "SELECT ord, sql_ok,", "SELECT ord, sql_ok, $source::VARCHAR AS _source,", 1
)
