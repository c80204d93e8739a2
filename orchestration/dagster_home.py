"""The Dagster instance folder (`DAGSTER_HOME`) for `dagster dev` and the daemon.

Its dagster.yaml limits every concurrency pool to one step at a time across runs; the
only pool is `warehouse`, because DuckDB allows one writer. Run
`python -m orchestration.dagster_home` to create it and print its path.
"""

from __future__ import annotations

from pathlib import Path

from orchestration.settings import get_settings

DAGSTER_YAML = """\
# Written by orchestration/dagster_home.py.
concurrency:
  pools:
    # The `warehouse` pool: every asset that writes the DuckDB warehouse, one at a time.
    default_limit: 1
    granularity: op
telemetry:
  enabled: false
"""


def prepare_dagster_home(path: Path | None = None) -> Path:
    """Create the instance folder (default: the settings' `dagster_home`) with dagster.yaml.

    An existing dagster.yaml is left alone: it may hold a deployment's own storage.
    """
    path = path or get_settings().dagster_home
    path.mkdir(parents=True, exist_ok=True)
    config = path / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    return path


if __name__ == "__main__":
    print(prepare_dagster_home())
