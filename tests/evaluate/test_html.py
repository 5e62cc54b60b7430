"""The report page is self-contained and renders in headless Chromium with the headline table on it."""

from __future__ import annotations

import shutil
import subprocess

import pytest

CHROMIUM = next((shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome", "chrome")
                 if shutil.which(name)), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_page_is_self_contained(evaluated_run):
    html = (evaluated_run / "report" / "index.html").read_text(encoding="utf-8")
    assert html.index('<table id="headline">') < html.index("1. Perplexity")  # the headline comes first
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
