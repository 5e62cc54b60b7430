"""WhatsApp chat exports (.txt or the app's .zip): iOS brackets, Android dashes, old iOS colons.

Two streaming passes over the file: the first fixes the header grammar and the day/month order
from the *whole* file, the second builds messages, so memory stays flat for any file size.
    [03.02.21, 10:15:00] Ana: hi          → Message("Ana", "hi", 2021-02-03 10:15:00)
    2/3/21, 10:15 PM - Ben: <Media omitted> → Message("Ben", "<Media omitted>", ..., kind="media")
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Iterator

from simulacra.errors import InputError
from simulacra.ingest.common import clean_name, file_encoding, progress, warn
from simulacra.ingest.whatsapp_markers import DAY_FIRST_RE, EDITED, ENCRYPTION, SYSTEM_RE, body_kind
from simulacra.schema import Conversation, Message

LRM = "\u200e"
_DATE = r"(?P<a>\d{1,4})(?P<s>[/.\-])(?P<b>\d{1,2})(?P=s)(?P<c>\d{2,4})"
_TIME = r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<se>\d{2}))?(?:[ \u202f\u00a0]?(?P<ap>[AaPp]\.?[ \u202f]?[Mm]\.?))?"
_SP = "[ \u202f\u00a0]"
_HEADS = {
    "ios": rf"(?P<lrm>[\u200e\u200f]*)\[\u200e*{_DATE},?{_SP}{_TIME}\]{_SP}?",
    "android": rf"(?P<lrm>\u200e*){_DATE},?{_SP}{_TIME}{_SP}-{_SP}",
    "old_ios": rf"(?P<lrm>\u200e*){_DATE},?{_SP}{_TIME}:{_SP}",
}
GRAMMARS = {name: re.compile(head + "(?P<rest>.*)", re.DOTALL) for name, head in _HEADS.items()}


def _date_fields_only(head: str) -> re.Pattern:
    """The header at any line start, capturing only (first field, separator, second field), so that
    `findall` over a whole block reads every date at C speed without a match object per line."""
    pattern = re.sub(r"\(\?P<(?!a>|s>|b>)\w+>", "(?:", head)  # every other group: non-capturing
    for name in ("a", "s", "b"):
        pattern = pattern.replace(f"(?P<{name}>", "(")
    return re.compile("(?m)^" + pattern.replace("(?P=s)", "\\2"))


_HEADS_IN_TEXT = {GRAMMARS[name]: _date_fields_only(head) for name, head in _HEADS.items()}
# Whole headers at line starts, for the second pass: finditer over a block splits it into messages.
_HEADERS_IN_TEXT = {GRAMMARS[name]: re.compile("(?m)^" + head) for name, head in _HEADS.items()}
EXAMPLE = "'[31/12/21, 23:59:59] Name: text' or '31/12/21, 23:59 - Name: text'"
_QUOTE = re.compile("[\"“„«]")
_TITLE = re.compile(r"^WhatsApp[ _-]Chat(?: with| mit| con| com| met| avec| с)?(?: - |-| )?\s*(?P<t>.+)$", re.I)


def sniff(path: Path, head: str) -> bool:
    if _is_zip(path):
        return _zip_member(path) is not None
    lines = [ln.lstrip(LRM) for ln in head.splitlines() if ln.strip()][:20]
    return any(g.match(ln) for ln in lines for g in GRAMMARS.values())


def parse(path: Path, config: Any, source: str = "whatsapp") -> Iterator[Conversation]:
    text = TextSource(path)
    scan = Scan.of(text, config)
    conv = Conversation(id=f"{source}-{_slug(text.title)}", source=source, title=text.title, participants=[])
    conv.messages = _messages(text, scan)
    yield conv


class TextSource:
    """A chat text, plain or the `.txt` inside the app's zip, read as numbered lines, any number of times."""

    def __init__(self, path: Path):
        self.path, self.member = path, _zip_member(path) if _is_zip(path) else None
        if _is_zip(path) and self.member is None:
            raise InputError(path, "expected a WhatsApp .zip holding a chat .txt file")
        self.label = f"{path}/{self.member}" if self.member else str(path)
        stem = Path(self.member).stem if self.member and self.member != "_chat.txt" else path.stem
        match = _TITLE.match(stem)
        self.title = match.group("t") if match else stem

    def lines(self, part: int = 0) -> Iterator[tuple[int, str]]:
        """Numbered lines; `part` (0 = scan, 1 = parse) places this pass on the progress bar."""
        lineno, size = 0, self.size()
        try:
            with self._open() as f:
                for lineno, line in enumerate(f, 1):
                    if not lineno % 50000:
                        progress(part * size + f.buffer.tell(), 2 * size)
                    line = line.rstrip("\n")
                    yield lineno, line.replace("\ufeff", "") if "\ufeff" in line else line
        except UnicodeDecodeError as e:
            raise InputError(self.label, f"expected UTF-8 text ({e.reason})", line=lineno + 1) from None

    def blocks(self, part: int = 0, size: int = 1 << 20) -> Iterator[str]:
        """The text in 1 MiB pieces cut at line ends, U+FEFF removed (for whole-file regex scans)."""
        total = self.size()
        try:
            with self._open() as f:
                carry = ""
                while True:
                    chunk = f.read(size)
                    if not chunk:
                        break
                    progress(part * total + f.buffer.tell(), 2 * total)
                    head, newline, carry = (carry + chunk).rpartition("\n")
                    yield (head + newline).replace("\ufeff", "")  # whole lines, their newline kept
                yield carry.replace("\ufeff", "")
        except UnicodeDecodeError as e:
            raise InputError(self.label, f"expected UTF-8 text ({e.reason})") from None

    def size(self) -> int:
        if self.member is None:
            return self.path.stat().st_size
        with zipfile.ZipFile(self.path) as archive:
            return archive.getinfo(self.member).file_size

    @contextlib.contextmanager
    def _open(self) -> Iterator[IO[str]]:
        if self.member is None:
            with open(self.path, encoding=file_encoding(self.path), newline=None) as f:
                yield f
            return
        with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as raw:
            yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline=None)


def _is_zip(path: Path) -> bool:
    return path.is_file() and zipfile.is_zipfile(path)


def _zip_member(path: Path) -> str | None:
    """The chat text inside a WhatsApp zip: `_chat.txt` (iOS) or `WhatsApp Chat with ….txt` (Android)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".txt") and "/" not in n.strip("/")]
            if not names:
                return None
            name = "_chat.txt" if "_chat.txt" in names else names[0]
            head = archive.open(name).read(4096).decode("utf-8", "replace").replace("\ufeff", "")
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return None
    lines = [ln.lstrip(LRM) for ln in head.splitlines() if ln.strip()][:20]
    return name if any(g.match(ln) for ln in lines for g in GRAMMARS.values()) else None


@dataclass
class Scan:
    """What the first pass learns: which header grammar the file uses and its date field order."""

    grammar: re.Pattern
    order: str

    @classmethod
    def of(cls, text: TextSource, config: Any) -> "Scan":
        grammar = _find_grammar(text)
        order = _fast_order(text, grammar)
        if order is None:  # undecided or contradictory: go line by line for line numbers and locale
            evidence = _DateEvidence()
            for lineno, line in text.lines():
                m = grammar.match(line)
                if m:
                    evidence.add(m, lineno)
            order = evidence.decide(text.label, getattr(config, "date_order", None))
        return cls(grammar, order)


def _find_grammar(text: TextSource) -> re.Pattern:
    """The grammar of the first header; non-blank text before it is an error."""
    for lineno, line in text.lines():
        grammar = _first_grammar(text.label, lineno, line)
        if grammar is not None:
            return grammar
    raise InputError(text.label, f"no WhatsApp message header found; expected {EXAMPLE}", line=1)


def _fast_order(text: TextSource, grammar: re.Pattern) -> str | None:
    """The date order when the numbers alone decide it, from every header's distinct date fields."""
    fields: set[tuple[str, str]] = set()
    heads = _HEADS_IN_TEXT[grammar]
    for block in text.blocks():
        fields.update((a, b) for a, _, b in heads.findall(block))
    if any(len(a) == 4 for a, _ in fields):
        return "ymd"
    day_first = any(int(a) > 12 for a, _ in fields)
    month_first = any(int(b) > 12 for _, b in fields)
    return "dmy" if day_first and not month_first else "mdy" if month_first and not day_first else None


def _first_grammar(label: str, lineno: int, line: str) -> re.Pattern | None:
    if not line.strip():
        return None
    for grammar in GRAMMARS.values():
        if grammar.match(line):
            return grammar
    raise InputError(label, f"expected a WhatsApp message header like {EXAMPLE}", line=lineno)


class _DateEvidence:
    """Day/month order from every header: a first field > 12 proves D/M, a second > 12 proves M/D."""

    def __init__(self):
        self.day_first_at = self.month_first_at = self.locale_at = None
        self.ymd = False
        self.separators: set[str] = set()

    def add(self, m: re.Match, lineno: int) -> None:
        a, b, sep = m.group("a", "b", "s")
        if len(a) == 4:
            self.ymd = True
            return
        self.separators.add(sep)
        if self.day_first_at is None and int(a) > 12:
            self.day_first_at = (lineno, m.group(0)[:40])
        if self.month_first_at is None and int(b) > 12:
            self.month_first_at = (lineno, m.group(0)[:40])
        if self.locale_at is None:  # only reached when the numbers did not decide: worth a full look
            rest = m.group("rest").replace(LRM, "")
            if DAY_FIRST_RE.match(rest.split(": ", 1)[-1]) or DAY_FIRST_RE.match(rest):
                self.locale_at = lineno

    def decide(self, label: str, default: str | None) -> str:
        if self.ymd:
            return "ymd"
        if self.day_first_at and self.month_first_at:
            (l1, t1), (l2, t2) = self.day_first_at, self.month_first_at
            message = f"dates are day-first at line {l1} ({t1!r}) but month-first here ({t2!r})"
            raise InputError(label, message, line=l2)
        if self.day_first_at:
            return "dmy"
        if self.month_first_at:
            return "mdy"
        if self.locale_at:
            return "dmy"  # the system strings are in a day-first language (de/es/pt/nl/fr/it/ru)
        if self.separators and self.separators <= {".", "-"}:
            return "dmy"  # dotted and dashed dates are day-first in every locale WhatsApp ships
        order = default or "dmy"
        if not default:
            warn(f"{label}: every date fits both day/month orders; assuming day first "
                 "(set --set date_order=mdy if the chat is from a US phone)")
        return order


def _messages(text: TextSource, scan: Scan) -> Iterator[Message]:
    """Messages in file order: each block is split at the headers found in it (one C-level finditer);
    the last message of a block goes on into the next block until a header ends it."""
    headers = _HEADERS_IN_TEXT[scan.grammar]
    dates: dict = {}
    pending: tuple[re.Match, int, list[str]] | None = None  # header, its line number, its text so far
    line = 1
    for block in text.blocks(part=1):
        counted = start = 0  # newlines counted up to `counted`; text not yet given to a message from `start`
        for m in headers.finditer(block):
            line += block.count("\n", counted, m.start())
            counted = m.start()
            if pending is not None:
                pending[2].append(block[start:m.start()])
                yield _message(text.label, pending, scan.order, dates)
            pending, start = (m, line, []), m.end()
        if pending is not None:
            pending[2].append(block[start:])
        line += block.count("\n", counted)
    if pending is not None:
        yield _message(text.label, pending, scan.order, dates)


def _message(label: str, pending: tuple[re.Match, int, list[str]], order: str, dates: dict) -> Message:
    m, lineno, parts = pending
    rest = "".join(parts)
    rest = rest[:-1] if rest.endswith("\n") else rest
    if "\n" in rest:
        lines = rest.split("\n")
        while len(lines) > 1 and not lines[-1].strip():
            lines.pop()  # blank lines between messages are layout, not text
        rest = "\n".join(lines)
    speaker, kind, body, edited = classify(rest, bool(m.group("lrm")))
    return Message(speaker=speaker, text=body, time=_time(label, lineno, m, order, dates), kind=kind,
                   edited=edited, source_id=str(lineno))


def classify(rest: str, flagged: bool = False) -> tuple[str, str, str, bool]:
    """(speaker, kind, text, edited) of a header's REST: 'Ana: <LRM>image omitted' → ('Ana', 'media', ...)."""
    bare = rest
    if rest[:1] == LRM:
        flagged, bare = True, rest.lstrip(LRM)
    author, sep, body = bare.partition(":")
    if not sep or "\n" in author or len(author) > 100:
        return "", "system", bare.replace(LRM, ""), False  # author-less: Android and old-iOS notices
    # A colon inside a quoted subject ('created group "A: b"') looks like an author; only then (or
    # for a name too long to be one) are the whole-line notices worth testing.
    if (len(author) > 40 or _QUOTE.search(author)) and (SYSTEM_RE.match(bare) or ENCRYPTION.search(author)):
        return "", "system", bare.replace(LRM, ""), False
    if body[:1] == " ":
        body = body[1:]
    if body[:1] == LRM:
        flagged, body = True, body.lstrip(LRM)
    edited = EDITED.search(body) if body.rstrip()[-1:] == ">" else None
    if edited:
        body = body[:edited.start()]
    kind = body_kind(body.replace(LRM, "") if LRM in body else body)
    if kind is None:
        # The encryption notice carries an author only in LRM-flagged (iOS) form, so no search on text.
        kind = "system" if flagged else "text"
    if kind != "text":
        body = body.replace(LRM, "")
    return clean_name(author), kind, body, edited is not None


def _time(label: str, lineno: int, m: re.Match, order: str, dates: dict) -> datetime:
    a, b, c, h, mi, se, ampm = m.group("a", "b", "c", "h", "mi", "se", "ap")
    day = dates.get((a, b, c))
    if day is None:
        found = _date(label, lineno, (a, b, c), order)
        day = dates[(a, b, c)] = (found.year, found.month, found.day)
    hour, minute, second = int(h), int(mi), int(se or 0)
    if ampm:
        hour = (0 if hour == 12 else hour) + (12 if ampm[0] in "Pp" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise InputError(label, f"invalid time {h}:{mi} in a message header", line=lineno)
    return datetime(*day, hour, minute, second)


def _date(label: str, lineno: int, fields: tuple[str, str, str], order: str) -> date:
    a, b, c = fields
    year, month, day = {"dmy": (c, b, a), "mdy": (c, a, b), "ymd": (a, b, c)}[order]
    try:
        return date(int(year) + (2000 if len(year) <= 2 else 0), int(month), int(day))
    except ValueError:
        raise InputError(label, f"invalid date {'/'.join(fields)} (read as {order.upper()})", line=lineno) from None


def _slug(title: str) -> str:
    return re.sub(r"\W+", "-", title.lower()).strip("-") or "chat"
