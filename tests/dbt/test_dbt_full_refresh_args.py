"""`productops refresh --full-refresh` (PRODUCTOPS_FULL_REFRESH) reaches `dbt build`."""

from __future__ import annotations

from orchestration.defs.dbt.resources import dbt_build_args
from orchestration.settings import FULL_REFRESH_VAR, get_settings


def test_an_ordinary_refresh_builds_incrementally():
    assert dbt_build_args() == ["build"]


def test_the_settings_flag_or_the_run_config_rebuilds_from_scratch():
    assert dbt_build_args(settings_full_refresh=True) == ["build", "--full-refresh"]
    assert dbt_build_args(full_refresh=True) == ["build", "--full-refresh"]


def test_the_environment_variable_sets_the_settings_flag(monkeypatch):
    monkeypatch.setenv(FULL_REFRESH_VAR, "1")
    get_settings.cache_clear()
    try:
        assert dbt_build_args(settings_full_refresh=get_settings().full_refresh) == [
            "build",
            "--full-refresh",
        ]
    finally:
        monkeypatch.delenv(FULL_REFRESH_VAR)
        get_settings.cache_clear()
    assert get_settings().full_refresh is False


def test_a_refresh_leaves_the_unit_tests_to_make_test():
    assert dbt_build_args(unit_tests=False) == ["build", "--exclude-resource-type", "unit_test"]
    assert dbt_build_args(full_refresh=True, unit_tests=False) == [
        "build",
        "--full-refresh",
        "--exclude-resource-type",
        "unit_test",
    ]
