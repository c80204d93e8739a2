"""The Amplitude and BambooHR API settings: environment → `Settings` → reader configs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from orchestration.defs.sources.assets import _amplitude_api_config, _bamboohr_api_config
from orchestration.settings import get_settings

AMPLITUDE_SECRET = "canary-amp-secret-91b2"
BAMBOOHR_KEY = "canary-bamboohr-key-33c1"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    for name in (
        "AMPLITUDE_API_KEY",
        "AMPLITUDE_SECRET_KEY",
        "AMPLITUDE_START",
        "AMPLITUDE_BASE_URL",
        "BAMBOOHR_SUBDOMAIN",
        "BAMBOOHR_API_KEY",
        "BAMBOOHR_REPORT_ID",
    ):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_unset_means_files(env: pytest.MonkeyPatch) -> None:
    settings = get_settings()
    assert _amplitude_api_config(settings) is None and _bamboohr_api_config(settings) is None


def test_configs_from_the_environment_hide_their_secrets(env: pytest.MonkeyPatch) -> None:
    env.setenv("AMPLITUDE_API_KEY", "project-key")
    env.setenv("AMPLITUDE_SECRET_KEY", AMPLITUDE_SECRET)
    env.setenv("AMPLITUDE_START", "20250101T06")
    env.setenv("AMPLITUDE_BASE_URL", "https://analytics.eu.amplitude.com")
    env.setenv("BAMBOOHR_SUBDOMAIN", "acme")
    env.setenv("BAMBOOHR_API_KEY", BAMBOOHR_KEY)
    env.setenv("BAMBOOHR_REPORT_ID", "42")
    settings = get_settings()
    amplitude = _amplitude_api_config(settings)
    bamboohr = _bamboohr_api_config(settings)
    assert amplitude is not None and bamboohr is not None
    assert amplitude.start == datetime(2025, 1, 1, 6)
    assert amplitude.base_url == "https://analytics.eu.amplitude.com"
    assert (bamboohr.subdomain, bamboohr.report_id) == ("acme", "42")
    for shown in (repr(settings), repr(amplitude), repr(bamboohr)):
        assert AMPLITUDE_SECRET not in shown and BAMBOOHR_KEY not in shown


def test_incomplete_settings_say_what_is_missing(env: pytest.MonkeyPatch) -> None:
    env.setenv("AMPLITUDE_API_KEY", "project-key")
    env.setenv("AMPLITUDE_SECRET_KEY", AMPLITUDE_SECRET)
    with pytest.raises(ValueError, match="AMPLITUDE_START"):
        _amplitude_api_config(get_settings())
    env.setenv("AMPLITUDE_START", "2025-01-01")
    get_settings.cache_clear()
    with pytest.raises(ValueError, match="YYYYMMDDTHH"):
        _amplitude_api_config(get_settings())
    env.setenv("BAMBOOHR_SUBDOMAIN", "acme")
    get_settings.cache_clear()
    with pytest.raises(ValueError, match="BAMBOOHR_API_KEY"):
        _bamboohr_api_config(get_settings())
