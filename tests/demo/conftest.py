"""The demo company generated once per test session, three times over.

`main` is generated in this process (seed 42); `twin` (seed 42 again) and `other`
(seed 7) in child processes with different hash seeds, started first so the three
runs share the machine's cores.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from demo_companies import GeneratedCompanies
from demo_recompute import jira_issues

from productops.demo import generate

SEED, OTHER_SEED = 42, 7


def _spawn(out: Path, seed: int, hash_seed: str) -> subprocess.Popen[str]:
    code = (
        "import sys; from pathlib import Path; from productops.demo import generate; "
        "generate('demo', Path(sys.argv[1]), int(sys.argv[2]))"
    )
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    return subprocess.Popen(
        [sys.executable, "-c", code, str(out), str(seed)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture(scope="session")
def companies(tmp_path_factory: pytest.TempPathFactory) -> GeneratedCompanies:
    """Generate the demo company three times (two with the same seed)."""
    base = tmp_path_factory.mktemp("demo-companies")
    children = {
        name: _spawn(base / name, seed, hash_seed)
        for name, seed, hash_seed in (("twin", SEED, "1"), ("other", OTHER_SEED, "2"))
    }
    returned = generate("demo", base / "main", SEED)
    for name, child in children.items():
        output, _ = child.communicate(timeout=600)
        if child.returncode != 0:
            pytest.fail(f"generating the {name} company failed:\n{output[-4000:]}")
    return GeneratedCompanies(base / "main", base / "twin", base / "other", returned)


@pytest.fixture(scope="session")
def demo(companies: GeneratedCompanies) -> Path:
    """The folder of the main demo company (seed 42)."""
    return companies.main


@pytest.fixture(scope="session")
def planted(companies: GeneratedCompanies) -> dict[str, Any]:
    """truth.json of the main demo company."""
    return companies.truth


@pytest.fixture(scope="session")
def issues(demo: Path) -> list[dict[str, Any]]:
    """Every Jira issue of the main demo company's search pages, parsed once."""
    return jira_issues(demo)
