"""Whether JSON files hold only strict JSON, checked beside a DuckDB read in another process.

DuckDB's JSON parser accepts what Python's `json` refuses: a trailing comma, and nan or
inf spellings other than Python's NaN/Infinity. A reader whose DuckDB path must give
exactly what its Python path gives declines files holding either (the Python path then
raises its usual error or reads them as it always has). A match inside a string only
sends the files to the Python path, which is harmless.

The scan decompresses and searches every byte: 39 CPU-s for the 8.3 GB of Jira pages at
scale m. `StrictJsonCheck` runs it in a child process while DuckDB reads the same files,
so it costs a share of a core instead of time after the read. It is imported by that
child, so it imports nothing heavy.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

_TRAILING_COMMA = re.compile(rb",[ \t\r\n]*[\]}]")
_NAN_OR_INF = re.compile(rb"[:\[,][ \t\r\n]*-?(?:nan|inf)[a-z]*[ \t\r\n]*[,\]}]", re.IGNORECASE)
# Below this many bytes on disk the scan takes well under a second: a child process
# (about 0.1 s to start) would cost more than it saves.
CHILD_PROCESS_BYTES = 64 << 20


def _lenient(data: bytes) -> bool:
    if _TRAILING_COMMA.search(data):
        return True
    # Searching the whole text for the nan/inf pattern is slow; the letters are rare
    # enough (info, finance...) to look only around each occurrence.
    lowered = data.lower()
    for token in (b"nan", b"inf"):
        at = lowered.find(token)
        while at >= 0:
            if _NAN_OR_INF.search(lowered, max(0, at - 256), at + 64):
                return True
            at = lowered.find(token, at + 3)
    return False


def strict_json_only(paths: Sequence[Path]) -> bool:
    """True when no file holds JSON that only DuckDB's lenient parser would accept."""
    for path in paths:
        try:
            data = path.read_bytes()
            if path.name.endswith(".gz"):
                data = gzip.decompress(data)
        except (OSError, EOFError, ValueError):
            # Unreadable here is unreadable for DuckDB too: the Python path says why.
            return False
        if _lenient(data):
            return False
    return True


def main_in_child() -> None:
    """The child's side: JSON list of paths on stdin, `1` (strict) or `0` on stdout."""
    paths = [Path(p) for p in json.load(sys.stdin)]
    sys.stdout.write("1" if strict_json_only(paths) else "0")


class StrictJsonCheck:
    """`strict_json_only(paths)`, started on entry, in a child process for large inputs.

    `result()` waits for the answer; leaving the block without asking (the DuckDB read
    declined anyway) stops the child. Small inputs are scanned in this process when
    asked, as before. The child is a plain `python -c` of this module (not
    multiprocessing): it re-imports no caller's main script, and forks nothing of a
    process whose DuckDB threads may hold locks.
    """

    def __init__(self, paths: Sequence[Path], child_process_bytes: int | None = None):
        self._paths = list(paths)
        self._child_process_bytes = (
            CHILD_PROCESS_BYTES if child_process_bytes is None else child_process_bytes
        )
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Self:
        if _size_on_disk(self._paths) >= self._child_process_bytes:
            package_root = str(Path(__file__).resolve().parent.parent)
            python_path = os.pathsep.join(
                filter(None, [package_root, os.environ.get("PYTHONPATH")])
            )
            self._process = subprocess.Popen(
                [sys.executable, "-c", f"from {__name__} import main_in_child; main_in_child()"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env={**os.environ, "PYTHONPATH": python_path},
            )
            assert self._process.stdin is not None
            self._process.stdin.write(json.dumps([str(p) for p in self._paths]).encode())
            self._process.stdin.close()
        return self

    @property
    def in_child(self) -> bool:
        """Whether the scan runs in a child process (until its answer was taken)."""
        return self._process is not None

    def result(self) -> bool:
        """Whether every file is strict JSON (waits for the child when there is one)."""
        if self._process is None:
            return strict_json_only(self._paths)
        assert self._process.stdout is not None
        answer = self._process.stdout.read()
        self._process.stdout.close()
        returncode = self._process.wait()
        self._process = None
        if returncode != 0 or answer not in (b"0", b"1"):
            # The child failed (killed, out of memory...): ask here.
            return strict_json_only(self._paths)
        return answer == b"1"

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            if self._process.stdout is not None:
                self._process.stdout.close()
            self._process = None


def _size_on_disk(paths: Sequence[Path]) -> int:
    total = 0
    for path in paths:
        try:
            total += path.stat().st_size
        except OSError:
            continue
    return total
