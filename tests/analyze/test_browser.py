"""The analysis page renders in headless Chromium: every section, every plot decoded, not a blank screen."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.evaluate.conftest import trained_run  # noqa: F401  (prepared + tiny LoRA model: every section has data)
from tests.evaluate.test_html import CHROMIUM, FLAGS

# After load, the title reports how many <img> decoded (naturalWidth > 0) out of how many there are.
PROBE = ("<script>addEventListener('load', () => { const i = [...document.images]; document.title = "
         "'decoded ' + i.filter(x => x.complete && x.naturalWidth > 0).length + '/' + i.length; });</script>")
PLOTS = 10  # month bars, weekday x hour, reply times, 2 lengths, sessions, token lengths, 2 speakers + difference


@pytest.fixture(scope="module")
def analyzed_with_model(trained_run):  # noqa: F811
    from simulacra.analyze import AnalyzeConfig, run

    return run(AnalyzeConfig(run_dir=trained_run))


def test_every_section_has_its_plot(analyzed_with_model):
    html = (analyzed_with_model / "index.html").read_text(encoding="utf-8")
    assert html.count("<img ") == html.count("src='data:image/png;base64,") == PLOTS
    for anchor in ("overview", "activity", "hours", "replies", "lengths", "sessions", "words", "dataset", "emotions"):
        assert f"href='#{anchor}'" in html and f"id='{anchor}'" in html
    assert "http://" not in html and "https://" not in html and "<script" not in html


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary on PATH (apt-get install chromium; .ci/run does)")
def test_page_renders_in_headless_chromium(analyzed_with_model, tmp_path):
    probe = tmp_path / "probe.html"
    probe.write_text((analyzed_with_model / "index.html").read_text(encoding="utf-8")
                     .replace("</body>", PROBE + "</body>"), encoding="utf-8")
    flags = FLAGS + [f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([CHROMIUM, *flags, "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()],
                         capture_output=True, text=True, timeout=180).stdout
    assert re.search(r"<title>decoded (\d+)/(\d+)</title>", dom).groups() == (str(PLOTS), str(PLOTS))
    assert "Reply times" in dom and "Emotion words" in dom

    shot = tmp_path / "analysis.png"
    subprocess.run([CHROMIUM, *flags, "--hide-scrollbars", "--window-size=1200,4000", f"--screenshot={shot}",
                    (analyzed_with_model / "index.html").as_uri()], capture_output=True, timeout=180)
    from PIL import Image

    gray = Image.open(shot).convert("L")
    histogram = gray.histogram()
    assert sum(histogram[:128]) > 20_000  # dark pixels of text and plots: not a blank page
    assert sum(1 for n in histogram if n) > 50  # plots add many shades of grey; a page of text alone has few
    shutil.copy(shot, tmp_path.parent / "analysis-screenshot.png")  # kept beside the test folders to look at
