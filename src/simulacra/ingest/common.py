"""Helpers shared by parsers: JSON loading with located errors, name cleaning, warnings."""

from __future__ import annotations

import functools
import json
import re
import unicodedata
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

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


def encoding_of(head: bytes) -> str:
    """UTF-16 when the bytes open with its BOM (Windows editors save "Unicode" so), else UTF-8."""
    return "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"


def file_encoding(path: Path) -> str:
    with open(path, "rb") as f:
        return encoding_of(f.read(2))


def decode(raw: bytes, path: Path) -> str:
    try:
        text = raw.decode(encoding_of(raw))
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


@functools.lru_cache(maxsize=4096)  # a chat has few speakers and many messages
def clean_name(name: str) -> str:
    """A speaker name without bidi marks or the `~ ` of non-contacts; NBSP→space, U+2011→'-'."""
    # NFC as well: macOS writes decomposed accents, and "José" must be one speaker across exports.
    name = unicodedata.normalize("NFC", _NAME_STRIP.sub("", name).replace("\u00a0", " ").replace("\u2011", "-"))
    if name.startswith("~"):
        name = name[1:].lstrip(" \u202f")
    return name.replace("\u202f", " ").strip()


def from_epoch(seconds: float) -> datetime:
    """An aware UTC datetime: epoch stamps carry no local wall time."""
    return datetime.fromtimestamp(seconds, timezone.utc)


def expect(condition: bool, path: Path, message: str, record: str | None = None, line: int | None = None) -> None:
    if not condition:
        raise InputError(path, message, record=record, line=line)


def csv_rows(path: Path, label: str | None = None, text: Any = None) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each CSV record; multi-line quoted cells are handled by the csv module."""
    import csv

    label = label or str(path)
    f = text if text is not None else open(path, encoding=file_encoding(path), newline="")
    with f:
        reader = csv.DictReader(f)
        try:
            line = reader.line_num + 1
            for row in reader:
                if None in row:
                    raise InputError(label, f"expected {len(reader.fieldnames or [])} columns, got more", line=line)
                yield line, {k.strip(): (v or "") for k, v in row.items() if k is not None}
                line = reader.line_num + 1
        except csv.Error as e:
            raise InputError(label, f"malformed CSV ({e})", line=reader.line_num) from None
        except UnicodeDecodeError as e:
            raise InputError(label, f"expected UTF-8 text ({e.reason})", line=reader.line_num + 1) from None


def csv_header(head: str) -> list[str]:
    """The column names on the first line of a CSV head, stripped; [] when it is not CSV-like."""
    import csv

    first = head.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    if "," not in first:
        return []
    try:
        return [c.strip() for c in next(csv.reader([first]))]
    except (csv.Error, StopIteration):
        return []


def iso_time(value: Any) -> datetime | None:
    """An ISO 8601 time ('2021-01-02T03:04:05.678+00:00', '2024-01-02 03:04:05 +0000'), or None if empty."""
    if value in (None, "", "."):
        return None
    text = str(value).strip()
    match = re.match(r"(.*\d)\s*([+-]\d{2}):?(\d{2})$", text)
    if match and ("T" in text or " " in text):
        text = f"{match.group(1)}{match.group(2)}:{match.group(3)}"
    return datetime.fromisoformat(text)


# Where parsers report how far they have read; `run` points it at a progress bar.
_progress_sink: list[Callable[[int, int], None] | None] = [None]


def progress(done: int, total: int) -> None:
    sink = _progress_sink[0]
    if sink is not None:
        sink(done, total)


def set_progress(sink: Callable[[int, int], None] | None) -> None:
    _progress_sink[0] = sink
