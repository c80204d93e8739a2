"""How the test session builds the demo warehouse: the way a user would, with the CLI."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from orchestration.settings import PROJECT_ROOT

SEEDS_DIR = PROJECT_ROOT / "seeds"
# A fixed key so pseudonyms are reproducible inside a test session; not a secret.
TEST_PSEUDONYM_KEY = "productops-test-session-key"


@dataclass(frozen=True)
class BuiltWarehouse:
    """A demo warehouse built by `productops refresh`, as a user would build it."""

    data_dir: Path
    env: dict[str, str]
    refresh_output: str

    @property
    def warehouse_path(self) -> Path:
        return self.data_dir / "warehouse.duckdb"

    @property
    def serving_path(self) -> Path:
        return self.data_dir / "serving.duckdb"


def run_refresh_cli(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `productops refresh` in a child process, the way `make demo` does."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "productops"), "refresh"],
        # Callers judge the exit code themselves, with the output in their message.
        check=False,
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
