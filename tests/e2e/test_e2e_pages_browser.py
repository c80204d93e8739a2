"""Every page of the dashboards on the demo company, in headless Chromium.

`streamlit run` serves the demo warehouse; each page is opened, must draw its charts
without an error, and is saved as a screenshot in tests/dashboards/artifacts/pages/ so a
person can look at what the assertions saw.
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
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from orchestration.settings import PROJECT_ROOT

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ARTIFACTS = PROJECT_ROOT / "tests" / "dashboards" / "artifacts" / "pages"
WIDTH = 1600
WAIT_SECONDS = 90
# url path -> (title, charts the page draws on the demo data)
PAGES = {
    "": ("CPO overview", 6),
    "portfolio": ("Portfolio", 3),
    "cost_vs_revenue": ("Cost vs revenue", 3),
    "goals": ("Goals", 3),
    "decisions": ("Decisions", 4),
    "adoption": ("Adoption", 2),
    "data_health": ("Data health", 0),
    "definitions": ("Definitions", 0),
}

if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    if os.environ.get("PRODUCTOPS_REQUIRE_BROWSER"):
        pytest.fail("PRODUCTOPS_REQUIRE_BROWSER is set but chromium/chromedriver are missing")
    pytest.skip("browser test needs chromium and chromedriver", allow_module_level=True)


@pytest.fixture(scope="module")
def demo_url(demo_warehouse, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboards served on a free port of 127.0.0.1, reading the demo warehouse."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    command = [
        str(Path(sys.executable).with_name("streamlit")), "run",
        str(PROJECT_ROOT / "dashboards" / "streamlit_app.py"),
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with log.open("w") as out:
        server = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=demo_warehouse.env, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            assert server.poll() is None, log.read_text()
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.read().strip() == b"ok":
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            assert time.monotonic() < deadline, f"streamlit did not start:\n{log.read_text()}"
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    """One headless Chromium for every page."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chromium-profile")
    for argument in (
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", f"--user-data-dir={profile}", f"--window-size={WIDTH},2600",
    ):  # fmt: skip
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _drawn_charts(driver: webdriver.Chrome) -> int:
    charts = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stVegaLiteChart"]')
    return sum(1 for chart in charts if chart.find_elements(By.CSS_SELECTOR, "canvas, svg"))


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_draws_in_a_real_browser(
    path: str, demo_url: str, browser: webdriver.Chrome
) -> None:
    title, charts = PAGES[path]
    browser.set_window_size(WIDTH, 2600)
    browser.get(f"{demo_url}/{path}")
    wait = WebDriverWait(browser, WAIT_SECONDS)
    wait.until(lambda d: title in [h.text for h in d.find_elements(By.TAG_NAME, "h1")])
    wait.until(lambda d: _drawn_charts(d) >= charts)
    # A page is done when Streamlit stops showing its "running" widget.
    wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, '[data-testid="stStatusWidget"]'))
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "Traceback" not in page and "Error" not in page.split("\n")[0]
    assert not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]')
    if charts:
        assert "What does this mean?" in page and "PNG" in page and "SVG" in page

    height = browser.execute_script(
        "const b = document.querySelector('[data-testid=\"stMainBlockContainer\"]');"
        "return b ? b.getBoundingClientRect().bottom : document.body.scrollHeight;"
    )
    browser.set_window_size(WIDTH, max(int(height) + 40, 800))
    time.sleep(1.5)  # let Vega redraw at the new size
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"{path or 'cpo_overview'}.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 30_000  # a blank page is a few KB
