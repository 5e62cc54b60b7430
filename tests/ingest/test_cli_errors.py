"""Files that cannot be read and outputs that cannot be written: one line and exit code 2 from the real CLI.

Root reads a chmod-000 file anyway, so "unreadable" is simulated by making `open` (and click's
`os.access` check) refuse that one path with EACCES, exactly as the kernel does for other users;
the real chmod is tested too where the tests do not run as root.
"""

from __future__ import annotations

import builtins
import errno
import os
import sys
from pathlib import Path

import pytest

from simulacra.cli import main

CHAT = "[13/01/21, 10:00:00] Ana: hi\n[13/01/21, 10:00:05] Ben: yo\n"


def _cli(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    """Run `simulacra ingest ARGS` through the CLI entry point; (exit code, stderr)."""
    monkeypatch.setattr(sys, "argv", ["simulacra", "ingest", *args])
    monkeypatch.setenv("COLUMNS", "300")
    with pytest.raises(SystemExit) as e:
        main()
    return e.value.code, capsys.readouterr().err


def _refuse(monkeypatch, path: Path) -> None:
    """Opening `path` fails with EACCES, as for a chmod-000 file read by anyone but root."""
    real_open, real_access = builtins.open, os.access

    def guarded_open(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and Path(file) == path:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: Path(p) != path and real_access(p, mode, **kw))


def _one_line(err: str, *parts: str) -> None:
    assert err.strip().count("\n") == 0 and "Traceback" not in err, err
    for part in parts:
        assert part in err, err


def test_unreadable_file_inside_a_folder(tmp_path, monkeypatch, capsys):
    (tmp_path / "chats").mkdir()
    (tmp_path / "chats" / "a.txt").write_text(CHAT)
    (tmp_path / "chats" / "b.txt").write_text(CHAT)
    _refuse(monkeypatch, tmp_path / "chats" / "b.txt")
    code, err = _cli(monkeypatch, capsys, str(tmp_path / "chats"), "-o", str(tmp_path / "run"))
    assert code == 2
    _one_line(err, "error:", f"{tmp_path / 'chats' / 'b.txt'}: cannot read it (Permission denied); "
                             "expected a readable chat export")
    assert not (tmp_path / "run").exists()


def test_unreadable_single_file(tmp_path, monkeypatch, capsys):
    (tmp_path / "chat.txt").write_text(CHAT)
    _refuse(monkeypatch, tmp_path / "chat.txt")
    for extra in ([], ["--format", "whatsapp"]):
        code, err = _cli(monkeypatch, capsys, str(tmp_path / "chat.txt"), "-o", str(tmp_path / "run"), *extra)
        assert code == 2
        _one_line(err, f"{tmp_path / 'chat.txt'}: cannot read it (Permission denied)")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads chmod-000 files")
def test_really_unreadable_file(tmp_path, monkeypatch, capsys):
    (tmp_path / "chat.txt").write_text(CHAT)
    (tmp_path / "chat.txt").chmod(0)
    code, err = _cli(monkeypatch, capsys, str(tmp_path / "chat.txt"), "-o", str(tmp_path / "run"))
    assert code == 2
    _one_line(err, "chat.txt: cannot read it (Permission denied)")


def test_out_is_a_file(tmp_path, monkeypatch, capsys):
    chat = tmp_path / "chat.txt"
    chat.write_text(CHAT)
    code, err = _cli(monkeypatch, capsys, str(chat), "-o", str(chat))
    assert code == 2
    _one_line(err, f"{chat}: expected a run directory, found a file (choose another --out)")
    assert chat.read_text() == CHAT
    code, err = _cli(monkeypatch, capsys, str(chat), "-o", str(chat / "run"))
    assert code == 2
    _one_line(err, f"{chat}: expected a folder to create {chat / 'run'} in, found a file")
