"""Sign-in and the viewer of this session: the only module that reads `st.user` or the
password sign-in's session state.

Three modes (`access_file.sign_in_mode`): Streamlit's OIDC login where `[auth]` is in
`.streamlit/secrets.toml`; a password form where `PRODUCTOPS_DASHBOARD_PASSWORD` or an
access file is set; otherwise off, which shows everything and says so in the sidebar.
Every page asks `viewer()` and passes the result to `dashboards.data`, which filters.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboards import passwords
from dashboards.access_file import (
    OFF,
    OIDC,
    PASSWORD,
    AccessFile,
    AccessFileError,
    load_access_file,
    oidc_configured,
    sign_in_mode,
)
from dashboards.viewers import NO_ACCESS, NO_ROLE, OPEN_ACCESS, PRODUCT_OPS, Viewer
from orchestration.settings import get_settings

# What a password sign-in keeps in the session: ("shared",) or ("user", login). Never
# the password; the role is looked up again on every run so a revoked login is out at once.
SESSION_KEY = "_productops_signed_in"
SHARED_PASSWORD_VIEWER = Viewer(login="shared password", role=PRODUCT_OPS)


def mode() -> str:
    """`oidc`, `password` or `off` for this server's configuration."""
    settings = get_settings()
    return sign_in_mode(
        settings.dashboard_password, settings.dashboard_access_file, oidc_configured(st.secrets)
    )


def _access_file() -> AccessFile | None:
    path = get_settings().dashboard_access_file
    return None if path is None else load_access_file(path)


def check_password(user: str, password: str) -> Viewer | None:
    """The viewer `user` signs in as with `password`, or None.

    A blank user name means the shared password (`PRODUCTOPS_DASHBOARD_PASSWORD`).
    """
    if not user.strip():
        shared = get_settings().dashboard_password
        return SHARED_PASSWORD_VIEWER if passwords.matches_shared(password, shared) else None
    access = _access_file()
    account = access.account(user) if access is not None else None
    # Hashed even for an unknown name, so the answer takes as long either way.
    ok = passwords.verify_password(password, account.password_hash if account else None)
    return account.viewer() if ok and account is not None else None


def _password_viewer() -> Viewer | None:
    signed_in = st.session_state.get(SESSION_KEY)
    if not signed_in:
        return None
    if signed_in == ("shared",):
        return SHARED_PASSWORD_VIEWER if get_settings().dashboard_password else None
    access = _access_file()
    account = access.account(signed_in[1]) if access is not None else None
    if account is None or not account.password_hash:
        return None
    return account.viewer()


def _password_form() -> None:
    access = _access_file()
    st.title("Sign in")
    with st.form("sign_in"):
        # A user name only when the access file has password logins; blank = shared password.
        user = (
            st.text_input(
                "User name",
                help="Leave blank to use the shared password."
                if get_settings().dashboard_password
                else None,
            )
            if access is not None and access.has_passwords
            else ""
        )
        password = st.text_input("Password", type="password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        viewer = check_password(user, password)
        if viewer is None:
            st.error("Wrong user name or password.")
        else:
            st.session_state[SESSION_KEY] = (
                ("shared",) if viewer is SHARED_PASSWORD_VIEWER else ("user", viewer.login)
            )
            st.rerun()


def _oidc_viewer() -> Viewer | None:
    if not getattr(st.user, "is_logged_in", False):
        return None
    email = st.user.get("email")
    if not email or st.user.get("email_verified") is False:
        return NO_ACCESS
    access = _access_file()
    account = access.account(str(email)) if access is not None else None
    # Unknown to the access file: signed in, but no data.
    return account.viewer() if account is not None else Viewer(login=str(email), role=NO_ROLE)


def _oidc_buttons() -> None:
    st.title("Sign in")
    auth = st.secrets["auth"]
    providers = [name for name, value in auth.items() if hasattr(value, "items")]
    for provider in providers or [None]:
        label = f"Sign in with {provider}" if provider else "Sign in"
        if st.button(label, type="primary", key=f"oidc_{provider or 'default'}"):
            st.login(provider) if provider else st.login()


def viewer(before_sign_in: Callable[[], object] | None = None) -> Viewer:
    """The viewer of this session; draws the sign-in and stops the run when there is none.

    `before_sign_in` runs just before the sign-in is drawn: the entry point registers
    its pages there (hidden), so the page a shared link asks for is still the page
    after signing in.
    """
    try:
        current = mode()
        if current == OFF:
            return OPEN_ACCESS
        found = _oidc_viewer() if current == OIDC else _password_viewer()
        if found is not None:
            return found
        if before_sign_in is not None:
            before_sign_in()
        if current == OIDC:
            _oidc_buttons()
        else:
            _password_form()
        st.stop()
    except AccessFileError as error:
        st.error(f"Sign-in is misconfigured, so no data is shown: {error}")
        st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def sidebar(current: Viewer) -> None:
    """Say who is signed in (with a sign-out button), or that sign-in is off."""
    with st.sidebar:
        if not current.signed_in:
            st.warning(
                "Sign-in is off: anyone who can reach this address sees everything. "
                "Set PRODUCTOPS_DASHBOARD_PASSWORD, an access file or OIDC to turn it on.",
                icon=":material/lock_open:",
            )
            return
        st.caption(f"Signed in as {current.label}")
        if st.button("Sign out", key="sign_out", type="tertiary"):
            if mode() == OIDC:
                st.logout()
            st.session_state.pop(SESSION_KEY, None)
            st.rerun()


def no_data_unless_allowed(current: Viewer, page: str) -> None:
    """Stop the page (saying why) unless `current`'s role may open `page`."""
    if current.role == NO_ACCESS.role:
        st.warning(
            f"{current.login or 'This login'} has no role in the dashboards' access file, "
            "so no data is shown. Ask product ops to add you."
        )
        st.stop()
    if not current.may_open(page):
        st.info("This page is for the CPO and product ops.")
        st.stop()


__all__ = ["OFF", "OIDC", "PASSWORD", "mode", "no_data_unless_allowed", "sidebar", "viewer"]
