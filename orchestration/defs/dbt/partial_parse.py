"""dbt's partial-parse file, kept per data folder so each refresh's dbt skips re-parsing.

dagster-dbt gives every `dbt build` its own target folder and seeds it with
`dbt_project/target/partial_parse.msgpack`. dbt rejects that file whenever it was written
for another connection ("profile has changed": the warehouse path is part of the
profile), and the project's copy is written by whichever `dbt parse` ran last, so a
refresh re-parsed the whole project every time (about 5 s). The refresh's own
`partial_parse.msgpack` is therefore kept beside its warehouse after each successful
build and handed to the next one. dbt itself checks it (dbt version, profile, vars and
every file's checksum) and re-parses whatever changed, so a stale copy costs a parse,
never a wrong manifest.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

PARTIAL_PARSE_FILE_NAME = "partial_parse.msgpack"


def partial_parse_cache_path(data_dir: Path) -> Path:
    """Where the partial-parse file of the refreshes writing into `data_dir` is kept."""
    return data_dir / "state" / "dbt" / PARTIAL_PARSE_FILE_NAME


def seed_partial_parse(cache_path: Path, target_path: Path) -> bool:
    """Copy the kept partial-parse file into a new dbt target folder; whether there was one.

    Copied before dagster-dbt looks, so its own copy of the project's (older, possibly
    foreign) file is skipped.
    """
    if not cache_path.is_file():
        return False
    target_path.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cache_path, target_path / PARTIAL_PARSE_FILE_NAME)
    return True


def keep_partial_parse(target_path: Path, cache_path: Path) -> bool:
    """Keep a finished build's partial-parse file for the next refresh; whether it existed.

    Written to a temporary file and renamed, so a concurrent reader sees the old file or
    the new one, never half of one.
    """
    written = target_path / PARTIAL_PARSE_FILE_NAME
    if not written.is_file():
        return False
    cache_path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=cache_path.parent, suffix=".part")
    os.close(handle)
    try:
        shutil.copyfile(written, temporary)
        os.replace(temporary, cache_path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return True
