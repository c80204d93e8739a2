"""The three generated companies the demo tests share (see conftest.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class GeneratedCompanies:
    """Folders of the three generated companies and what `generate` returned."""

    main: Path
    twin: Path
    other: Path
    returned_truth: dict[str, Any]

    @property
    def truth(self) -> dict[str, Any]:
        """truth.json of the main company, as written."""
        return json.loads((self.main / "truth.json").read_text(encoding="utf-8"))
