"""The refresh's dbt resource skips dagster-dbt's `dbt --version` run and in-process adapter."""

from __future__ import annotations

import re
import subprocess

from packaging import version

from orchestration.defs.dbt.cli_resource import ProductopsDbtCli
from orchestration.defs.dbt.resources import DBT_PROJECT, dbt_executable, dbt_resource


def test_the_refresh_uses_the_lean_resource() -> None:
    assert isinstance(dbt_resource(), ProductopsDbtCli)


def test_its_version_is_what_the_dbt_executable_reports() -> None:
    # dagster-dbt picks dbt Core or Fusion handling from this version: it must be the
    # executable's own, not just any installed package's.
    output = subprocess.run(
        [dbt_executable(), "--version"], capture_output=True, text=True, check=True
    ).stdout
    reported = version.parse(re.search(r"(\d+\.\d+\.\d+)", output).group(1))
    assert dbt_resource()._cli_version == reported


def test_another_dbt_executable_is_still_asked_for_its_version(tmp_path) -> None:
    # A `dbt` outside this virtualenv may be another version: ask it, as dagster-dbt does.
    fake = tmp_path / "dbt"
    fake.write_text("#!/bin/sh\necho 'Core:\n  - installed: 9.8.7'\n")
    fake.chmod(0o755)
    resource = ProductopsDbtCli(project_dir=DBT_PROJECT, dbt_executable=str(fake))
    assert resource._cli_version == version.parse("9.8.7")


def test_no_adapter_is_opened_in_the_refresh_process() -> None:
    assert dbt_resource()._initialize_dbt_core_adapter(["build"]) is None
