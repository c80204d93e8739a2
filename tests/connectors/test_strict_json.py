"""The strict-JSON check the Jira DuckDB reader runs beside its read, in a child process."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from connectors import strict_json
from connectors.errors import SourceFileError
from connectors.jira.files import read_jira_folder
from connectors.pseudonymise import make_pseudonymiser
from connectors.strict_json import StrictJsonCheck, strict_json_only

PAGES = {
    "strict": '{"issues": [{"id": "1", "key": "PAY-1", "note": "information, finance"}]}',
    "a trailing comma": '{"issues": [{"id": "1", "key": "PAY-1",}]}',
    "a lowercase nan": '{"issues": [{"id": "1", "fields": {"points": nan}}]}',
    "an upper-case infinity": '{"issues": [{"id": "1", "fields": {"points": -INF}}]}',
}


def _pages(tmp_path: Path, text: str, copies: int = 3) -> list[Path]:
    paths = []
    for number in range(1, copies + 1):
        path = tmp_path / f"page_{number:04d}.json.gz"
        # the lenient text on the last page only: every page must be scanned
        path.write_bytes(gzip.compress((text if number == copies else '{"issues": []}').encode()))
        paths.append(path)
    return paths


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_child_process_answers_as_the_scan_in_this_process(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _pages(tmp_path, PAGES[name])
    expected = strict_json_only(paths)

    def no_scan_here(_paths: object) -> bool:
        raise AssertionError("scanned in this process: the child did not answer")

    # the in-process scan is only the fallback for a child that failed
    monkeypatch.setattr(strict_json, "strict_json_only", no_scan_here)
    with StrictJsonCheck(paths, child_process_bytes=0) as check:
        assert check.in_child
        answer = check.result()
    assert answer == expected == (name == "strict")


def test_small_inputs_are_scanned_here_and_an_unasked_child_is_stopped(tmp_path: Path) -> None:
    paths = _pages(tmp_path, PAGES["strict"])
    with StrictJsonCheck(paths) as check:
        assert not check.in_child
        assert check.result()
    with StrictJsonCheck(paths, child_process_bytes=0) as check:
        process = check._process
        assert process is not None
    # left without asking: the child was stopped and waited for
    assert process.returncode is not None


def test_an_unreadable_file_is_not_strict_json(tmp_path: Path) -> None:
    path = tmp_path / "page_0001.json.gz"
    path.write_bytes(b"not gzip at all")
    with StrictJsonCheck([path], child_process_bytes=0) as check:
        assert check.result() is False


def test_a_trailing_comma_found_by_the_child_still_gets_the_python_readers_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the landing's reader: DuckDB reads the page, the child flags it, and the
    Python path raises the error naming the file, line and column."""
    monkeypatch.setattr(strict_json, "CHILD_PROCESS_BYTES", 0)
    (tmp_path / "jira" / "issues").mkdir(parents=True)
    (tmp_path / "jira" / "fields.json").write_text("[]")
    page = tmp_path / "jira" / "issues" / "page_0001.json.gz"
    page.write_bytes(gzip.compress(PAGES["a trailing comma"].encode()))
    with pytest.raises(SourceFileError) as error:
        read_jira_folder(tmp_path, make_pseudonymiser(b"test-key"))
    assert error.value.path == "jira/issues/page_0001.json.gz"
    assert error.value.line == 1
