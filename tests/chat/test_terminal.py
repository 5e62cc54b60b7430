"""`simulacra chat` in a real pseudo-terminal: typed lines, in-chat commands, arrow-key history, Ctrl-D-free exit."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")
UP = "\x1b[A"


class Terminal:
    """A child process on the slave side of a pty; `expect` reads until a text shows up (colours stripped)."""

    def __init__(self, argv: list[str]):
        self.master, slave = pty.openpty()
        env = {**os.environ, "TERM": "xterm", "COLUMNS": "160", "LINES": "50"}
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
        os.close(slave)
        self.seen = ""
        self.cursor = 0  # `expect` looks only after the previous match, so a repeated prompt is a new one

    def expect(self, text: str, timeout: float = 300) -> str:
        deadline = time.monotonic() + timeout
        while text not in self.seen[self.cursor:]:
            ready, _, _ = select.select([self.master], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise AssertionError(f"{text!r} never appeared; the terminal shows:\n{self.seen[-2000:]}")
            try:
                chunk = os.read(self.master, 4096)
            except OSError:  # the child closed the terminal
                chunk = b""
            if not chunk:
                raise AssertionError(f"the chat ended before {text!r}; the terminal shows:\n{self.seen[-2000:]}")
            self.seen += ANSI.sub("", chunk.decode("utf-8", "replace"))
        self.cursor = self.seen.index(text, self.cursor) + len(text)
        return self.seen

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def close(self) -> int:
        try:
            return self.process.wait(timeout=60)
        finally:
            os.close(self.master)


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_chat_in_a_pseudo_terminal(trained_run, tmp_path):
    saved = tmp_path / "typed.jsonl"
    simulacra = str(Path(sys.executable).parent / "simulacra")
    term = Terminal([simulacra, "chat", str(trained_run), "--engine", "torch", "--temperature", "0",
                     "--max-new-tokens", "4"])
    # Each key sequence waits for the prompt: keys typed before readline takes the terminal can be lost.
    steps = [("hey how are you\r", "first reply in"), ("/temp 0.5\r", "temperature 0.5"), ("/help\r", "/retry"),
             # Up arrow three times walks back past /help and /temp to the first line; Enter sends it again.
             (UP * 3 + "\r", "Ana: "), (f"/save {saved}\r", f"transcript → {saved}")]
    try:
        term.expect("/help for commands")
        for keys, answer in steps:
            term.expect("Ben: ")
            term.type(keys)
            term.expect(answer)
        term.expect("Ben: ")
        term.type("\r")
        assert term.close() == 0
    finally:
        if term.process.poll() is None:
            term.process.kill()
    records = [orjson.loads(line) for line in saved.read_text(encoding="utf-8").splitlines()]
    assert [(r["speaker"], r.get("side")) for r in records] == [("Ben", None), ("Ana", "tuned")] * 2
    assert records[0]["text"] == records[2]["text"] == "hey how are you"
