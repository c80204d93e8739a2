"""Shared fixtures for the connector tests: a pseudonymiser and file writers."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from connector_samples import REAL_FIXTURES

from connectors.pseudonymise import Pseudonymiser, make_pseudonymiser


@pytest.fixture
def pseudonymise() -> Pseudonymiser:
    """The pseudonymiser the readers get in these tests (a fixed test key)."""
    return make_pseudonymiser(b"connector-tests-key")


@pytest.fixture
def write_json() -> Callable[[Path, Any], Path]:
    """Write an object as JSON (gzipped when the name ends in .gz), creating folders."""

    def write(path: Path, payload: Any) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(payload).encode()
        path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
        return path

    return write


@pytest.fixture
def write_text() -> Callable[[Path, str], Path]:
    """Write text (gzipped when the name ends in .gz), creating folders."""

    def write(path: Path, content: str) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode()
        path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
        return path

    return write


@pytest.fixture
def real_fixtures() -> Path:
    """The real payloads of other projects (read in place, never copied)."""
    if not REAL_FIXTURES.is_dir():
        pytest.skip("../shared/fixtures/real is not available")
    return REAL_FIXTURES
