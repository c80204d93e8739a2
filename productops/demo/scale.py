"""How big a generated company is: one code path, five sizes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    """Sizes of a generated company.

    `positions` is the number of jobs at the as-of date; the HR export holds more rows
    than that because leavers and their replacements are both listed.
    """

    name: str
    portfolios: int
    products: int
    teams: int
    positions: int
    years: int
    partners: int
    end_users: int
    ideas_per_area_month: float
    # Roles other than engineers: one PM and one engineering manager per team, plus
    # these shares of teams with a designer and with a QA engineer.
    designer_share: float = 0.6
    qa_share: float = 0.4
    # How much work and data a person makes; the defaults are the demo's (and s's).
    # Working days of an issue (and of a meeting block) are multiplied by this, so
    # 0.5 makes issues half as long and about twice as many.
    issue_days_factor: float = 1.0
    # A reviewed issue goes back from In Review to In Progress and returns
    # uniform(0, review_rounds_max) times, two status changes a round.
    review_rounds_max: int = 0
    # Sessions an active end user starts in a month: 1 + min(max_extra_sessions,
    # int(expovariate(session_rate))).
    session_rate: float = 0.8
    max_extra_sessions: int = 6
    # gzip level of the big files (Jira pages, analytics months); 6 is gzip's default,
    # 1 is faster to write and gives somewhat bigger files.
    gzip_level: int = 6


# m, l and xl: the workload issue #8 asks of a large organisation. Issues about a
# third as long (a story takes about 2.5 working days: ~1.5M issues at m), review
# back-and-forth of 0-10 rounds (~10 status changes an issue), and about 12 sessions
# an active end user a month (~40 events).
_BIG_ISSUE_DAYS_FACTOR = 0.36
_BIG_REVIEW_ROUNDS_MAX = 10
_BIG_SESSION_RATE = 0.08
_BIG_MAX_EXTRA_SESSIONS = 30

SCALES: dict[str, Scale] = {
    scale.name: scale
    for scale in (
        Scale(
            "demo",
            portfolios=3,
            products=8,
            teams=30,
            positions=290,
            years=3,
            partners=24,
            end_users=3_600,
            ideas_per_area_month=3.0,
        ),
        Scale(
            "s",
            portfolios=4,
            products=14,
            teams=85,
            positions=1_000,
            years=3,
            partners=60,
            end_users=12_000,
            ideas_per_area_month=3.0,
        ),
        Scale(
            "m",
            portfolios=6,
            products=36,
            teams=250,
            positions=3_500,
            years=5,
            partners=150,
            end_users=120_000,
            ideas_per_area_month=3.0,
            designer_share=0.45,
            qa_share=0.3,
            issue_days_factor=_BIG_ISSUE_DAYS_FACTOR,
            review_rounds_max=_BIG_REVIEW_ROUNDS_MAX,
            session_rate=_BIG_SESSION_RATE,
            max_extra_sessions=_BIG_MAX_EXTRA_SESSIONS,
            gzip_level=1,
        ),
        Scale(
            "l",
            portfolios=9,
            products=70,
            teams=500,
            positions=7_000,
            years=5,
            partners=300,
            end_users=240_000,
            ideas_per_area_month=3.0,
            designer_share=0.45,
            qa_share=0.3,
            issue_days_factor=_BIG_ISSUE_DAYS_FACTOR,
            review_rounds_max=_BIG_REVIEW_ROUNDS_MAX,
            session_rate=_BIG_SESSION_RATE,
            max_extra_sessions=_BIG_MAX_EXTRA_SESSIONS,
            gzip_level=1,
        ),
        Scale(
            "xl",
            portfolios=12,
            products=100,
            teams=720,
            positions=10_000,
            years=5,
            partners=420,
            end_users=600_000,
            ideas_per_area_month=3.0,
            designer_share=0.45,
            qa_share=0.3,
            issue_days_factor=_BIG_ISSUE_DAYS_FACTOR,
            review_rounds_max=_BIG_REVIEW_ROUNDS_MAX,
            session_rate=_BIG_SESSION_RATE,
            max_extra_sessions=_BIG_MAX_EXTRA_SESSIONS,
            gzip_level=1,
        ),
    )
}


def get_scale(name: str) -> Scale:
    """The scale called `name` (demo, s, m, l, xl)."""
    try:
        return SCALES[name]
    except KeyError:
        raise ValueError(f"unknown scale {name!r}; expected one of {sorted(SCALES)}") from None
