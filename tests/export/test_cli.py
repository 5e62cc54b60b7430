"""`simulacra export` on the command line: formats by flag, `--merge` alias, one-line errors."""

from __future__ import annotations

import subprocess
import sys

CLI = [sys.executable, "-c", "from simulacra.cli import main; main()"]


def simulacra(*args):
    return subprocess.run(CLI + [str(a) for a in args], capture_output=True, text=True)


def test_format_flag_writes_under_export(tiny_run):
    result = simulacra("export", tiny_run, "--format", "gguf", "--quant", "f16")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tiny_run / "export" / "gguf").iterdir()) == ["ana-f16.gguf"]


def test_errors_are_one_line(tiny_run):
    for args, fragment in [(["--format", "onnx"], "--format"), (["--format", "gguf", "--quant", "q3"], "--quant"),
                           (["--format", "ollama", "--as", "Ben"], "--as 'Ben': not a trained speaker"),
                           (["--format", "gguf", "--user", "Zed"], "--user 'Zed': never chats with Ana"),
                           ([], "--format")]:
        result = simulacra("export", tiny_run, *args)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert fragment in " ".join(result.stderr.split()), result.stderr
