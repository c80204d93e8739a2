"""Generic roadmap exports (`roadmap/exports/<name>.csv` or `.xlsx`) into `roadmap__items`.

Every team's roadmap file is mapped to one shape. Beside each export an optional
`<name>.yml` says how to read it:

```yaml
preset: prodpad            # generic (default) | prodpad | jira_product_discovery
tool: prodpad              # the catalog's statuses.<tool> map; default: the preset's, or <name>
item_type: idea            # when the file has no item type column
product: PAY               # when the file has no product column
columns: {status: "Stage"} # canonical field -> the header holding it (overrides the preset)
timestamp_format: "%d.%m.%Y %H:%M"   # strptime; default ISO 8601
date_format: "%d.%m.%Y"              # strptime; default YYYY-MM-DD
sheet: Roadmap             # XLSX only; default: the first sheet
```

Canonical fields (the `generic` preset expects these headers as they are):
`item_id` (required), `item_type`, `reference`, `name`, `product`, `parent_id`,
`status`, `release_name`, `release_date`, `created_at`, `updated_at`.

Rules: every row lands or the file fails; a wrong date, an item type outside
`roadmap_items.ITEM_TYPES`, a missing id or a status the catalog does not map for the
tool raises a `SourceFileError` naming the file, the line and the column (and the
record's id for statuses). A repeated id keeps the last row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import yaml

from connectors import schemas
from connectors.arrow_tables import TableBuilder
from connectors.errors import SourceFileError
from connectors.jira.csv_export import parse_export_time
from connectors.roadmap_items import ITEM_TYPES, StatusMaps, checked_status, item_row
from connectors.source_files import iter_csv_rows, relative_name
from connectors.spreadsheets import iter_xlsx_rows
from connectors.values import parse_date, parse_timestamp, text

EXPORTS_DIR = Path("roadmap") / "exports"
FIELDS = (
    "item_id",
    "item_type",
    "reference",
    "name",
    "product",
    "parent_id",
    "status",
    "release_name",
    "release_date",
    "created_at",
    "updated_at",
)
CONFIG_KEYS = frozenset(
    {
        "preset",
        "tool",
        "item_type",
        "product",
        "columns",
        "timestamp_format",
        "date_format",
        "sheet",
    }
)


@dataclass(frozen=True)
class Preset:
    """A known export's headers and defaults."""

    tool: str | None
    columns: Mapping[str, str]
    item_type: str | None = None
    timestamps: Callable[[Any], datetime | None] | None = None


PRESETS: dict[str, Preset] = {
    "generic": Preset(tool=None, columns={name: name for name in FIELDS}),
    # ProdPad's idea export (Ideas → Export → CSV).
    "prodpad": Preset(
        tool="prodpad",
        item_type="idea",
        columns={
            "item_id": "ID",
            "name": "Title",
            "status": "Status",
            "product": "Product",
            "reference": "URL",
            "created_at": "Created",
            "updated_at": "Updated",
        },
    ),
    # Jira Product Discovery: the issue navigator's CSV export of a discovery project.
    "jira_product_discovery": Preset(
        tool="jira_product_discovery",
        item_type="idea",
        columns={
            "item_id": "Issue id",
            "reference": "Issue key",
            "name": "Summary",
            "item_type": "Issue Type",
            "status": "Status",
            "product": "Project key",
            "created_at": "Created",
            "updated_at": "Updated",
        },
        timestamps=parse_export_time,
    ),
}


@dataclass(frozen=True)
class ExportMapping:
    """How one export file maps to `roadmap__items`."""

    tool: str
    columns: Mapping[str, str]
    item_type: str | None = None
    product: str | None = None
    timestamp_format: str | None = None
    date_format: str | None = None
    sheet: str | None = None
    preset_timestamps: Callable[[Any], datetime | None] | None = field(default=None, repr=False)

    def timestamp(self, value: Any) -> datetime | None:
        """A created/updated cell as naive UTC: the configured format, the preset's, or ISO."""
        if isinstance(value, datetime):
            return value
        if self.timestamp_format and text(value) is not None:
            try:
                return datetime.strptime(str(text(value)), self.timestamp_format)
            except ValueError:
                raise ValueError(
                    f"expected a timestamp in the format {self.timestamp_format!r}, got {text(value)!r}"
                ) from None
        if self.preset_timestamps is not None:
            return self.preset_timestamps(text(value))
        return parse_timestamp(text(value))

    def date(self, value: Any) -> date | None:
        """A release date cell: the configured format, or YYYY-MM-DD."""
        if self.date_format and not isinstance(value, date) and text(value) is not None:
            try:
                return datetime.strptime(str(text(value)), self.date_format).date()
            except ValueError:
                raise ValueError(
                    f"expected a date in the format {self.date_format!r}, got {text(value)!r}"
                ) from None
        return parse_date(value)


def load_mapping(export: Path, source: str) -> ExportMapping:
    """The mapping of `export` from its `.yml` sidecar (none: the generic preset)."""
    sidecar = export.with_suffix(".yml")
    config: dict[str, Any] = {}
    if sidecar.is_file():
        loaded = yaml.safe_load(sidecar.read_text()) or {}
        where = str(Path(source).with_suffix(".yml"))
        if not isinstance(loaded, Mapping):
            raise SourceFileError(where, None, None, "expected a mapping of settings")
        unknown = sorted(set(loaded) - CONFIG_KEYS)
        if unknown:
            raise SourceFileError(
                where, None, unknown[0], f"unknown key; known: {sorted(CONFIG_KEYS)}"
            )
        config = dict(loaded)
        preset_name = str(config.get("preset", "generic"))
        if preset_name not in PRESETS:
            raise SourceFileError(where, None, "preset", f"expected one of {sorted(PRESETS)}")
        columns = config.get("columns") or {}
        if not isinstance(columns, Mapping) or set(columns) - set(FIELDS):
            raise SourceFileError(
                where, None, "columns", f"expected a mapping with keys from {list(FIELDS)}"
            )
    else:
        preset_name, columns = "generic", {}
    preset = PRESETS[preset_name]
    return ExportMapping(
        tool=str(config.get("tool") or preset.tool or export.stem),
        columns={**preset.columns, **{str(k): str(v) for k, v in columns.items()}},
        item_type=text(config.get("item_type")) or preset.item_type,
        product=text(config.get("product")),
        timestamp_format=text(config.get("timestamp_format")),
        date_format=text(config.get("date_format")),
        sheet=text(config.get("sheet")),
        preset_timestamps=preset.timestamps,
    )


def _rows(
    export: Path, source: str, mapping: ExportMapping
) -> Iterator[tuple[int, dict[str, Any]]]:
    # Only the id column must exist; other mapped headers a file lacks stay empty.
    required = [mapping.columns["item_id"]]
    if export.suffix.lower() == ".xlsx":
        return iter_xlsx_rows(export, source, required, mapping.sheet)
    return iter_csv_rows(export, source, required)


def export_rows(
    export: Path, source: str, mapping: ExportMapping, status_maps: StatusMaps
) -> Iterator[dict[str, Any]]:
    """`roadmap__items` rows of one export file."""
    for line, values in _rows(export, source, mapping):
        yield _item(_Line(source, line, values, mapping), status_maps)


@dataclass(frozen=True)
class _Line:
    """One data line of an export, read through its mapping."""

    source: str
    line: int
    values: Mapping[str, Any]
    mapping: ExportMapping

    def value(self, name: str) -> Any:
        header = self.mapping.columns.get(name)
        return self.values.get(header) if header else None

    def parsed(self, name: str, parse: Callable[[Any], Any]) -> Any:
        try:
            return parse(self.value(name))
        except ValueError as error:
            raise SourceFileError(
                self.source, self.line, self.mapping.columns[name], str(error)
            ) from None


def _item(row: _Line, status_maps: StatusMaps) -> dict[str, Any]:
    mapping, source, line = row.mapping, row.source, row.line
    item_id = text(row.value("item_id"))
    if item_id is None:
        raise SourceFileError(source, line, mapping.columns["item_id"], "expected an item id")
    item_type = (text(row.value("item_type")) or mapping.item_type or "").lower() or None
    if item_type not in ITEM_TYPES:
        raise SourceFileError(
            source,
            line,
            mapping.columns.get("item_type", "item_type"),
            f"expected an item type in {list(ITEM_TYPES)}, got {item_type!r}",
        )
    status = checked_status(
        text(row.value("status")),
        mapping.tool,
        status_maps,
        source,
        f"item {item_id!r}",
        field=mapping.columns.get("status", "status"),
        line=line,
    )
    return item_row(
        tool=mapping.tool,
        item_type=item_type,
        item_id=item_id,
        source=source,
        reference=text(row.value("reference")),
        name=text(row.value("name")),
        product_ref=text(row.value("product")) or mapping.product,
        parent_id=text(row.value("parent_id")),
        status=status,
        release_name=text(row.value("release_name")),
        release_date=row.parsed("release_date", mapping.date),
        created_at=row.parsed("created_at", mapping.timestamp),
        updated_at=row.parsed("updated_at", mapping.timestamp),
    )


def export_files(sources_dir: Path) -> list[Path]:
    """The export files under `roadmap/exports/`, sorted."""
    folder = sources_dir / EXPORTS_DIR
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if path.is_file()
        and path.suffix.lower() in (".csv", ".xlsx")
        and not path.name.startswith("~$")
    )


def read_roadmap_exports(sources_dir: Path, status_maps: StatusMaps) -> pa.Table:
    """`roadmap__items` from every export under `roadmap/exports/` (empty when none)."""
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for export in export_files(sources_dir):
        source = relative_name(export, sources_dir)
        mapping = load_mapping(export, source)
        for row in export_rows(export, source, mapping, status_maps):
            rows[(row["tool"], row["item_type"], row["item_id"])] = row
    builder = TableBuilder(schemas.ROADMAP_ITEMS)
    for row in rows.values():
        builder.add(row)
    return builder.finish()
