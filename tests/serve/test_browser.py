"""The web page in Debian's headless Chromium: pick the persona, send a message, watch the reply stream in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import headless_chromium


@pytest.fixture(scope="module")
def browser():
    yield from headless_chromium(420, 760)


def test_page_streams_a_reply_with_the_speaker_name(browser, live, model_id, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 30)
    browser.get(live.url + "/")
    wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, "#model option")))
    assert browser.find_element(By.ID, "model").get_attribute("value") == model_id
    assert browser.find_element(By.ID, "user").get_attribute("value") == "Ben"
    box = browser.find_element(By.ID, "text")
    box.send_keys("Shall we meet at noon on Saturday?")
    box.submit()
    done = wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, ".msg.them.done")))
    assert done.find_element(By.CSS_SELECTOR, ".who").text == "Ana"
    mine = browser.find_element(By.CSS_SELECTOR, ".msg.me")
    assert mine.find_element(By.CSS_SELECTOR, ".who").text == "Ben"
    assert "Shall we meet at noon on Saturday?" in mine.text
    assert not browser.find_elements(By.CSS_SELECTOR, ".error")
    shot = Path(os.environ.get("SIMULACRA_SCREENSHOT", tmp_path / "page.png"))
    browser.save_screenshot(str(shot))
    assert _not_blank(shot)


def _not_blank(path: Path) -> bool:
    """More than a handful of distinct colours: text and bubbles, not an empty white page."""
    from PIL import Image

    colours = Image.open(path).convert("RGB").getcolors(maxcolors=1 << 20)
    return colours is not None and len(colours) > 20
