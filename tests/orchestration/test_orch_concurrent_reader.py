"""A dashboard process holding the serving copy open read-only while a refresh publishes:
neither fails, the reader keeps seeing one whole refresh, and then sees the new one."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from orch_hr_graph import employee, hr_definitions, write_headcount

from orchestration.refresh import run_refresh

# Opens the serving copy, says so, reads it until told to stop (at most 120 s), then
# reopens the path and reports what every read saw.
READER = """
import json, sys, time
from pathlib import Path
import duckdb

serving, ready, stop = sys.argv[1:4]
sql = "SELECT (SELECT DISTINCT batch_id FROM meta.refresh), (SELECT sum(people) FROM marts.team_headcount)"
con = duckdb.connect(serving, read_only=True)
seen = {tuple(con.execute(sql).fetchone())}
Path(ready).write_text("open")
reads = 0
deadline = time.monotonic() + 120
while not Path(stop).exists() and time.monotonic() < deadline:
    seen.add(tuple(con.execute(sql).fetchone()))
    reads += 1
    time.sleep(0.02)
con.close()
con = duckdb.connect(serving, read_only=True)
after = con.execute(sql).fetchone()
con.close()
print(json.dumps({"seen": sorted(map(list, seen)), "reads": reads, "after": list(after)}))
"""


def _wait_for(path, process, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the reader never opened the serving copy"
        time.sleep(0.05)


def test_a_reader_holding_the_serving_copy_open_survives_a_refresh(folders, tmp_path):
    write_headcount(folders.sources_dir, [employee(1, "Core", 1.0), employee(2, "Core", 1.0)])
    defs = hr_definitions(tmp_path / "hr_tiny")
    first = run_refresh(progress=lambda _: None, definitions=defs)
    ready, stop = tmp_path / "reader.ready", tmp_path / "reader.stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(folders.settings.serving_path), str(ready), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(ready, reader)
        write_headcount(
            folders.sources_dir,
            [employee(1, "Core", 1.0), employee(2, "Core", 1.0), employee(3, "Core", 1.0)],
        )

        second = run_refresh(progress=lambda _: None, definitions=defs)

        stop.write_text("stop")
        out, err = reader.communicate(timeout=60)
    finally:
        if reader.poll() is None:
            reader.kill()
            reader.wait()
    assert reader.returncode == 0, err
    report = json.loads(out)
    assert report["reads"] > 0
    # Every read of the open connection saw the first refresh whole, even after the swap.
    assert report["seen"] == [[first.batch_id, 2]]
    assert report["after"] == [second.batch_id, 3]
