"""The dashboards pointed at a serving copy with known answers.

`serving_db` is the one fixture the dashboard tests take their data and their
expected answers from. By default it is the hand-built copy of `known_serving`. To
run the same tests against the real demo warehouse, override `serving_db` with one
returning a `ServingDb` for `data/` with the expected values from `seeds/truth.json`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from known_serving import ServingDb, hand_built_serving_db

from orchestration.settings import get_settings


@pytest.fixture(scope="session")
def serving_db(tmp_path_factory: pytest.TempPathFactory) -> ServingDb:
    """The serving copy the dashboard tests read, with the answers they must show."""
    return hand_built_serving_db(tmp_path_factory.mktemp("serving"))


def _point_settings_at(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    monkeypatch.setenv("PRODUCTOPS_DATA_DIR", str(data_dir))
    # Keep the pseudonym key file out of the serving fixture's folder listing.
    monkeypatch.setenv("PRODUCTOPS_PSEUDONYM_KEY", "dashboard-tests")
    get_settings.cache_clear()
    st.cache_data.clear()


@pytest.fixture
def dashboard_env(serving_db: ServingDb, monkeypatch: pytest.MonkeyPatch) -> Iterator[ServingDb]:
    """Settings (and so `dashboards.data`) pointed at `serving_db`, caches cleared."""
    _point_settings_at(monkeypatch, serving_db.data_dir)
    yield serving_db
    get_settings.cache_clear()
    st.cache_data.clear()


@pytest.fixture
def empty_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Settings pointed at a data folder where nothing has been published yet."""
    _point_settings_at(monkeypatch, tmp_path)
    yield tmp_path
    get_settings.cache_clear()
    st.cache_data.clear()
