"""`prepare --preview` piped to a file keeps trained vs masked visible and prints whole headers."""

from __future__ import annotations

import subprocess
import sys

from simulacra.prepare.preview import CLOSE, OPEN


def test_piped_preview_marks_trained_spans_and_keeps_the_header(small_run, tiny_model_dir):
    out = subprocess.run([sys.executable, "-m", "simulacra.cli", "prepare", str(small_run), "--as", "Ana",
                          "--model", str(tiny_model_dir), "--preview", "1"],
                         capture_output=True, text=True, env={"COLUMNS": "40", "PATH": "/usr/bin:/bin",
                                                              "HF_HUB_OFFLINE": "1"})
    assert out.returncode == 0, out.stderr
    header = next(line for line in out.stdout.splitlines() if line.startswith("── example 0"))
    assert header.endswith("tokens trained ──")  # not cut to the 40 columns
    body = out.stdout.split(header, 1)[1]
    trained = [chunk.split(CLOSE, 1)[0] for chunk in body.split(OPEN)[1:]]
    assert trained and all(t.endswith("<|im_end|>") for t in trained)
    assert "omg lol" in "".join(trained) and "Shall we meet" not in "".join(trained)  # Ana's words only
