"""A seed names one company: same seed, same bytes; another seed, another company."""

from __future__ import annotations

from pathlib import Path

from demo_companies import GeneratedCompanies

from productops.demo.generator import clear_generated_series


def _files(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_same_seed_writes_byte_identical_files(companies: GeneratedCompanies) -> None:
    main, twin = _files(companies.main), _files(companies.twin)
    assert sorted(main) == sorted(twin)
    different = [name for name in main if main[name].read_bytes() != twin[name].read_bytes()]
    assert different == []


def test_every_source_folder_is_written(companies: GeneratedCompanies) -> None:
    names = _files(companies.main)
    for expected in (
        "catalog.yml",
        "truth.json",
        "hr/headcount.csv",
        "finance/gl.csv",
        "finance/revenue.csv",
        "finance/fx_rates.csv",
        "jira/fields.json",
        "jira/projects.json",
        "jira/statuses.json",
        "jira/issues/page_0001.json.gz",
        "roadmap/aha/ideas_page_0001.json.gz",
        "roadmap/aha/features_page_0001.json.gz",
        "roadmap/aha/audits_page_0001.json.gz",
        "okrs/objectives.csv",
        "okrs/key_results.csv",
        "okrs/checkins.csv",
        "analytics/amplitude/events_2026-10.json.gz",
    ):
        assert expected in names, expected
    assert not [n for n in names if n.endswith(".spool")], "spool files must be cleaned up"


def test_another_seed_writes_another_company(companies: GeneratedCompanies) -> None:
    for name in (
        "hr/headcount.csv",
        "finance/revenue.csv",
        "jira/issues/page_0001.json.gz",
        "analytics/amplitude/events_2026-10.json.gz",
        "okrs/checkins.csv",
    ):
        assert (companies.main / name).read_bytes() != (companies.other / name).read_bytes(), name
    other = (companies.other / "truth.json").read_text(encoding="utf-8")
    assert '"seed": 7' in other
    assert other != (companies.main / "truth.json").read_text(encoding="utf-8")


def test_generate_returns_the_truth_it_wrote(companies: GeneratedCompanies) -> None:
    assert companies.returned_truth == companies.truth


def test_gzip_files_carry_no_timestamp(companies: GeneratedCompanies) -> None:
    gzipped = [p for p in companies.main.rglob("*.gz")]
    assert gzipped
    for path in gzipped:
        header = path.read_bytes()[:10]
        assert header[:2] == b"\x1f\x8b" and header[4:8] == b"\x00\x00\x00\x00", path.name


def test_regenerating_into_the_same_folder_leaves_no_stale_pages(tmp_path: Path) -> None:
    stale = tmp_path / "jira" / "issues" / "page_9999.json.gz"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    clear_generated_series(tmp_path)
    assert not stale.exists()
