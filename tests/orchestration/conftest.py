"""Settings pointed at a temporary data and sources folder for each orchestration test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from orchestration.settings import Settings, get_settings


@dataclass(frozen=True)
class Folders:
    """The temporary folders a test's settings point at."""

    data_dir: Path
    sources_dir: Path
    settings: Settings


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Folders]:
    """`get_settings()` reading `tmp_path/data` and `tmp_path/exports`, for this test only."""
    data_dir = tmp_path / "data"
    sources_dir = tmp_path / "exports"
    sources_dir.mkdir()
    monkeypatch.setenv("PRODUCTOPS_DATA_DIR", str(data_dir))
    monkeypatch.setenv("PRODUCTOPS_SOURCES_DIR", str(sources_dir))
    monkeypatch.setenv("PRODUCTOPS_PSEUDONYM_KEY", "orchestration-tests")
    get_settings.cache_clear()
    yield Folders(data_dir, sources_dir, get_settings())
    get_settings.cache_clear()
