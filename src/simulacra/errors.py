"""User-facing errors: one line naming the file, the line or record, and what was expected."""

from __future__ import annotations

from pathlib import Path


class SimulacraError(Exception):
    """An error caused by the user's input or settings; the CLI prints it in one line and exits 2."""


class InputError(SimulacraError):
    """Unparseable or invalid input, located precisely.

    >>> str(InputError("chat.txt", "expected a WhatsApp header", line=3))
    'chat.txt:3: expected a WhatsApp header'
    """

    def __init__(self, path: str | Path, message: str, *, line: int | None = None, record: str | None = None):
        self.path, self.line, self.record, self.message = str(path), line, record, message
        where = self.path
        if line is not None:
            where += f":{line}"
        if record is not None:
            where += f" [{record}]"
        super().__init__(f"{where}: {message}")
