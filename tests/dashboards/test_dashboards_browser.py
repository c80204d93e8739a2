"""The dashboards as a user sees them: `streamlit run` served to headless Chromium.

Screenshots land in tests/dashboards/artifacts/ so a person can look at what the
assertions saw.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from known_serving import ServingDb
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

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


@pytest.fixture(scope="module")
def dashboard_url(serving_db: ServingDb, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run dashboards/streamlit_app.py` on a free port, reading `serving_db`."""
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    env = {
        **os.environ,
        "PRODUCTOPS_DATA_DIR": str(serving_db.data_dir),
        "PRODUCTOPS_PSEUDONYM_KEY": "dashboard-tests",
    }
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
