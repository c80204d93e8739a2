"""The benchmark's scratch folders: a generated company per scale, and a working copy.

`bench/scratch/<scale>/generated` holds the company as the generator wrote it (made once,
reused by later runs); `bench/scratch/<scale>/run/sources` is a hard-linked copy that the
incremental step may add to, and `run/data` the refresh's state. Both run folders are
emptied at the start of every benchmark, so each run measures the same files.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from orchestration.settings import PROJECT_ROOT

SCRATCH_ROOT = PROJECT_ROOT / "bench" / "scratch"
RESULTS_DIR = PROJECT_ROOT / "bench" / "results"
# Written last by `ensure_generated`: a folder without it is a generation cut short.
COMPLETE_MARKER = ".generated"


@dataclass(frozen=True)
class ScratchPaths:
    """Where one scale's benchmark keeps its files."""

    root: Path

    @property
    def generated(self) -> Path:
        return self.root / "generated"

    @property
    def sources(self) -> Path:
        return self.root / "run" / "sources"

    @property
    def data(self) -> Path:
        return self.root / "run" / "data"

    @property
    def logs(self) -> Path:
        return self.root / "run" / "logs"


def scratch_paths(scale: str, root: Path = SCRATCH_ROOT) -> ScratchPaths:
    """The scratch folders of `scale` under `root`."""
    return ScratchPaths(root / scale)


def generation_marker(scale: str, seed: int) -> dict[str, Any]:
    """What a generated folder is made from: scale, seed, generator version, parameters.

    A folder made by an older generator, or with other sizes for the scale, has a
    different marker and is generated again.
    """
    from productops.demo import GENERATOR_VERSION, get_scale

    return {
        "scale": scale,
        "seed": seed,
        "generator_version": GENERATOR_VERSION,
        "parameters": asdict(get_scale(scale)),
    }


def ensure_generated(
    scale: str, paths: ScratchPaths, seed: int, progress: Callable[[str], None]
) -> bool:
    """Generate `scale` into `paths.generated` unless a complete copy is there; True if made."""
    marker = paths.generated / COMPLETE_MARKER
    wanted = generation_marker(scale, seed)
    if marker.exists() and json.loads(marker.read_text()) == wanted:
        return False
    from productops.demo import generate

    shutil.rmtree(paths.generated, ignore_errors=True)
    generate(scale, paths.generated, seed=seed, progress=progress)
    marker.write_text(json.dumps(wanted, sort_keys=True))
    return True


def fresh_working_copy(paths: ScratchPaths) -> None:
    """Empty `run/` and hard-link the generated files into `run/sources`."""
    shutil.rmtree(paths.root / "run", ignore_errors=True)
    for folder, _dirs, files in os.walk(paths.generated):
        target = paths.sources / Path(folder).relative_to(paths.generated)
        target.mkdir(parents=True, exist_ok=True)
        for name in files:
            if name != COMPLETE_MARKER:
                os.link(Path(folder) / name, target / name)
    paths.data.mkdir(parents=True)
    paths.logs.mkdir(parents=True)


def input_files(sources_dir: Path) -> list[Path]:
    """Every export file a refresh reads: all files but the generator's truth.json."""
    return sorted(
        path
        for path in sources_dir.rglob("*")
        if path.is_file()
        and path.name != "truth.json"
        and not path.name.startswith(".")
        and not path.name.endswith(".part")
    )
