"""Export formats by name, and detection of a file's format from its content.

A parser is a module with `sniff(path, head) -> bool` (head = the first 64 KiB as text) and
`parse(path, config) -> Iterator[Conversation]`. Adding a format is one module and one line here.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Iterator, Protocol, cast

from simulacra.errors import InputError
from simulacra.schema import Conversation


class Unreadable(InputError):
    """A file or folder that cannot be opened: an error even among files skipped for their format."""


class Parser(Protocol):
    """What each format module provides."""

    def sniff(self, path: Path, head: str) -> bool:
        """Whether `path` (whose first 64 KiB, decoded, is `head`) is in this format, judged by structure."""

    def parse(self, path: Path, config: Any) -> Iterator[Conversation]:
        """The conversations in file order; messages may be read lazily, one at a time."""


# Sniffing order matters: specific structures first, loose text grammars last.
FORMATS: dict[str, str] = {
    "imessage": "simulacra.ingest.imessage",
    "telegram": "simulacra.ingest.telegram",
    "discord": "simulacra.ingest.discord",
    "messenger": "simulacra.ingest.messenger",
    "slack": "simulacra.ingest.slack",
    "oasst": "simulacra.ingest.oasst",
    "jsonl": "simulacra.ingest.records",
    "csv": "simulacra.ingest.table",
    "corpus": "simulacra.ingest.corpora",
    "signal": "simulacra.ingest.signal",
    "whatsapp": "simulacra.ingest.whatsapp",
    "transcript": "simulacra.ingest.transcript",
}

HEAD_BYTES = 1 << 16


def parser(name: str) -> Parser:
    return cast(Parser, importlib.import_module(FORMATS[name]))


def read_head(path: Path) -> str:
    """The start of a file as text (undecodable bytes replaced); empty for folders."""
    if path.is_dir():
        return ""
    with open(path, "rb") as f:
        raw = f.read(HEAD_BYTES)
    encoding = "utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"
    return raw.decode(encoding, errors="replace").replace("\ufeff", "")


def detect(path: Path, forced: str | None = None) -> str:
    """The format name for `path`: the forced one, or the first parser whose sniff accepts it."""
    path = Path(path)
    try:
        if not path.exists():
            raise InputError(path, "file not found")
        if forced:
            if not path.is_dir():
                open(path, "rb").close()  # unreadable: say so now, not halfway through the parse
            return forced
        head = read_head(path)
        for name in FORMATS:
            if parser(name).sniff(path, head):
                return name
    except OSError as e:
        raise Unreadable(path, f"cannot read it ({e.strerror or e}); expected a readable chat export") from None
    if path.is_dir():
        raise InputError(path, "no chat export found in this folder")
    raise _unrecognised(path, head)


def resolve(inputs: list[Path], forced: str | None = None) -> dict[str, str]:
    """Each input file's format, in order; a folder that is no export itself stands for the exports in it."""
    found: dict[str, str] = {}
    for path in map(Path, inputs):
        if path.is_dir() and not forced:
            try:
                found[str(path)] = detect(path)
            except Unreadable:
                raise
            except InputError:
                inside = _exports_in(path)
                if not inside:
                    raise
                found.update(inside)
        else:
            found[str(path)] = detect(path, forced)
    return found


def _exports_in(folder: Path) -> dict[str, str]:
    """Exports under `folder`: a sub-folder that is an export (Slack, Discord package, Messenger) counts
    whole and is not entered; other files count one by one; files of no known format are passed over."""
    out: dict[str, str] = {}
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        try:
            out[str(entry)] = detect(entry)
        except Unreadable:
            raise
        except InputError:
            if entry.is_dir():
                out.update(_exports_in(entry))  # notes, media and other files beside the exports are skipped
    return out


def _unrecognised(path: Path, head: str) -> InputError:
    if "\x00" in head[:4096]:
        return InputError(path, f"not a supported chat export (binary file); known formats: {', '.join(FORMATS)}")
    lines = head.splitlines()
    lineno = next((i for i, line in enumerate(lines, 1) if line.strip()), 1)
    if not head.strip():
        return InputError(path, "empty file: expected a chat export", line=1)
    if head.lstrip()[:1] in "{[":
        from simulacra.ingest.common import load_json

        load_json(path)  # a malformed JSON file is reported with its line
        return InputError(path, f"JSON with no known chat layout; known formats: {', '.join(FORMATS)}")
    return InputError(
        path, "expected a WhatsApp message header like '[31/12/21, 23:59:59] Name: text' or "
        f"'31/12/21, 23:59 - Name: text' (or another supported export: {', '.join(FORMATS)})", line=lineno)
