"""Append one day of new data to every source of a generated company, in each tool's format.

The incremental measurement needs "what tomorrow's exports bring": one more Jira search
page of issues updated that day, one more Amplitude export file, a new hire in the HR
report, late postings and revenue lines in finance, new Aha! ideas with their creation
audits and the day's OKR check-ins. New records are cloned from the newest ones already
there, with new ids and dates moved to the new day, so they pass the same readers and
quality gates as the rest.

Files that a tool re-exports whole (HR, finance, OKR CSVs) are rewritten to a temporary
file and renamed over the old name: the working sources folder is a hard-linked copy of
the generated one, and a rename leaves the generated original untouched.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from connectors.source_files import page_files

# New ids live far above anything the generator hands out, so they never collide.
NEW_ID_BASE = 900_000_000
JIRA_TIME = "%Y-%m-%dT%H:%M:%S.%f%z"
AHA_TIME = "%Y-%m-%dT%H:%M:%S.%fZ"
AMPLITUDE_DAY_FRACTION = 1 / 30
NEW_IDEAS = 3
NEW_REVENUE_LINES = 3


def _open_text(path: Path, mode: str = "rt") -> io.TextIOBase:
    if path.name.endswith(".gz"):
        return gzip.open(path, mode, encoding="utf-8")  # type: ignore[return-value]
    return path.open(mode.replace("t", ""), encoding="utf-8")


def _write_gzip_json(path: Path, payload: Any) -> None:
    tmp = path.with_name(path.name + ".part")
    with gzip.open(tmp, "wt", encoding="utf-8") as handle:
        json.dump(payload, handle)
    os.replace(tmp, path)


def _load_json(path: Path) -> Any:
    with _open_text(path) as handle:
        return json.load(handle)


def _next_page_path(pages: list[Path], prefix: str) -> Path:
    last = pages[-1]
    match = re.fullmatch(rf"{re.escape(prefix)}_(\d+)(\.json(?:\.gz)?)", last.name)
    if match is None:
        raise ValueError(f"{last} is not a {prefix}_NNNN page")
    digits, suffix = match.groups()
    return last.with_name(f"{prefix}_{int(digits) + 1:0{len(digits)}d}{suffix}")


def _shift(stamp: str | None, days: int, fmt: str) -> str | None:
    if not stamp:
        return stamp
    moved = datetime.strptime(stamp, fmt) + timedelta(days=days)
    text = moved.strftime(fmt)
    if fmt == JIRA_TIME:
        # strftime writes microseconds and "+0000"; Jira writes milliseconds.
        text = text[:23] + text[26:]
    return text


def _jira_stamps(issue: dict[str, Any]) -> Iterator[str]:
    fields = issue["fields"]
    for key in ("created", "updated", "resolutiondate"):
        if fields.get(key):
            yield fields[key]
    for history in (issue.get("changelog") or {}).get("histories", []):
        yield history["created"]


def append_jira_page(sources_dir: Path, day: date) -> int:
    """One more search page: the last page's issues as new issues updated on `day`."""
    pages = page_files(sources_dir / "jira" / "issues", "page")
    if not pages:
        return 0
    page = _load_json(pages[-1])
    issues = []
    for index, issue in enumerate(page["issues"]):
        latest = max(datetime.strptime(s, JIRA_TIME) for s in _jira_stamps(issue))
        days = (day - latest.date()).days
        clone = json.loads(json.dumps(issue))
        number = NEW_ID_BASE + index
        project = clone["fields"]["project"]["key"]
        clone["id"] = str(number)
        clone["key"] = f"{project}-{number}"
        clone["self"] = re.sub(r"/\d+$", f"/{number}", clone.get("self", ""))
        for key in ("created", "updated", "resolutiondate"):
            clone["fields"][key] = _shift(clone["fields"].get(key), days, JIRA_TIME)
        for h, history in enumerate((clone.get("changelog") or {}).get("histories", [])):
            history["id"] = str(number * 100 + h)
            history["created"] = _shift(history["created"], days, JIRA_TIME)
        issues.append(clone)
    if "startAt" in page:
        page["startAt"] = page["startAt"] + page.get("maxResults", len(issues))
        page["total"] = page.get("total", 0) + len(issues)
    page["issues"] = issues
    _write_gzip_json(_next_page_path(pages, "page"), page)
    return len(issues)


def append_amplitude_day(sources_dir: Path, day: date) -> int:
    """One more Export API file: a thirtieth of the newest month's events, on `day`."""
    folder = sources_dir / "analytics" / "amplitude"
    files = sorted(folder.glob("events_*.json.gz")) if folder.is_dir() else []
    if not files:
        return 0
    with _open_text(files[-1]) as handle:
        lines = sum(1 for _ in handle)
    wanted = max(1, round(lines * AMPLITUDE_DAY_FRACTION))
    target = folder / f"events_{day.isoformat()}.json.gz"
    tmp = target.with_name(target.name + ".part")
    written = 0
    with _open_text(files[-1]) as source, gzip.open(tmp, "wt", encoding="utf-8") as out:
        for line in source:
            if written == wanted:
                break
            event = json.loads(line)
            event["$insert_id"] = f"bench-{day.isoformat()}-{event['$insert_id']}"
            event["event_time"] = day.isoformat() + event["event_time"][10:]
            out.write(json.dumps(event, separators=(",", ":")) + "\n")
            written += 1
    os.replace(tmp, target)
    return written


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _append_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> int:
    tmp = path.with_name(path.name + ".part")
    with path.open("rb") as old, tmp.open("wb") as new:
        content = old.read()
        new.write(content)
        if content and not content.endswith(b"\n"):
            new.write(b"\n")
        buffer = io.StringIO()
        csv.DictWriter(buffer, fieldnames=header, lineterminator="\n").writerows(rows)
        new.write(buffer.getvalue().encode("utf-8"))
    os.replace(tmp, path)
    return len(rows)


def append_hr_hire(sources_dir: Path, day: date) -> int:
    """A new hire starting on `day`, cloned from the report's last row."""
    path = sources_dir / "hr" / "headcount.csv"
    if not path.exists():
        return 0
    header, rows = _read_csv(path)
    last = dict(rows[-1])
    number = max(int(r["Employee #"]) for r in rows if r["Employee #"].isdigit()) + 1
    domain = last["Work Email"].partition("@")[2] or "example.com"
    last.update(
        {
            "Employee #": str(number),
            "First Name": "Bench",
            "Last Name": f"Hire{number}",
            "Work Email": f"bench.hire{number}@{domain}",
            "Hire Date": day.isoformat(),
            "Termination Date": "0000-00-00",
            "Pay Rate Effective Date": day.isoformat(),
        }
    )
    return _append_csv(path, header, [last])


def append_finance_day(sources_dir: Path, day: date) -> int:
    """Late postings and revenue lines for the last closed month.

    Books close monthly, so a new day brings adjustments to the closed month rather
    than a new month: the last posting day's GL lines again on the month's last day,
    and the last period's revenue for a few SKUs from a new customer.
    """
    appended = 0
    gl = sources_dir / "finance" / "gl.csv"
    if gl.exists():
        header, rows = _read_csv(gl)
        last_day = max(r["Date"] for r in rows)
        posted = date.fromisoformat(last_day)
        month_end = (posted.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(1)
        late = [
            {**r, "Date": month_end.isoformat(), "Memo": f"Late accrual {day.isoformat()}"}
            for r in rows
            if r["Date"] == last_day
        ]
        appended += _append_csv(gl, header, late)
    revenue = sources_dir / "finance" / "revenue.csv"
    if revenue.exists():
        header, rows = _read_csv(revenue)
        period = max(r["Period"] for r in rows)
        skus = sorted({r["SKU"] for r in rows if r["Period"] == period})[:NEW_REVENUE_LINES]
        template = next(r for r in rows if r["Period"] == period)
        new = [
            {**template, "SKU": sku, "Customer": f"Bench Customer {day.isoformat()}"}
            for sku in skus
        ]
        appended += _append_csv(revenue, header, new)
    return appended


def _aha_stamp(day: date, index: int) -> str:
    return f"{day.isoformat()}T09:{index % 60:02d}:00.000Z"


def append_aha_day(sources_dir: Path, day: date) -> int:
    """New ideas submitted on `day` (one more ideas page) and their creation audits."""
    folder = sources_dir / "roadmap" / "aha"
    idea_pages = page_files(folder, "ideas_page")
    audit_pages = page_files(folder, "audits_page")
    if not idea_pages:
        return 0
    last_page = _load_json(idea_pages[-1])
    ideas = []
    for index, idea in enumerate(last_page["ideas"][-NEW_IDEAS:]):
        clone = json.loads(json.dumps(idea))
        number = NEW_ID_BASE + index
        prefix = clone["reference_num"].rsplit("-", 1)[0]
        clone["id"] = f"99{number:017d}"
        clone["reference_num"] = f"{prefix}-{number}"
        clone["created_at"] = clone["updated_at"] = _aha_stamp(day, index)
        clone.pop("url", None)
        ideas.append(clone)
    pagination = last_page.get("pagination", {})
    page_number = pagination.get("current_page", len(idea_pages)) + 1
    last_page["ideas"] = ideas
    last_page["pagination"] = {
        "total_records": pagination.get("total_records", 0) + len(ideas),
        "total_pages": page_number,
        "current_page": page_number,
    }
    _write_gzip_json(_next_page_path(idea_pages, "ideas_page"), last_page)
    written = len(ideas)
    if audit_pages:
        audits = [
            {
                "id": f"98{NEW_ID_BASE + index:017d}",
                "audit_action": "create",
                "created_at": idea["created_at"],
                "auditable_type": "Idea",
                "auditable_id": idea["id"],
                "description": "workflow status changed",
                "changes": {"workflow_status": [None, idea["workflow_status"]["name"]]},
            }
            for index, idea in enumerate(ideas)
        ]
        audit_number = len(audit_pages) + 1
        page = {
            "historical_audits": audits,
            "pagination": {
                "total_records": len(audits),
                "total_pages": audit_number,
                "current_page": audit_number,
            },
        }
        _write_gzip_json(_next_page_path(audit_pages, "audits_page"), page)
        written += len(audits)
    return written


def append_okr_checkins(sources_dir: Path, day: date) -> int:
    """The newest check-in day's check-ins again, taken on `day`."""
    path = sources_dir / "okrs" / "checkins.csv"
    if not path.exists():
        return 0
    header, rows = _read_csv(path)
    latest = max(r["checkin_date"] for r in rows)
    new = [{**r, "checkin_date": day.isoformat()} for r in rows if r["checkin_date"] == latest]
    return _append_csv(path, header, new)


def append_one_day(sources_dir: Path, day: date) -> dict[str, int]:
    """Append `day`'s new records to every source in `sources_dir`; records per source."""
    return {
        "jira": append_jira_page(sources_dir, day),
        "hr": append_hr_hire(sources_dir, day),
        "finance": append_finance_day(sources_dir, day),
        "analytics": append_amplitude_day(sources_dir, day),
        "roadmap": append_aha_day(sources_dir, day),
        "okrs": append_okr_checkins(sources_dir, day),
    }
