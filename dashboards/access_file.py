"""The access file and how sign-in is configured; no Streamlit here, so the CLI can ask too.

The access file (`PRODUCTOPS_DASHBOARD_ACCESS_FILE`, TOML, kept outside the repository)
maps each login to a role. Logins are OIDC e-mail addresses or, for password sign-in,
user names; both match case-insensitively:

    [users."cpo@acme.com"]
    role = "cpo"

    [users."vp.payments@acme.com"]
    role = "director"
    portfolios = ["payments"]

    [users.ops]
    role = "product_ops"
    password_hash = "scrypt$16384$8$1$..."   # productops hash-password

Roles come only from this file, never from what someone types or from the identity
provider's claims, so a director cannot make themselves the CPO.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from dashboards import passwords
from dashboards.viewers import DIRECTOR, ROLES, Viewer

OFF, PASSWORD, OIDC = "off", "password", "oidc"
USER_KEYS = frozenset({"role", "portfolios", "password_hash"})


class AccessFileError(ValueError):
    """The access file cannot be used; the message names the entry, never a hash."""


@dataclass(frozen=True)
class Account:
    """One login of the access file."""

    login: str
    role: str
    portfolio_ids: tuple[str, ...]
    password_hash: str | None

    def viewer(self) -> Viewer:
        """The viewer this account signs in as."""
        return Viewer(login=self.login, role=self.role, portfolio_ids=self.portfolio_ids)


@dataclass(frozen=True)
class AccessFile:
    """Every account of the access file, by lower-cased login."""

    accounts: dict[str, Account]

    def account(self, login: str) -> Account | None:
        """The account of `login` (any case), or None when it is not listed."""
        return self.accounts.get(login.strip().lower())

    @property
    def has_passwords(self) -> bool:
        """Whether any account can sign in with a password."""
        return any(account.password_hash for account in self.accounts.values())


def _account(login: str, entry: object) -> Account:
    if not isinstance(entry, dict):
        raise AccessFileError(f"users.{login!r} must be a table with a role")
    unknown = set(entry) - USER_KEYS
    if unknown:
        raise AccessFileError(f"users.{login!r} has unknown keys: {', '.join(sorted(unknown))}")
    role = entry.get("role")
    if role not in ROLES:
        raise AccessFileError(f"users.{login!r}: role must be one of {', '.join(ROLES)}")
    portfolios = entry.get("portfolios", [])
    if not isinstance(portfolios, list) or not all(isinstance(p, str) and p for p in portfolios):
        raise AccessFileError(f"users.{login!r}: portfolios must be a list of portfolio ids")
    if role == DIRECTOR and not portfolios:
        raise AccessFileError(f"users.{login!r}: a director needs at least one portfolio")
    password_hash = entry.get("password_hash")
    if password_hash is not None and not (
        isinstance(password_hash, str) and passwords.is_hash(password_hash)
    ):
        raise AccessFileError(
            f"users.{login!r}: password_hash is not a `productops hash-password` hash"
        )
    return Account(login.strip().lower(), role, tuple(portfolios), password_hash)


def load_access_file(path: Path) -> AccessFile:
    """Read and check the access file; `AccessFileError` says what is wrong with it."""
    try:
        parsed = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AccessFileError(f"the access file {path} does not exist") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        # The parser's message may quote a line of the file, and lines hold hashes.
        raise AccessFileError(
            f"the access file {path} is not readable TOML ({type(error).__name__})"
        ) from None
    users = parsed.get("users", {})
    if not isinstance(users, dict):
        raise AccessFileError("the access file needs a [users.<login>] table per login")
    accounts = [_account(login, entry) for login, entry in users.items()]
    by_login = {account.login: account for account in accounts}
    if len(by_login) != len(accounts):
        raise AccessFileError("the access file lists a login twice (logins ignore case)")
    return AccessFile(by_login)


def oidc_configured(secrets: object) -> bool:
    """Whether Streamlit secrets hold an `[auth]` section st.login() can use."""
    try:
        auth = secrets.get("auth") if hasattr(secrets, "get") else None  # type: ignore[union-attr]
    except Exception:  # noqa: BLE001 - no secrets file at all reads as "not configured"
        return False
    return hasattr(auth, "get") and bool(auth.get("redirect_uri"))


def oidc_configured_in_files(*paths: Path) -> bool:
    """`oidc_configured` for the secrets.toml files Streamlit would read (for the CLI)."""
    for path in paths:
        if path.is_file():
            try:
                if oidc_configured(tomllib.loads(path.read_text(encoding="utf-8"))):
                    return True
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
    return False


def sign_in_mode(password: str | None, access_file: Path | None, oidc: bool) -> str:
    """`oidc` where Streamlit's OIDC login is configured, else `password` when a shared
    password or an access file is set, else `off` (the open demo)."""
    if oidc:
        return OIDC
    if password or access_file is not None:
        return PASSWORD
    return OFF
