"""The analytics source: every product-analytics format in `analytics/`, merged.

- `analytics__events`: Amplitude export files (`analytics/amplitude/`, parsed by DuckDB
  in `connectors.amplitude_duckdb`), Mixpanel raw exports (`analytics/mixpanel/`) and
  Segment messages (`analytics/segment/`), each streamed into record batches. An
  event id seen in an earlier format is kept once (Segment's Amplitude destination, for
  example, reuses `messageId` as `$insert_id`).
- `analytics__daily_feature_usage`: Pendo feature-event CSVs (`analytics/pendo/`) and
  pre-aggregated daily usage CSVs (`analytics/feature_usage/`).
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from connectors import schemas
from connectors.amplitude import AMPLITUDE_DIR, amplitude_files
from connectors.amplitude_duckdb import read_amplitude_files_duckdb
from connectors.event_rows import event_files
from connectors.feature_usage_csv import read_feature_usage_folder
from connectors.mixpanel import MIXPANEL_DIR, read_mixpanel_folder
from connectors.pendo import read_pendo_folder
from connectors.pseudonymise import Pseudonymiser
from connectors.registry import FileChoice, every_file
from connectors.segment import SEGMENT_DIR, read_segment_folder
from connectors.spilled import RawRows, concat_rows


def read_analytics_folder(
    sources_dir: Path,
    pseudonymise: Pseudonymiser,
    wanted: FileChoice = every_file,
    spill_dir: Path | None = None,
) -> dict[str, RawRows]:
    """Every `analytics__*` table from `<sources_dir>/analytics/` (empty when absent).

    `wanted` narrows every format's files (an incremental landing reads new or changed
    ones); an event id is then kept once among the files read. With `spill_dir` the
    events are written there as they are read (a `SpilledTable`, connectors/spilled.py).
    """
    # Set-based in DuckDB: the same table as `amplitude.read_amplitude_folder`, faster.
    events = read_amplitude_files_duckdb(
        wanted(amplitude_files(sources_dir / AMPLITUDE_DIR)), sources_dir, pseudonymise, spill_dir
    )
    others = wanted(event_files(sources_dir / MIXPANEL_DIR)) or wanted(
        event_files(sources_dir / SEGMENT_DIR)
    )
    if others:
        # Only built when another format is present: a set of every Amplitude id is big.
        seen = set(events.column("event_id").to_pylist())
        events = concat_rows(
            [
                events,
                read_mixpanel_folder(sources_dir, pseudonymise, seen, wanted),
                read_segment_folder(sources_dir, pseudonymise, seen, wanted),
            ],
            spill_dir,
        )
    usage = pa.concat_tables(
        [
            read_pendo_folder(sources_dir, pseudonymise, wanted),
            read_feature_usage_folder(sources_dir, wanted),
        ]
    )
    return {
        schemas.ANALYTICS_EVENTS.name: events,
        schemas.ANALYTICS_DAILY_FEATURE_USAGE.name: usage,
    }
