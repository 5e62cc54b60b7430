"""analyze never imports torch (without a model), and the CLI verb writes the report with user errors as one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulacra.errors import SimulacraError

SRC = str(Path(__file__).resolve().parents[2] / "src")


def test_import_and_run_without_torch(chat_run):
    code = ("import sys; from pathlib import Path; import simulacra.analyze as a; "
            f"a.run(a.AnalyzeConfig(run_dir=Path({str(chat_run)!r}))); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'transformers', 'peft')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin", "MPLBACKEND": ""})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert (chat_run / "analysis" / "index.html").is_file()


def test_cli_verb_writes_the_report(chat_run):
    from simulacra.cli import app

    result = CliRunner().invoke(app, ["analyze", str(chat_run), "--gap", "30", "--top-words", "3"])
    assert result.exit_code == 0, result.output
    config = (chat_run / "analysis" / "config.yaml").read_text(encoding="utf-8")
    assert "session_gap_minutes: 30.0" in config and "top_words: 3" in config


def test_missing_conversations_and_model_are_clear_errors(tmp_path, chat_run):
    from simulacra.analyze import AnalyzeConfig, run

    with pytest.raises(SimulacraError, match="conversations.jsonl.*simulacra ingest"):
        run(AnalyzeConfig(run_dir=tmp_path / "nowhere"))
    with pytest.raises(SimulacraError, match=r"--emotions: .*model/weights not found \(run `simulacra train"):
        run(AnalyzeConfig(run_dir=chat_run, emotions=True))
    assert not (chat_run / "analysis").exists()  # nothing half-written
