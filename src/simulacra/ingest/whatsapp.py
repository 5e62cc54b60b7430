"""WhatsApp chat exports (.txt or the app's .zip): iOS brackets, Android dashes, old iOS colons.

Two streaming passes over the file: the first fixes the header grammar and the day/month order
from the *whole* file, the second builds messages, so memory stays flat for any file size.
    [03.02.21, 10:15:00] Ana: hi          → Message("Ana", "hi", 2021-02-03 10:15:00)
    2/3/21, 10:15 PM - Ben: <Media omitted> → Message("Ben", "<Media omitted>", ..., kind="media")
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, Iterator

from simulacra.errors import InputError
from simulacra.ingest.common import warn
from simulacra.ingest.whatsapp_clock import SECONDS, Clock
from simulacra.ingest.whatsapp_markers import DAY_FIRST_RE, classify
from simulacra.ingest.whatsapp_source import LRM, TextSource, bytes_pattern, is_zip, zip_member
from simulacra.schema import Conversation, Message

_DATE = r"(?P<a>\d{1,4})(?P<s>[/.\-])(?P<b>\d{1,2})(?P=s)(?P<c>\d{2,4})"
_TIME = r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<se>\d{2}))?(?:[ \u202f\u00a0]?(?P<ap>[AaPp]\.?[ \u202f]?[Mm]\.?))?"
# The same with fewer groups, for splitting: the whole date and the hour:minute are each one string.
_DATE_ONE = r"(?P<date>\d{1,4}(?P<s>[/.\-])\d{1,2}(?P=s)\d{2,4})"
_TIME_ONE = r"(?P<hm>\d{1,2}:\d{2})(?::(?P<se>\d{2}))?(?:[ \u202f\u00a0]?(?P<ap>[AaPp]\.?[ \u202f]?[Mm]\.?))?"
_SP = "[ \u202f\u00a0]"


def _heads(date: str, time: str) -> dict[str, str]:
    return {
        "ios": rf"(?P<lrm>[\u200e\u200f]*)\[\u200e*{date},?{_SP}{time}\]{_SP}?",
        "android": rf"(?P<lrm>\u200e*){date},?{_SP}{time}{_SP}-{_SP}",
        "old_ios": rf"(?P<lrm>\u200e*){date},?{_SP}{time}:{_SP}",
    }


_HEADS = _heads(_DATE, _TIME)
GRAMMARS = {name: re.compile(head + "(?P<rest>.*)", re.DOTALL) for name, head in _HEADS.items()}


def _date_fields_only(head: str) -> re.Pattern:
    """The header at any line start, capturing only (first field, separator, second field), so that
    `findall` over a whole block reads every date at C speed without a match object per line."""
    pattern = re.sub(r"\(\?P<(?!a>|s>|b>)\w+>", "(?:", head)  # every other group: non-capturing
    for name in ("a", "s", "b"):
        pattern = pattern.replace(f"(?P<{name}>", "(")
    return re.compile("\n" + pattern.replace("(?P=s)", "\\2"))


def _date_start_only(head: str) -> str:
    """The header at any line start with one group, the date's start ('13/9/'): `findall` then makes one
    string per header, not a tuple of three (the separator repeats by alternation, not by reference)."""
    one = r"(\d{1,4}(?:/\d{1,2}/|\.\d{1,2}\.|-\d{1,2}-))\d{2,4}"
    pattern = re.sub(r"\(\?P<\w+>", "(?:", head.replace(_DATE, one))
    return "\n" + pattern


_HEADS_IN_TEXT = {GRAMMARS[name]: _date_fields_only(head) for name, head in _HEADS.items()}
_HEADS_IN_BYTES = {GRAMMARS[name]: bytes_pattern(_date_start_only(head)) for name, head in _HEADS.items()}
_FIELDS = re.compile(r"(\d+)[/.\-](\d+)")
# Whole headers at line starts with their fields as groups, for the second pass (see _messages).
# Both match at a "\n" rather than at "(?m)^": a literal first character lets the regex engine skip
# ahead to each line start instead of trying every position (TextSource.blocks leads lines with "\n").
_SPLITTERS = {GRAMMARS[name]: re.compile("\n" + head) for name, head in _heads(_DATE_ONE, _TIME_ONE).items()}
_REST = 6  # the fields: lrm, date, s, hm, se, ap; then the text up to the next header
_STRIDE = _REST + 1
EXAMPLE = "'[31/12/21, 23:59:59] Name: text' or '31/12/21, 23:59 - Name: text'"


def sniff(path: Path, head: str) -> bool:
    if is_zip(path):
        return zip_member(path, _has_header) is not None
    return _has_header(head)


def _has_header(head: str) -> bool:
    """Whether one of the first 20 non-blank lines of `head` is a message header."""
    lines = [ln.lstrip(LRM) for ln in head.splitlines() if ln.strip()][:20]
    return any(g.match(ln) for ln in lines for g in GRAMMARS.values())


def parse(path: Path, config: Any, source: str = "whatsapp") -> Iterator[Conversation]:
    text = TextSource(path, _has_header)
    scan = Scan.of(text, config)
    conv = Conversation(id=f"{source}-{_slug(text.title)}", source=source, title=text.title, participants=[])
    conv.messages = _messages(text, scan)
    yield conv


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
    fields = _scan_bytes(text, grammar)
    if fields is None:
        found: set[tuple[str, str, str]] = set()  # (first field, separator, second field), set-updated in C
        heads = _HEADS_IN_TEXT[grammar]
        for block in text.blocks():
            found.update(heads.findall(block))
        fields = {(a, b) for a, _, b in found}
    if any(len(a) == 4 for a, _ in fields):
        return "ymd"
    day_first = any(int(a) > 12 for a, _ in fields)
    month_first = any(int(b) > 12 for _, b in fields)
    return "dmy" if day_first and not month_first else "mdy" if month_first and not day_first else None


def _scan_bytes(text: TextSource, grammar: re.Pattern) -> set[tuple[str, str]] | None:
    """Every header's (first, second) date field, read from the undecoded UTF-8 bytes (the digits are
    ASCII, and this pass needs nothing else); None where the bytes cannot be scanned so."""
    heads, blocks = _HEADS_IN_BYTES[grammar], text.byte_blocks()
    if heads is None or blocks is None:
        return None
    found: set[bytes] = set()
    for block in blocks:
        if block == b"\r":
            return None  # bare-CR newlines: only the decoded text has them as line breaks
        found.update(heads.findall(block))
    return {_FIELDS.match(start.decode()).groups() for start in found}


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
    """Messages in file order. One C-level `split` cuts each block at its headers into
    [lead, *fields, rest, *fields, rest, ...]; the last message of a block goes on into the next.
    In a newline-led block each "\n" starts a line, so a message's lines are its rest's "\n"s + 1."""
    split = _SPLITTERS[scan.grammar].split
    clock = Clock(text.label, scan.order)
    days, minutes, seconds = clock.days, clock.minutes, SECONDS
    line = 0  # lines started before the current piece
    pending: tuple[list[str], int, list[str]] | None = None  # a header's fields, its line, its text so far
    for block in text.blocks(part=1):
        pieces = split(block)
        lead = pieces[0]  # continuation lines of the pending message (or blank lines before the first)
        if pending is not None:
            pending[2].append(lead)
            if len(pieces) > 1:
                yield _message(pending[0], pending[1], "".join(pending[2]), clock)
                pending = None
        line += lead.count("\n")
        last = len(pieces) - _STRIDE  # the block's last message may go on in the next block
        # The loop below is _message inlined, with the clock's cache lookups: it runs once per message.
        groups = islice(pieces, 1, max(last, 1))
        for lrm, date, _, hm, se, ap, rest in zip(*[groups] * _STRIDE):  # one message's pieces at a time
            line += 1
            head_line = line
            cut = rest.rfind("\n")
            if cut >= 0:
                line += rest.count("\n")
                if not rest[cut + 1:].strip():
                    rest = _trim(rest)
            speaker, kind, body, edited = classify(rest, lrm != "")
            day, minute, second = days.get(date), minutes.get((hm, ap)), seconds.get(se)
            if day is None or minute is None or second is None:
                stamp = clock.time(date, hm, se, ap, head_line)
            else:
                stamp = day + minute + second
            yield Message(speaker, body, stamp, str(head_line), None, kind, edited)
        if last > 0:
            rest = pieces[last + _REST]
            line += 1
            pending = (pieces[last:last + _REST], line, [rest])
            line += rest.count("\n")
    if pending is not None:
        yield _message(pending[0], pending[1], "".join(pending[2]), clock)
    clock.finish()


def _message(fields: list[str], lineno: int, rest: str, clock: Clock) -> Message:
    lrm, date, _, hm, se, ap = fields
    cut = rest.rfind("\n")
    if cut >= 0 and not rest[cut + 1:].strip():
        rest = _trim(rest)
    speaker, kind, body, edited = classify(rest, lrm != "")
    return Message(speaker, body, clock.time(date, hm, se, ap, lineno), str(lineno), None, kind, edited)


def _trim(rest: str) -> str:
    """REST without its trailing blank lines: they are layout between messages, not text."""
    lines = rest.split("\n")
    while len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def _slug(title: str) -> str:
    return re.sub(r"\W+", "-", title.lower()).strip("-") or "chat"
