"""Helpers shared by parsers: JSON loading with located errors, name cleaning, warnings."""

from __future__ import annotations

import json
import re
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from simulacra.errors import InputError


class IngestWarning(UserWarning):
    """A file parsed but looks wrong (no messages, one speaker, dates going backwards)."""


def warn(message: str) -> None:
    warnings.warn(message, IngestWarning, stacklevel=2)


def read_text(path: Path) -> str:
    """A whole text file: BOM and stray U+FEFF removed, newlines normalised."""
    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        raise InputError(path, f"cannot read file ({e.strerror})") from None
    return decode(raw, path).replace("\ufeff", "")


def decode(raw: bytes, path: Path) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise InputError(path, f"expected UTF-8 text (bad byte at offset {e.start})", line=line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_json(path: Path) -> Any:
    """Parse a whole JSON file; a syntax error names the line it was found on."""
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        what = "file ends in the middle of a JSON value (truncated?)" if e.pos >= len(text.rstrip()) else e.msg
        raise InputError(path, f"malformed JSON: {what} (column {e.colno})", line=e.lineno) from None
    except RecursionError:
        raise InputError(path, "malformed JSON: nested too deeply") from None


# Bidi marks and wrappers that exports put around names (phone numbers above all).
_NAME_STRIP = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_name(name: str) -> str:
    """A speaker name without bidi marks or the `~ ` of non-contacts; NBSP→space, U+2011→'-'."""
    name = _NAME_STRIP.sub("", name).replace("\u00a0", " ").replace("\u2011", "-")
    if name.startswith("~"):
        name = name[1:].lstrip(" \u202f")
    return name.replace("\u202f", " ").strip()


def from_epoch(seconds: float) -> datetime:
    """An aware UTC datetime: epoch stamps carry no local wall time."""
    return datetime.fromtimestamp(seconds, timezone.utc)


def expect(condition: bool, path: Path, message: str, record: str | None = None, line: int | None = None) -> None:
    if not condition:
        raise InputError(path, message, record=record, line=line)
