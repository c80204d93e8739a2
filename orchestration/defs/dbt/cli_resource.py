"""`ProductopsDbtCli`: dagster-dbt's `DbtCliResource` without two start-up costs we never use.

Before every `dbt build`, `DbtCliResource.cli()` runs `dbt --version` in a subprocess
(to tell dbt Core from the Fusion engine) and opens a dbt adapter inside this process
(only needed by `fetch_row_counts()`/`fetch_column_metadata()`, which productops does
not call). Together that is about 4 s of every refresh on 2 cores, whatever the data
size. The refresh always runs the dbt Core installed beside this Python
(`dbt_executable()`), so its version is the installed `dbt-core` package's, and no
adapter handle is needed.
"""

from __future__ import annotations

import sys
from functools import cached_property
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any

from dagster_dbt import DbtCliResource
from packaging import version

_DBT_CORE = "dbt-core"


def _beside_this_python(executable: str) -> bool:
    """Whether `executable` is the `dbt` of this virtualenv (so dbt-core's version is its own)."""
    # Not resolved: a venv's `python` is a symlink into the base interpreter's folder.
    return Path(executable).absolute().parent == Path(sys.executable).absolute().parent


class ProductopsDbtCli(DbtCliResource):
    """The `dbt` resource: the venv's dbt Core, without a `dbt --version` run or an in-process adapter."""

    @cached_property
    def _cli_version(self) -> version.Version:
        """dbt-core's installed version when the executable is this venv's `dbt`; else ask it."""
        if _beside_this_python(self.dbt_executable):
            try:
                return version.parse(installed_version(_DBT_CORE))
            except PackageNotFoundError:
                pass
        return super()._cli_version

    def _initialize_dbt_core_adapter(self, args: Any) -> Any:
        """No adapter: only `fetch_row_counts`/`fetch_column_metadata` use it, and we call neither."""
        return None
