"""Great Expectations in a child process that imports it while the refresh starts up.

Importing Great Expectations takes about 3 s (it pulls in scipy and altair). In a
refresh that import sat on the critical path: the first source's gate waited for it,
3 s of an incremental refresh's 44 s on a saved scale-m state. `productops refresh` starts
this worker before anything else (`ge_worker()`): the child imports Great Expectations
and builds its in-memory context on the second core while the refresh imports Dagster
and loads its definitions. The gate (quality.py) then sends each batch it would have
validated in-process, the table and its arguments pickled (an Arrow table pickles as
IPC buffers; a spilled export as the paths of its Arrow files, which the child reads
itself), and receives the same `CheckOutcome`s.

Without a running worker (`dagster dev`, a schedule's run, tests calling the gate)
validation runs in-process as before. If the child has died, the gate falls back to
validating in-process; an exception raised by a validation in the child is raised again
here.

This module imports only the standard library: the refresh imports it first thing, and
the child imports the gate's module itself.
"""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

_LENGTH = struct.Struct("<Q")
_READY = b"ready"
_active: GeWorker | None = None


def _write(stream: IO[bytes], payload: bytes) -> None:
    stream.write(_LENGTH.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def _read(stream: IO[bytes]) -> bytes | None:
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(head)
    payload = stream.read(size)
    return payload if len(payload) == size else None


class GeWorker:
    """A child process that validates batches with Great Expectations, one at a time."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self._lock = threading.Lock()
        self._ready = False
        self.broken = False
        self.validated = 0

    @classmethod
    def start(cls) -> GeWorker:
        """Start the child; it imports Great Expectations while the caller goes on."""
        env = dict(os.environ)
        # The child must import this checkout's modules as the parent does.
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        process = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        return cls(process)

    def validate(self, arguments: tuple[Any, ...]) -> Any:
        """`quality._validate_with_ge(*arguments)` in the child, or None if the child is gone.

        Raises what the validation raised in the child.
        """
        with self._lock:
            if self.broken:
                return None
            try:
                request = pickle.dumps(arguments, protocol=pickle.HIGHEST_PROTOCOL)
                if not self._ready:
                    self._ready = _read(self.process.stdout) == _READY  # type: ignore[arg-type]
                    if not self._ready:
                        raise EOFError("the worker did not start")
                _write(self.process.stdin, request)  # type: ignore[arg-type]
                reply = _read(self.process.stdout)  # type: ignore[arg-type]
                if reply is None:
                    raise EOFError("the worker exited")
            except (OSError, EOFError, pickle.PicklingError):
                self.broken = True
                return None
            ok, value = pickle.loads(reply)
            self.validated += 1
        if not ok:
            raise value
        return value

    def close(self) -> None:
        """Ask the child to exit (end of input), and make sure it did.

        A child that never validated may still be importing: it is stopped at once, so a
        refresh that ends early does not wait for an import nobody needs.
        """
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
            if not self._ready:
                self.process.kill()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        finally:
            if self.process.stdout is not None:
                self.process.stdout.close()


@contextmanager
def ge_worker() -> Iterator[GeWorker]:
    """Run a worker for the block: the gate validates there instead of in this process."""
    global _active
    worker = GeWorker.start()
    previous, _active = _active, worker
    try:
        yield worker
    finally:
        _active = previous
        worker.close()


def active_worker() -> GeWorker | None:
    """The worker started by the innermost running `ge_worker()` block, if any."""
    return _active


def _reply(value: Any, ok: bool) -> bytes:
    try:
        return pickle.dumps((ok, value), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as error:  # noqa: BLE001 - unpicklable: the parent still gets what it was
        return pickle.dumps((False, RuntimeError(f"{type(value).__name__}: {value} ({error})")))


def _serve() -> None:
    channel_in, channel_out = sys.stdin.buffer, sys.stdout.buffer
    # Anything printed by what runs here must not corrupt the channel.
    sys.stdout = sys.stderr
    from orchestration.defs.sources import quality

    quality.warm_up_great_expectations()
    _write(channel_out, _READY)
    while (request := _read(channel_in)) is not None:
        try:
            reply = _reply(quality._validate_with_ge(*pickle.loads(request)), ok=True)
        except Exception as error:  # noqa: BLE001 - the parent raises it again
            reply = _reply(error, ok=False)
        _write(channel_out, reply)


if __name__ == "__main__":
    _serve()
