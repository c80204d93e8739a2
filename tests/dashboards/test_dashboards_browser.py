"""The dashboards as a user sees them: `streamlit run` served to headless Chromium.

The last test signs a director in with a password on the demo company and checks the
browser shows their portfolio and nothing of anyone else's, and that a shared link
opened afresh still opens its page once they have signed in. Screenshots land in tests/dashboards/artifacts/ so a person can look at what the
assertions saw.
"""

from __future__ import annotations

import html
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
from access_harness import DIRECTOR_LOGIN, DIRECTOR_PASSWORD, write_access_file
from known_serving import ServingDb
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from dashboards.filters import ALL_PORTFOLIOS
from dashboards.formatting import money, percent

pytestmark = pytest.mark.browser

PROJECT_ROOT = Path(__file__).resolve().parents[2]
APP = PROJECT_ROOT / "dashboards" / "streamlit_app.py"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
WINDOW_WIDTH = 1600
STARTUP_SECONDS = 90
RENDER_SECONDS = 90

if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    # CI installs the browser (.ci/run) and sets this, so there a missing browser fails.
    if os.environ.get("PRODUCTOPS_REQUIRE_BROWSER"):
        pytest.fail("PRODUCTOPS_REQUIRE_BROWSER is set but chromium/chromedriver are missing")
    pytest.skip(
        "headless browser test needs Chromium: apt-get install -y chromium chromium-driver",
        allow_module_level=True,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"streamlit exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"streamlit did not answer within {STARTUP_SECONDS}s:\n{log.read_text()}")


@contextmanager
def _streamlit_server(data_dir: Path, log_dir: Path, **settings: str) -> Iterator[str]:
    """`streamlit run dashboards/streamlit_app.py` on a free port reading `data_dir`.

    `settings` are extra environment variables (e.g. the sign-in configuration); sign-in
    is off unless they turn it on, whatever the calling shell has set.
    """
    port = _free_port()
    log = log_dir / "streamlit.log"
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("PRODUCTOPS_DASHBOARD_PASSWORD", "PRODUCTOPS_DASHBOARD_ACCESS_FILE")
    }
    env.update(
        PRODUCTOPS_DATA_DIR=str(data_dir), PRODUCTOPS_PSEUDONYM_KEY="dashboard-tests", **settings
    )
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("streamlit")),
                "run",
                str(APP),
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def dashboard_url(serving_db: ServingDb, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboards reading `serving_db`, sign-in off."""
    with _streamlit_server(serving_db.data_dir, tmp_path_factory.mktemp("streamlit")) as url:
        yield url


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    """Headless Chromium with a fresh profile, tall enough for a whole page."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        f"--window-size={WINDOW_WIDTH},2600",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _metric_values(driver: webdriver.Chrome) -> dict[str, str]:
    labels = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stMetricLabel"]')
    values = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stMetricValue"]')
    return {label.text.strip(): value.text.strip() for label, value in zip(labels, values)}


def _charts_drawn(driver: webdriver.Chrome, expected: int) -> bool:
    charts = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stVegaLiteChart"]')
    drawn = [chart for chart in charts if chart.find_elements(By.CSS_SELECTOR, "canvas, svg")]
    return len(drawn) >= expected


def _screenshot(driver: webdriver.Chrome, name: str) -> Path:
    # Streamlit scrolls inside its main block: size the window to that content so the
    # picture holds the whole page and no empty canvas below it.
    height = driver.execute_script(
        "const block = document.querySelector('[data-testid=\"stMainBlockContainer\"]');"
        "return block ? block.getBoundingClientRect().bottom : document.body.scrollHeight;"
    )
    driver.set_window_size(WINDOW_WIDTH, max(int(height) + 40, 800))
    time.sleep(1)  # let Vega finish redrawing at the new size
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    driver.save_screenshot(str(path))
    print(f"screenshot: {path}")
    return path


def test_cost_vs_revenue_page_shows_the_kpis_and_flags_the_loss(
    dashboard_url: str, browser: webdriver.Chrome, serving_db: ServingDb
) -> None:
    expected = serving_db.last_12_months
    browser.get(f"{dashboard_url}/cost_vs_revenue")
    wait = WebDriverWait(browser, RENDER_SECONDS)
    wait.until(lambda d: _metric_values(d).get("Revenue") == money(expected.revenue))
    wait.until(lambda d: _charts_drawn(d, 3))

    assert _metric_values(browser) == {
        "Revenue": money(expected.revenue),
        "R&D cost": money(expected.rnd_cost),
        "Contribution": money(expected.contribution),
        "R&D % of revenue": percent(expected.rnd_pct_of_revenue),
    }
    alerts = " ".join(
        alert.text for alert in browser.find_elements(By.CSS_SELECTOR, '[data-testid="stAlert"]')
    )
    for product in serving_db.loss_making_12m:
        assert product in alerts
    page = browser.find_element(By.TAG_NAME, "body").text
    assert f"Data as of {serving_db.published_at}" in page
    assert "people cost follows each team's main product until effort allocation lands" in page
    assert "Traceback" not in page

    shot = _screenshot(browser, "cost_vs_revenue.png")
    assert shot.stat().st_size > 20_000  # a blank page is a few KB


def test_data_health_page_shows_row_counts_and_unmapped_share(
    dashboard_url: str, browser: webdriver.Chrome, serving_db: ServingDb
) -> None:
    browser.get(f"{dashboard_url}/data_health")
    wait = WebDriverWait(browser, RENDER_SECONDS)
    revenue_share = percent(serving_db.unmapped_revenue_share_12m)
    wait.until(lambda d: _metric_values(d).get("Revenue on unmapped") == revenue_share)

    metrics = _metric_values(browser)
    assert metrics["R&D cost on unmapped"] == percent(serving_db.unmapped_rnd_cost_share_12m)
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "Row counts from meta.refresh" in page
    assert "Traceback" not in page
    _screenshot(browser, "data_health.png")


# -- password sign-in on the demo company -----------------------------------------------

DIRECTOR_PORTFOLIO = "payments"  # what access_harness.write_access_file scopes the director to
UNMAPPED = "unmapped"
FIGURES = (
    '[data-testid="stMetric"]',
    '[data-testid="stVegaLiteChart"]',
    '[data-testid="stDataFrame"]',
)


@pytest.fixture
def director_sign_in_url(demo_warehouse, tmp_path: Path) -> Iterator[str]:
    """The dashboards on the demo serving copy behind an access file of scrypt hashes."""
    access_file = write_access_file(tmp_path / "access.toml", DIRECTOR_PORTFOLIO)
    with _streamlit_server(
        demo_warehouse.data_dir, tmp_path, PRODUCTOPS_DASHBOARD_ACCESS_FILE=str(access_file)
    ) as url:
        yield url


def _catalog(serving: Path) -> list[tuple[str, str, str, str]]:
    """(product_id, product_name, portfolio_id, portfolio_name) of every product."""
    with duckdb.connect(str(serving), read_only=True) as con:
        return con.execute(
            "select product_id, product_name, portfolio_id, portfolio_name from marts.dim_products"
        ).fetchall()


def _figures_shown(driver: webdriver.Chrome) -> list[str]:
    return [css for css in FIGURES if driver.find_elements(By.CSS_SELECTOR, css)]


def _names_in_page(driver: webdriver.Chrome, names: set[str]) -> set[str]:
    # The page source, not only the visible text: a name in a hidden tooltip leaks too.
    source = driver.page_source
    return {name for name in names if html.escape(name, quote=False) in source}


def _sign_in(driver: webdriver.Chrome, login: str, password: str) -> None:
    """Type into the sign-in form (replacing what is there) and submit it."""
    wait = WebDriverWait(driver, RENDER_SECONDS)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, 'input[type="password"]'))
    for field, text in (
        ('input[aria-label="User name"]', login),
        ('input[type="password"]', password),
    ):
        box = driver.find_element(By.CSS_SELECTOR, field)
        box.send_keys(Keys.CONTROL, "a")
        box.send_keys(Keys.DELETE)
        box.send_keys(text)
    driver.find_element(By.CSS_SELECTOR, '[data-testid="stBaseButton-primaryFormSubmit"]').click()


def _visit_in_session(driver: webdriver.Chrome, path: str) -> None:
    """Go to `path` (with its query string) the way the browser's back/forward does.

    `driver.get` reloads the page, which starts a new Streamlit session, and a password
    sign-in lives in the session; this keeps it, as a link followed inside the app does.
    """
    driver.execute_script(
        "window.history.pushState({}, '', arguments[0]);"
        "window.dispatchEvent(new PopStateEvent('popstate', {state: {}}));",
        path,
    )


def _page_title(driver: webdriver.Chrome) -> str:
    titles = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stMain"] h1')
    return titles[0].text.strip() if titles else ""


def test_a_director_signs_in_and_sees_only_their_portfolio(
    director_sign_in_url: str, browser: webdriver.Chrome, demo_warehouse, truth
) -> None:
    catalog = _catalog(demo_warehouse.data_dir / "serving.duckdb")
    own = {product for _, product, portfolio, _ in catalog if portfolio == DIRECTOR_PORTFOLIO}
    # Every other portfolio's name and product names. Not the unmapped bucket's: the
    # metric definitions every viewer reads name it.
    others = {
        name
        for _, product, portfolio, portfolio_name in catalog
        if portfolio not in (DIRECTOR_PORTFOLIO, UNMAPPED)
        for name in (product, portfolio_name)
    }
    other_portfolio = min(
        portfolio
        for _, _, portfolio, _ in catalog
        if portfolio not in (DIRECTOR_PORTFOLIO, UNMAPPED)
    )
    planted = truth["product_cost_revenue_last_12_months"]
    own_revenue = sum(
        planted[product_id]["revenue"]
        for product_id, _, portfolio, _ in catalog
        if portfolio == DIRECTOR_PORTFOLIO
    )
    assert len(own) == 3 and len(others) == 7  # the demo's: 3 Payments products; 5 + 2 others

    # Before sign-in: the form, and no figure or product name anywhere in the page.
    browser.get(director_sign_in_url)
    wait = WebDriverWait(browser, RENDER_SECONDS)
    wait.until(lambda d: _page_title(d) == "Sign in")
    assert _figures_shown(browser) == []
    assert _names_in_page(browser, own | others) == set()

    # A wrong password: an error, and still nothing.
    _sign_in(browser, DIRECTOR_LOGIN, "not-the-password")
    wait.until(lambda d: "Wrong user name or password." in d.find_element(By.TAG_NAME, "body").text)
    assert _page_title(browser) == "Sign in"
    assert _figures_shown(browser) == []
    assert _names_in_page(browser, own | others) == set()

    # The right password: the CPO overview of Payments only, and no Data health page.
    _sign_in(browser, DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
    wait.until(lambda d: _page_title(d) == "CPO overview" and _charts_drawn(d, 3))
    body = browser.find_element(By.TAG_NAME, "body").text
    assert f"Signed in as {DIRECTOR_LOGIN} (director: {DIRECTOR_PORTFOLIO})" in body
    assert _names_in_page(browser, own) == own
    assert _names_in_page(browser, others) == set()
    navigation = [
        link.text.splitlines()[-1]
        for link in browser.find_elements(By.CSS_SELECTOR, '[data-testid="stSidebarNav"] a')
    ]
    assert "Definitions" in navigation and "Cost vs revenue" in navigation
    assert "Data health" not in navigation
    # The overview names the scope the director sees, not every portfolio.
    assert " · Payments · " in body and ALL_PORTFOLIOS not in body
    _screenshot(browser, "director_cpo_overview.png")

    # The director, still signed in, visits another portfolio's URL: Payments only, with
    # Payments' planted revenue.
    link = f"/cost_vs_revenue?portfolio={other_portfolio}"
    _visit_in_session(browser, link)
    wait.until(lambda d: _page_title(d) == "Cost vs revenue" and _charts_drawn(d, 3))
    assert browser.current_url.endswith(link)
    assert _metric_values(browser)["Revenue"] == money(own_revenue)
    assert _names_in_page(browser, own) == own
    assert _names_in_page(browser, others) == set()

    # The same link opened afresh is a new session: the sign-in form again, no data...
    browser.get(f"{director_sign_in_url}{link}")
    wait.until(lambda d: _page_title(d) == "Sign in")
    assert _figures_shown(browser) == []
    assert _names_in_page(browser, own | others) == set()
    assert browser.current_url.endswith(link)

    # ...and signing in there opens the link's page, not the overview, still Payments only.
    _sign_in(browser, DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
    wait.until(lambda d: _page_title(d) == "Cost vs revenue" and _charts_drawn(d, 3))
    assert browser.current_url.endswith(link)
    assert _metric_values(browser)["Revenue"] == money(own_revenue)
    assert _names_in_page(browser, own) == own
    assert _names_in_page(browser, others) == set()
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "(12 months) · Payments" in body and ALL_PORTFOLIOS not in body
    _screenshot(browser, "director_cost_vs_revenue_from_link.png")
