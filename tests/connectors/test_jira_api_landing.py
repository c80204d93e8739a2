"""The Jira API source end to end: the real `raw_jira` asset configured by environment
variables, landing from a fake Jira serving real payloads, then dbt staging on it.

Proves that the staging models count exactly the issues and status transitions the
fixture files hold, and that an issue deleted in Jira leaves raw and staging after
the reconcile.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from connector_samples import MINIMAL_CATALOG, PROJECT_ROOT
from dagster import materialize
from fake_jira import DATA_CENTER, FakeJira
from jira_fixture_payloads import expected_counts, fixtures_available, load_payloads

from connectors.sources import source
from orchestration.defs.sources.assets import build_source_assets
from orchestration.settings import get_settings

pytestmark = pytest.mark.skipif(
    not fixtures_available(), reason="../shared/fixtures/real is not available"
)
DELETED = "10064"  # EE-2


def _count(warehouse: Path, sql: str) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def _dbt_staging(warehouse: Path, work: Path) -> subprocess.CompletedProcess[str]:
    dbt = Path(sys.executable).parent / "dbt"
    return subprocess.run(
        [
            str(dbt),
            "run",
            "--select",
            "+stg_jira__issues",
            "+stg_jira__status_changes",
            "--project-dir",
            "dbt_project",
            "--profiles-dir",
            "dbt_project",
            "--target-path",
            str(work / "target"),
            "--log-path",
            str(work / "logs"),
        ],
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            "PRODUCTOPS_WAREHOUSE": str(warehouse),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        },
        capture_output=True,
        text=True,
        timeout=540,
        check=False,
    )


def test_api_issues_land_and_stage_once_and_deleted_ones_leave(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources_dir = tmp_path / "exports"
    sources_dir.mkdir()
    (sources_dir / "catalog.yml").write_text(
        MINIMAL_CATALOG.replace("jira_projects: [PAY]", "jira_projects: [EE, K5]")
    )
    # Real payloads as they come, "-1" story points included: they read as not estimated
    # and pass the landing gate.
    payloads = load_payloads()
    monkeypatch.setenv("PRODUCTOPS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PRODUCTOPS_SOURCES_DIR", str(sources_dir))
    monkeypatch.setenv("PRODUCTOPS_PSEUDONYM_KEY", "jira-api-landing")
    monkeypatch.setenv("JIRA_PAT", "landing-test-token")

    with FakeJira(payloads, DATA_CENTER, secret="landing-test-token", changelog_cap=10) as fake:
        monkeypatch.setenv("JIRA_BASE_URL", fake.base_url)
        get_settings.cache_clear()
        assets = [build_source_assets(source("catalog")), build_source_assets(source("jira"))]
        assert materialize(assets).success
        warehouse = get_settings().warehouse_path
        landed = {
            "issues": _count(warehouse, "select count(*) from raw.jira__issues"),
            "changelog": _count(warehouse, "select count(*) from raw.jira__changelog"),
        }

        fake.delete(DELETED)
        monkeypatch.setenv("JIRA_RECONCILE_DAYS", "0")  # reconcile on the next run
        get_settings.cache_clear()
        assert materialize([build_source_assets(source("jira"))]).success
        remaining = list(fake.issues.values())

    expected = expected_counts(payloads.issues)
    assert landed == {"issues": expected["issues"], "changelog": expected["changelog_items"]}
    after = expected_counts(remaining)
    assert after["issues"] == expected["issues"] - 1
    assert _count(warehouse, "select count(*) from raw.jira__issues") == after["issues"]
    assert _count(warehouse, "select count(*) from raw.jira__changelog") == after["changelog_items"]
    assert (
        _count(warehouse, f"select count(*) from raw.jira__changelog where issue_id = '{DELETED}'")
        == 0
    )

    result = _dbt_staging(warehouse, tmp_path / "dbt")
    assert result.returncode == 0, result.stdout[-3000:]
    assert _count(warehouse, "select count(*) from staging.stg_jira__issues") == after["issues"]
    assert (
        _count(warehouse, "select count(*) from staging.stg_jira__status_changes")
        == after["status_changes"]
    )
