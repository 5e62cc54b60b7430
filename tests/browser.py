"""Debian's headless Chromium driven by selenium, for the tests of the pages (skipped where it is missing)."""

from __future__ import annotations

import os
import shutil
from typing import Iterator

import pytest

CHROMIUM = next((shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome", "chrome")
                 if shutil.which(name)), None)
BROWSER, DRIVER = CHROMIUM or "/usr/bin/chromium", shutil.which("chromedriver") or "/usr/bin/chromedriver"


def headless_chromium(width: int, height: int) -> Iterator:
    """Yield a selenium driver on a window of this size; quit it afterwards."""
    webdriver = pytest.importorskip("selenium.webdriver")
    if not (os.path.exists(BROWSER) and os.path.exists(DRIVER)):
        pytest.skip("chromium or chromedriver is not installed (apt-get install chromium chromium-driver)")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = BROWSER
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={width},{height}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()
