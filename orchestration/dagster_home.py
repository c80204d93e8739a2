"""The Dagster instance folder (`DAGSTER_HOME`) for `dagster dev` and the daemon.

Its dagster.yaml limits every concurrency pool to one step at a time across runs; the
only pool is `warehouse`, because DuckDB allows one writer, so queued runs wait for the
pool instead of failing on the DuckDB lock. Run history, schedules and sensor cursors
live in sqlite under `<data>/dagster/storage` by default. A team running the daemon for
real sets `PRODUCTOPS_DAGSTER_POSTGRES_URL` (and installs `dagster-postgres`): the file
then points Dagster's storage at that environment variable, so the URL and its password
never land on disk. Run `python -m orchestration.dagster_home` to create the folder and
print its path.
"""

from __future__ import annotations

from pathlib import Path

from orchestration.settings import DAGSTER_POSTGRES_URL_VAR, get_settings

MARKER = "# Written by orchestration/dagster_home.py"

_COMMON = """\
concurrency:
  pools:
    # The `warehouse` pool: every asset that writes the DuckDB warehouse, one at a time.
    default_limit: 1
    granularity: op
telemetry:
  enabled: false
"""


def dagster_yaml(home: Path, postgres: bool) -> str:
    """The instance config: sqlite under `home`, or PostgreSQL from the URL variable."""
    if postgres:
        storage = (
            f"storage:\n  postgres:\n    postgres_url:\n      env: {DAGSTER_POSTGRES_URL_VAR}\n"
        )
    else:
        storage = f"storage:\n  sqlite:\n    base_dir: {home / 'storage'}\n"
    return f"{MARKER}; edits are overwritten unless this line is removed.\n{_COMMON}{storage}"


def prepare_dagster_home(path: Path | None = None) -> Path:
    """Create the instance folder (default: the settings' `dagster_home`) with dagster.yaml.

    A dagster.yaml without the marker line is a deployment's own and is left alone;
    one this module wrote is rewritten, so a changed storage setting takes effect.
    """
    settings = get_settings()
    path = path or settings.dagster_home
    path.mkdir(parents=True, exist_ok=True)
    config = path / "dagster.yaml"
    if not config.exists() or config.read_text().startswith(MARKER):
        config.write_text(dagster_yaml(path, postgres=settings.dagster_postgres_url is not None))
    return path


if __name__ == "__main__":
    print(prepare_dagster_home())
