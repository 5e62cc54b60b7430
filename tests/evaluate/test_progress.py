"""With its output piped (not a terminal), evaluate prints an estimated duration and progress lines for every phase."""

from __future__ import annotations

import re
import shutil

from typer.testing import CliRunner

from simulacra.cli import app
from simulacra.io import read_json


def test_piped_output_has_the_estimate_and_a_progress_line_per_phase(trained_run, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(trained_run, run, ignore=shutil.ignore_patterns("report"))
    result = CliRunner().invoke(app, ["evaluate", str(run), "--max-new-tokens", "8", "--gen-batch-size", "2",
                                      "--batch-size", "2", "--engine", "torch"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    examples = read_json(run / "report" / "report.json")["examples"]
    moments = read_json(run / "report" / "report.json")["moments"]
    estimate = [line for line in lines if line.startswith("Estimated duration: about ")]
    assert len(estimate) == 1 and re.search(r"scoring ~\d+ s, generation ~\d+ s, metrics ~\d+ s; the first batch "
                                            r"read \d+ tokens/s\)$", estimate[0]), estimate
    expected = [f"… Scoring {examples} held-out examples, tuned: 0/{examples}",
                f"  Scoring {examples} held-out examples, tuned: {examples}/{examples}",
                f"… Scoring {examples} held-out examples, base: 0/{examples}",
                f"… Generating tuned next turns: 0/{moments}", f"… Generating base next turns: 0/{moments}",
                f"  Generating base next turns: {moments}/{moments}",
                f"… Measuring {moments} moments: overlap, style, loops, two-sample test, who-said-it"]
    found = [next((i for i, line in enumerate(lines) if line.startswith(e)), None) for e in expected]
    assert None not in found and found[:2] == sorted(found[:2]), (expected, result.output)
    # The estimate comes once the first batch is read, before the base side is scored.
    assert found[0] < lines.index(estimate[0]) < found[2] < found[3] < found[6]
    assert re.search(r"evaluate took \d+ s", result.output)
    assert set(read_json(run / "report" / "report.json")["estimate_s"]) == {"scoring", "generation", "metrics"}
