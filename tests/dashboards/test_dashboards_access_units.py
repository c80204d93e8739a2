"""Sign-in configuration, password hashes, the open-demo note, the serve address, and
CSV / XLSX exports that cannot run a formula, on the hand-built serving copy."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from access_harness import SHARED_PASSWORD, payload_text, point_at, record_downloads, run_as
from known_serving import build_serving_file
from openpyxl import load_workbook

from dashboards import exports, passwords
from dashboards.access_file import AccessFileError, load_access_file, sign_in_mode
from dashboards.viewers import Viewer
from productops import cli

HOSTILE_NAME = '=HYPERLINK("http://x","y")'


def test_a_password_hash_verifies_only_its_password() -> None:
    stored = passwords.hash_password("correct horse")
    assert stored.startswith("scrypt$16384$8$1$") and "correct horse" not in stored
    assert passwords.verify_password("correct horse", stored)
    assert not passwords.verify_password("correct hors", stored)
    assert not passwords.verify_password("correct horse", None)  # unknown user
    assert passwords.hash_password("correct horse") != stored  # salted
    assert passwords.matches_shared("s3cret", "s3cret")
    assert not passwords.matches_shared("s3cret", "s3cret ") and not passwords.matches_shared(
        "", None
    )


@pytest.mark.parametrize(
    ("entry", "complaint"),
    [
        ('role = "ceo"', "role must be one of"),
        ('role = "director"', "a director needs at least one portfolio"),
        (
            'role = "cpo"\npassword_hash = "plaintext-password"',
            "not a `productops hash-password` hash",
        ),
        ('role = "cpo"\nadmin = true', "unknown keys: admin"),
    ],
)
def test_a_wrong_access_file_is_refused_naming_the_entry(tmp_path: Path, entry, complaint) -> None:
    path = tmp_path / "access.toml"
    path.write_text(f'[users."vp@acme.com"]\n{entry}\n')
    with pytest.raises(AccessFileError, match=complaint) as raised:
        load_access_file(path)
    assert "plaintext-password" not in str(raised.value)


def test_roles_come_from_the_file_and_logins_ignore_case(tmp_path: Path) -> None:
    path = tmp_path / "access.toml"
    path.write_text('[users."VP@Acme.com"]\nrole = "director"\nportfolios = ["payments"]\n')
    account = load_access_file(path).account("vp@acme.COM")
    assert account is not None
    assert account.viewer() == Viewer("vp@acme.com", "director", ("payments",))
    assert account.viewer().portfolios == ("payments",) and not account.viewer().may_open(
        "data_health"
    )


def test_sign_in_mode_and_the_serve_address(tmp_path: Path, monkeypatch) -> None:
    assert sign_in_mode(None, None, oidc=False) == "off"
    assert sign_in_mode("pw", None, oidc=False) == "password"
    assert sign_in_mode(None, tmp_path / "a.toml", oidc=False) == "password"
    assert sign_in_mode("pw", None, oidc=True) == "oidc"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    point_at(monkeypatch, tmp_path)
    assert cli._sign_in_mode() == "off"
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        '[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\ncookie_secret = "c"\n'
    )
    assert cli._sign_in_mode() == "oidc"


def test_serve_binds_to_localhost_only_when_sign_in_is_off(tmp_path: Path, monkeypatch) -> None:
    build_serving_file(tmp_path / "serving.duckdb")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    commands: list[list[str]] = []
    monkeypatch.setattr(cli.subprocess, "call", lambda command, env: commands.append(command) or 0)
    for password in (None, "pw"):
        point_at(monkeypatch, tmp_path, password=password)
        assert cli.main(["serve"]) == 0
    open_demo, protected = commands
    assert open_demo[open_demo.index("--server.address") + 1] == "127.0.0.1"
    assert "--server.address" not in protected


def test_hash_password_prints_a_hash_that_verifies() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "productops.cli", "hash-password"],
        input="a long pass phrase\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    stored = result.stdout.strip().splitlines()[-1]
    assert passwords.verify_password("a long pass phrase", stored)
    assert "a long pass phrase" not in result.stdout + result.stderr


def test_exported_cells_cannot_run_as_formulas_and_numbers_stay_numbers() -> None:
    import pandas as pd

    frame = pd.DataFrame(
        {
            "product_name": [HOSTILE_NAME, "+1", "-2", "@SUM(A1)", "\tx", "\rx", "Ledger"],
            "revenue": [1.5, -2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
        }
    )
    csv = exports.to_csv(frame).decode("utf-8-sig").splitlines()
    assert csv[1].startswith("\"'=HYPERLINK(") and csv[2] == "'+1,-2.0"
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(frame))).active
    names = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in names)
    assert [cell.value[:2] for cell in names[:6]] == ["'=", "'+", "'-", "'@", "'\t", "'\r"]
    assert names[6].value == "Ledger"
    assert [row[1].value for row in sheet.iter_rows(min_row=2)][:2] == [1.5, -2.0]
    assert all(isinstance(row[1].value, int | float) for row in sheet.iter_rows(min_row=2))


@pytest.fixture
def planted_serving(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The hand-built serving copy with a product named like a spreadsheet formula."""
    build_serving_file(tmp_path / "serving.duckdb")
    with duckdb.connect(str(tmp_path / "serving.duckdb")) as con:
        con.execute(
            "update marts.dim_products set product_name = ? where product_id = 'ledger'",
            [HOSTILE_NAME],
        )
    point_at(monkeypatch, tmp_path)
    return tmp_path


def test_the_pages_downloads_neutralise_a_planted_formula(planted_serving, monkeypatch) -> None:
    downloads = record_downloads(monkeypatch)
    app = run_as(None, "app_pages/cost_vs_revenue.py")
    assert not app.exception
    csv = payload_text("x.csv", downloads["cost_vs_revenue_by_product.csv"])
    assert "'=HYPERLINK(" in csv and "\n=HYPERLINK" not in csv and ",=HYPERLINK" not in csv
    book = load_workbook(io.BytesIO(downloads["cost_vs_revenue_by_product.xlsx"]))
    cells = [cell for row in book.active.iter_rows() for cell in row]
    planted = [cell for cell in cells if "HYPERLINK" in str(cell.value)]
    assert planted and all(c.data_type == "s" and c.value.startswith("'=") for c in planted)
    assert not any(cell.data_type == "f" for cell in cells)


def test_with_sign_in_off_everything_shows_and_the_sidebar_says_so(dashboard_env) -> None:
    app = run_as(None, "app_pages/cost_vs_revenue.py")
    assert any("Sign-in is off" in w.value for w in app.sidebar.warning)
    table = app.dataframe[0].value
    assert set(table["product_name"]) == set(dashboard_env.product_revenue_12m)


def test_the_shared_password_signs_in_with_full_access(dashboard_env, monkeypatch) -> None:
    point_at(monkeypatch, dashboard_env.data_dir, password=SHARED_PASSWORD)
    app = run_as(None)
    assert [t.value for t in app.title] == ["Sign in"] and not app.metric
    assert len(app.text_input) == 1  # no access file: a password, no user name
    app.text_input[0].input("wrong").run()
    app.button[0].click().run()
    assert not app.metric and "Wrong user name or password." in [e.value for e in app.error]
    app.text_input[0].input(SHARED_PASSWORD)
    app.button[0].click().run()
    app.switch_page("app_pages/cost_vs_revenue.py").run()
    assert not app.exception
    assert set(app.dataframe[0].value["product_name"]) == set(dashboard_env.product_revenue_12m)
    assert not any("Sign-in is off" in w.value for w in app.sidebar.warning)
    # The session keeps that the shared password was used, never the password.
    assert app.session_state["_productops_signed_in"] == ("shared",)
    assert not app.text_input


def test_oidc_without_a_login_shows_a_sign_in_button_and_no_data(dashboard_env) -> None:
    from access_harness import APP
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(APP), default_timeout=60)
    app.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "not-a-real-secret",
        "client_id": "id",
        "client_secret": "not-a-real-client-secret",
        "server_metadata_url": "https://idp.invalid/.well-known/openid-configuration",
    }
    app.run()
    assert not app.exception
    assert [b.label for b in app.button] == ["Sign in"]
    assert not app.metric and not app.dataframe
    assert "not-a-real-client-secret" not in str(app._tree)
