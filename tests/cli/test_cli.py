"""The CLI as a user meets it: help for every verb, one-line errors with exit code 2, no torch at start-up."""

import json
import os
import subprocess
import sys

import pytest

from simulacra.cli import VERBS

CLI = [sys.executable, "-c", "from simulacra.cli import main; main()"]


def simulacra(*args, **kw):
    return subprocess.run(CLI + [str(a) for a in args], capture_output=True, text=True, **kw)


def assert_one_line_error(result, *fragments):
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    message = " ".join(lines)
    assert "Traceback" not in result.stderr
    assert message.startswith("error:")
    for fragment in fragments:
        assert fragment in message


@pytest.mark.parametrize("verb", list(VERBS))
def test_every_verb_has_help(verb):
    result = simulacra(verb, "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout


def test_truncated_telegram_json_names_file_and_line(tmp_path):
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"name": "Ana", "type": "personal_chat", "id": 1, "messages": [
        {"id": 1, "type": "message", "date": "2024-01-01T10:00:00", "from": "Ana", "text": "hi"}]}, indent=1)[:-20])
    result = simulacra("ingest", path, "-o", tmp_path / "run")
    assert_one_line_error(result, f"{path}:", "JSON")
    assert not (tmp_path / "run" / "conversations.jsonl").exists()


def test_text_file_that_is_not_a_whatsapp_export(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("groceries\nmilk, eggs\n")
    result = simulacra("ingest", path, "-o", tmp_path / "run")
    assert_one_line_error(result, f"{path}:1:", "WhatsApp")


def test_unknown_speaker_for_as(small_run, tiny_model_dir):
    result = simulacra("prepare", small_run, "--as", "Zed", "--model", tiny_model_dir)
    assert_one_line_error(result, "conversations.jsonl", "'Zed'", "'Ana'")


def test_unknown_setting_names_the_flag(small_run):
    result = simulacra("train", small_run, "--set", "learning_rat=1")
    assert_one_line_error(result, "unknown setting 'learning_rat'", "did you mean learning_rate (--lr)?")


def test_missing_run_directory(tmp_path):
    result = simulacra("train", tmp_path / "nope")
    assert_one_line_error(result, "no prepared dataset")


def test_every_verb_help_never_imports_torch():
    code = ("import sys; from simulacra.cli import app; from typer.testing import CliRunner; "
            "r = [CliRunner().invoke(app, [v, '--help']).exit_code for v in ('config',) + tuple(__import__("
            "'simulacra.cli').cli.VERBS)]; print(set(r), 'torch' in sys.modules, 'transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "{0} False False", out.stderr


def test_cli_ingest_and_prepare_never_import_torch():
    code = ("import sys, simulacra.cli, simulacra.prepare, simulacra.ingest, simulacra.prepare.preview; "
            "print('torch' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


def test_library_warnings_are_hidden_and_ours_are_kept():
    code = ("import os, warnings; from simulacra.ui import quiet_libraries; quiet_libraries(); "
            "warnings.warn_explicit('library note', UserWarning, 'x.py', 1, module='peft.tuners.lora'); "
            "warnings.warn_explicit('our note', UserWarning, 'y.py', 1, module='simulacra.ingest.common'); "
            "warnings.warn('deprecated thing', FutureWarning); print(os.environ['HF_HUB_DISABLE_PROGRESS_BARS'])")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONWARNINGS", "HF_HUB_DISABLE_PROGRESS_BARS")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.stdout.strip() == "1"
    assert "our note" in out.stderr and "library note" not in out.stderr and "deprecated" not in out.stderr
