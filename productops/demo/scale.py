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
            end_users=40_000,
            ideas_per_area_month=3.0,
            designer_share=0.45,
            qa_share=0.3,
        ),
        Scale(
            "l",
            portfolios=9,
            products=70,
            teams=500,
            positions=7_000,
            years=5,
            partners=300,
            end_users=80_000,
            ideas_per_area_month=3.0,
            designer_share=0.45,
            qa_share=0.3,
        ),
        Scale(
            "xl",
            portfolios=12,
            products=100,
            teams=720,
            positions=10_000,
            years=5,
            partners=420,
            end_users=110_000,
            ideas_per_area_month=3.0,
            designer_share=0.45,
            qa_share=0.3,
        ),
    )
}


def get_scale(name: str) -> Scale:
    """The scale called `name` (demo, s, m, l, xl)."""
    try:
        return SCALES[name]
    except KeyError:
        raise ValueError(f"unknown scale {name!r}; expected one of {sorted(SCALES)}") from None
