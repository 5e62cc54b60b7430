"""Dialogue corpora: Cornell movie dialogs (lines file) and DailyDialog (`__eou__`-separated turns).

    L12 +++$+++ u3 +++$+++ m1 +++$+++ ANA +++$+++ Fine .   → Message("ANA", "Fine .", source_id="L12")
    Hi . __eou__ Hello ! __eou__                            → A: "Hi .", B: "Hello !"
Cornell turn order comes from `movie_conversations.txt` beside the lines file when present; without
it, each movie is one conversation ordered by numeric line id (copies are often in reverse order).
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterator

from simulacra.errors import InputError
from simulacra.ingest.common import warn
from simulacra.schema import Conversation, Message

SEP = " +++$+++ "
_CORNELL = re.compile(r"L\d+ \+\+\+\$\+\+\+ ")


def sniff(path: Path, head: str) -> bool:
    first = next((ln for ln in head.splitlines() if ln.strip()), "")
    return bool(_CORNELL.match(first)) or first.rstrip().endswith("__eou__")


def parse(path: Path, config: Any) -> Iterator[Conversation]:
    text = _read(path)
    first = next((ln for ln in text.split("\n") if ln.strip()), "")
    if _CORNELL.match(first):
        yield from _cornell(path, text)
    else:
        yield from _dailydialog(path, text)


def _read(path: Path) -> str:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # the upstream Cornell files are Latin-1
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _cornell(path: Path, text: str) -> Iterator[Conversation]:
    lines: dict[str, tuple[str, str, str]] = {}  # id -> (movie, speaker, text)
    rows = text.split("\n")
    last = max((i for i, r in enumerate(rows) if r.strip()), default=-1)
    for i, row in enumerate(rows):
        if not row.strip():
            continue
        parts = row.split(SEP)
        if len(parts) < 5 or not parts[0].startswith("L"):
            if i == last:
                warn(f"{path}:{i + 1}: last line is cut off; left out")
                continue
            expected = "expected 'L<id> +++$+++ u<char> +++$+++ m<movie> +++$+++ NAME +++$+++ text'"
            raise InputError(path, expected, line=i + 1)
        lines[parts[0].strip()] = (parts[2].strip(), parts[3].strip(), SEP.join(parts[4:]))
    companion = path.with_name("movie_conversations.txt")
    if companion.is_file():
        yield from _cornell_threads(companion, lines)
        return
    by_movie: dict[str, list[str]] = defaultdict(list)
    for line_id, (movie, _, _) in lines.items():
        by_movie[movie].append(line_id)
    for movie, ids in by_movie.items():
        ids.sort(key=lambda x: int(x[1:]) if x[1:].isdigit() else 0)
        yield _conv(f"cornell-{movie}", movie, ids, lines)


def _cornell_threads(companion: Path, lines: dict) -> Iterator[Conversation]:
    for n, row in enumerate(_read(companion).split("\n"), 1):
        parts = row.split(SEP)
        if len(parts) < 4:
            continue
        try:
            ids = [str(x) for x in ast.literal_eval(parts[3].strip())]
        except (ValueError, SyntaxError):
            raise InputError(companion, "expected a list of line ids like ['L1', 'L2']", line=n) from None
        yield _conv(f"cornell-{parts[2].strip()}-{n}", parts[2].strip(), [i for i in ids if i in lines], lines)


def _conv(conv_id: str, movie: str, ids: list[str], lines: dict) -> Conversation:
    messages = [Message(speaker=lines[i][1], text=lines[i][2], source_id=i) for i in ids]
    return Conversation(id=conv_id, source="cornell", title=movie, participants=[], messages=messages)


def _dailydialog(path: Path, text: str) -> Iterator[Conversation]:
    for lineno, line in enumerate(text.split("\n"), 1):
        turns = [t.strip() for t in line.split("__eou__")]
        turns = [t for t in turns if t]
        if not turns:
            continue
        messages = [Message(speaker="AB"[i % 2], text=t) for i, t in enumerate(turns)]
        yield Conversation(id=f"dailydialog-{lineno}", source="dailydialog", title="", participants=[],
                           messages=messages)
