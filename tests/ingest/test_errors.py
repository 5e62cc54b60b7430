"""Bad input: one clear line naming the file and line, exit code 2, and no output file left behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulacra.errors import InputError
from simulacra.ingest import IngestConfig, run


def _run(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return run(IngestConfig(inputs=[path], out=tmp_path / "run"))


def test_truncated_json_names_file_and_line(tmp_path):
    text = json.dumps({"name": "A", "type": "personal_chat", "id": 1, "messages": [
        {"id": 1, "type": "message", "date": "2020-01-01T00:00:00", "from": "A", "text": "x"}]}, indent=1)
    with pytest.raises(InputError, match="malformed JSON") as e:
        _run(tmp_path, "result.json", text[: len(text) // 2 + 20])
    assert e.value.path.endswith("result.json") and e.value.line == text[: len(text) // 2 + 20].count("\n") + 1
    assert not (tmp_path / "run" / "conversations.jsonl").exists()
    assert not list((tmp_path / "run").glob(".conversations*"))  # no temp file left either


def test_bad_message_names_its_record(tmp_path):
    data = {"name": "A", "type": "personal_chat", "id": 1, "messages": [{"id": 1, "type": "message", "date": "yesterday"}]}
    with pytest.raises(InputError, match=r"\[messages\[0\]\].*Telegram message"):
        _run(tmp_path, "result.json", json.dumps(data))


def test_plain_text_file_is_not_a_chat(tmp_path):
    with pytest.raises(InputError, match="expected a WhatsApp message header") as e:
        _run(tmp_path, "notes.txt", "\n\nshopping list\nmilk\n")
    assert e.value.line == 3


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        run(IngestConfig(inputs=[tmp_path / "nope.txt"], out=tmp_path / "run"))


def test_error_after_good_input_leaves_no_partial_output(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("1/2/21, 10:00 - Ana: hi\n", encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "A", "type": "personal_chat", "id": 1, "messages": [{"id": 1, "text": 5}]}')
    with pytest.raises(InputError):
        run(IngestConfig(inputs=[good, bad], out=tmp_path / "run"))
    assert not (tmp_path / "run" / "conversations.jsonl").exists()


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    code = "from simulacra.cli import main; main()"
    env = {"COLUMNS": "300", "PATH": "/usr/bin:/bin"}
    if "PYTHONPATH" in os.environ:  # the code under test, not whatever the interpreter has installed
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return subprocess.run([sys.executable, "-c", code, "ingest", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=60)


def test_cli_exit_code_2_with_one_line(tmp_path):
    (tmp_path / "notes.txt").write_text("hello\n")
    result = _cli("notes.txt", "-o", "run", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
    assert "notes.txt:1: expected a WhatsApp message header" in result.stderr


def test_cli_writes_run_folder_and_lists_speakers(tmp_path):
    (tmp_path / "chat.txt").write_text("13/1/21, 10:00 - Ana B.: hi there\n13/1/21, 10:01 - Ben: yo\n")
    listed = _cli("chat.txt", "--list-speakers", "--alias", "Ana B.=Ana", "-o", "run", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "Ana " in listed.stdout and "Ana B." not in listed.stdout and not (tmp_path / "run").exists()
    result = _cli("chat.txt", "-o", "run", "--set", "date_order=dmy", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "run").iterdir()) == ["conversations.jsonl", "ingest.manifest.json", "ingest.yaml"]
    (tmp_path / "rows.jsonl").write_text('{"who": "Ana", "body": "hi"}\n{"who": "Ben", "body": "yo"}\n')
    mapped = _cli("rows.jsonl", "--format", "jsonl", "--column", "speaker=who", "--column", "text=body", "-o", "run2",
                  cwd=tmp_path)
    assert mapped.returncode == 0, mapped.stderr
    assert '"speaker":"Ben","text":"yo"' in (tmp_path / "run2" / "conversations.jsonl").read_text()
    bad_flag = _cli("chat.txt", "--set", "date_order=xyz", cwd=tmp_path)
    assert bad_flag.returncode == 2 and "--date-order" in bad_flag.stderr


def test_a_crash_inside_lazily_read_messages_is_reported_as_input_error(tmp_path, monkeypatch):
    from simulacra.ingest import whatsapp

    def broken(*args):
        raise ValueError("boom")

    monkeypatch.setattr(whatsapp, "classify", broken)
    with pytest.raises(InputError, match="cannot read this file as a whatsapp export .ValueError: boom."):
        _run(tmp_path, "chat.txt", "1/13/21, 10:00 - Ana: hi\n")
    assert not (tmp_path / "run" / "conversations.jsonl").exists()


def test_cli_reads_a_yaml_config_and_flags_override_it(tmp_path):
    (tmp_path / "chat.txt").write_text("13/1/21, 10:00 - Ana B.: hi\n13/1/21, 10:01 - Ben: yo\n")
    (tmp_path / "ingest.yaml").write_text("inputs: [chat.txt]\nout: runs/ana\naliases: {Ana B.: Ana}\n")
    result = _cli("--config", "ingest.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '"speaker":"Ana"' in (tmp_path / "runs" / "ana" / "conversations.jsonl").read_text()
    result = _cli("--config", "ingest.yaml", "-o", "runs/other", cwd=tmp_path)
    assert result.returncode == 0 and (tmp_path / "runs" / "other" / "conversations.jsonl").exists()
    typo = _cli("--config", "ingest.yaml", "--set", "date_ordr=dmy", cwd=tmp_path)
    assert typo.returncode == 2 and "unknown setting 'date_ordr'" in typo.stderr and "--date-order" in typo.stderr
