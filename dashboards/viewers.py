"""Who is looking at the dashboards, and what their role lets them see.

A `Viewer` is resolved once per run by `dashboards.access` and handed to every query in
`dashboards.data`, which filters in SQL; pages never decide on their own what a role
may see. The matrix:

| page / download            | cpo, product_ops | director                         | no role |
|----------------------------|------------------|----------------------------------|---------|
| CPO overview               | everything       | own portfolios, no board pack    | nothing |
| Portfolio, Cost vs revenue | everything       | own portfolios' products         | nothing |
| Goals                      | everything       | own portfolios' objectives + KRs | nothing |
| Decisions, Adoption        | everything       | own portfolios' products         | nothing |
| Data health                | everything       | not shown                        | nothing |
| Definitions                | yes              | yes                              | nothing |
| Board pack (PPTX)          | yes              | no                               | no      |
| CSV / XLSX of a table      | what it shows    | what it shows (own portfolios)   | no      |
"""

from __future__ import annotations

from dataclasses import dataclass

CPO = "cpo"
PRODUCT_OPS = "product_ops"
DIRECTOR = "director"
NO_ROLE = "none"  # signed in (or not) but not in the access file: sees no data
ROLES = (CPO, PRODUCT_OPS, DIRECTOR)
FULL_ACCESS_ROLES = frozenset({CPO, PRODUCT_OPS})

# Page keys (the file names under app_pages/) and the roles that may open them.
EVERY_ROLE = frozenset(ROLES)
PAGE_ROLES: dict[str, frozenset[str]] = {
    "cpo_overview": EVERY_ROLE,
    "portfolio": EVERY_ROLE,
    "cost_vs_revenue": EVERY_ROLE,
    "goals": EVERY_ROLE,
    "decisions": EVERY_ROLE,
    "adoption": EVERY_ROLE,
    "data_health": FULL_ACCESS_ROLES,
    "definitions": EVERY_ROLE,
}
BOARD_PACK_ROLES = FULL_ACCESS_ROLES

# A portfolio scope: None means every portfolio; a tuple (possibly empty) names them.
Portfolios = tuple[str, ...] | None


@dataclass(frozen=True)
class Viewer:
    """A signed-in login with its role and, for a director, the portfolios they own."""

    login: str | None
    role: str
    portfolio_ids: tuple[str, ...] = ()
    signed_in: bool = True  # False only when sign-in is off (the open demo)

    @property
    def sees_everything(self) -> bool:
        """CPO and product ops see every portfolio, page and download."""
        return self.role in FULL_ACCESS_ROLES

    @property
    def portfolios(self) -> Portfolios:
        """The portfolios this viewer may see: None for all, () for none."""
        if self.sees_everything:
            return None
        if self.role == DIRECTOR:
            return self.portfolio_ids
        return ()

    def may_open(self, page: str) -> bool:
        """Whether the page `page` (an `app_pages/` file name without `.py`) is for this role."""
        return self.role in PAGE_ROLES.get(page, frozenset())

    @property
    def may_download_board_pack(self) -> bool:
        """The board pack is the whole company's: CPO and product ops only."""
        return self.role in BOARD_PACK_ROLES

    @property
    def label(self) -> str:
        """`vp@acme.com (director: payments)`, for the sidebar; never a secret."""
        if self.role == DIRECTOR:
            scope = ", ".join(self.portfolio_ids)
            return f"{self.login} (director: {scope})"
        return f"{self.login} ({self.role.replace('_', ' ')})"


# A process of its own (the CLI, the Dagster board-pack asset, the benchmark) queries
# with full access: whoever runs it can read the serving file anyway.
TRUSTED_PROCESS = Viewer(login="local process", role=PRODUCT_OPS)
# Sign-in is off (nothing configured): everything is shown, and the sidebar says so.
OPEN_ACCESS = Viewer(login=None, role=CPO, signed_in=False)
# Signed in but unknown, or inside the app without a resolved viewer: no data.
NO_ACCESS = Viewer(login=None, role=NO_ROLE)
