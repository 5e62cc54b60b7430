"""The report page is self-contained and renders in headless Chromium with the headline table on it."""

from __future__ import annotations

import subprocess

import pytest

from simulacra.evaluate import summary
from simulacra.io import read_json
from tests.browser import CHROMIUM, headless_chromium

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_page_is_self_contained(evaluated_run):
    html = (evaluated_run / "report" / "index.html").read_text(encoding="utf-8")
    # The first screen (verdict, compact headline, three moments) comes before every section.
    assert html.index("id='verdict'") < html.index('id="headline-summary"') < html.index('id="moment-3"') \
        < html.index('<table id="headline">') < html.index(">Perplexity</h2>")
    assert html.count("data:image/png;base64,") >= 3  # per-turn perplexity, style, loops
    assert "http://" not in html and "https://" not in html and "<script" not in html


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary on PATH (apt-get install chromium; .ci/run does)")
def test_report_renders_in_headless_chromium(evaluated_run, tmp_path):
    page = (evaluated_run / "report" / "index.html").resolve().as_uri()
    flags = FLAGS + [f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", page], capture_output=True, text=True, timeout=180).stdout
    assert '<table id="headline">' in dom
    assert "Perplexity of the real held-out turns" in dom and "Who said it" in dom
    shot = tmp_path / "report.png"
    subprocess.run([CHROMIUM, *flags, "--window-size=1200,1600", f"--screenshot={shot}", page],
                   capture_output=True, timeout=180)
    assert shot.is_file() and shot.stat().st_size > 20_000

    from PIL import Image

    histogram = Image.open(shot).convert("L").histogram()
    assert sum(histogram[:128]) > 5_000  # dark pixels of text and plots: not a blank page


@pytest.fixture(scope="module")
def browser():
    yield from headless_chromium(1280, 800)


def test_the_first_screen_holds_verdict_headline_and_three_moments(browser, evaluated_run):
    from selenium.webdriver.common.by import By

    browser.set_window_size(1280, 800)
    browser.get((evaluated_run / "report" / "index.html").resolve().as_uri())
    height = browser.execute_script("return window.innerHeight")
    assert 0 < height <= 800
    report = read_json(evaluated_run / "report" / "report.json")
    verdict = browser.find_element(By.ID, "verdict")
    assert verdict.text == summary.verdict(report["headline"], report)
    assert verdict.text.startswith("The tuned model is closer to Ana than the base model on ")
    for element in [verdict, browser.find_element(By.ID, "headline-summary")] + \
            [browser.find_element(By.ID, f"moment-{n}") for n in (1, 2, 3)]:
        assert element.is_displayed() and element.rect["y"] + element.rect["height"] <= height, element.get_attribute("id")
    for n in (1, 2, 3):
        moment = browser.find_element(By.ID, f"moment-{n}")
        assert [b.text for b in moment.find_elements(By.TAG_NAME, "b")] == ["real", "tuned", "base"]
    rows = browser.find_elements(By.CSS_SELECTOR, "#headline-summary tbody tr")
    assert rows and rows[0].find_element(By.TAG_NAME, "td").text == "Perplexity of the real held-out turns"


def test_every_nav_link_points_at_a_section_and_the_nav_stays_in_view(browser, evaluated_run):
    from selenium.webdriver.common.by import By

    browser.set_window_size(1280, 800)
    browser.get((evaluated_run / "report" / "index.html").resolve().as_uri())
    links = browser.find_elements(By.CSS_SELECTOR, "nav.toc a")
    targets = [link.get_attribute("href").split("#", 1)[1] for link in links]
    assert {"headline", "perplexity", "overlap", "style", "who-said-it", "loops", "privacy", "samples"} <= set(targets)
    for target in targets:
        assert browser.find_elements(By.ID, target), target
    browser.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    nav = browser.find_element(By.CSS_SELECTOR, "nav.toc")
    assert nav.is_displayed() and abs(browser.execute_script("return arguments[0].getBoundingClientRect().top", nav)) < 1


def test_the_verdict_counts_measures_and_quotes_the_two_sample_test():
    rows = [{"winner": "tuned"}, {"winner": "tuned"}, {"winner": "base"}, {"winner": None}, {"winner": "tie"}]
    report = {"speakers": ["Mia"], "two_sample": {"tuned": {"accuracy": 0.88}}}
    assert summary.verdict(rows, report) == ("The tuned model is closer to Mia than the base model on 2 of 4 measures; "
                                             "a classifier still tells its replies from Mia's 88% of the time "
                                             "(50% = indistinguishable).")
    report = {"speakers": ["Ana", "Ben"], "two_sample": {"tuned": {"accuracy": 0.52}}}
    assert summary.verdict(rows[:1], report) == ("The tuned model is closer to Ana and Ben than the base model on 1 of "
                                                 "1 measures; a classifier tells its replies from the real ones 52% of "
                                                 "the time (50% = indistinguishable).")
