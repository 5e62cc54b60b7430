"""Transcripts: `Name: text` lines, `Name (hh:mm:ss):` interviews, debate-style `Full Name:` blocks, SRT.

There is no "me" in a transcript: the user picks the persona speaker later. Offsets such as
`00:01:02` are not wall times, so `time` stays empty and the offset is kept as `source_id`.
    Ana (00:00:05): Hello.        → Message("Ana", "Hello.", source_id="00:00:05")
    (00:00:09): And welcome.      → appended to Ana's turn
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

from simulacra.errors import InputError
from simulacra.ingest.common import clean_name, read_text
from simulacra.schema import Conversation, Message

_TS = r"\d{1,2}:\d{2}(?::\d{2})?"
_SPEAKER = re.compile(rf"^(?P<name>[^\W\d_][^:\n]{{0,119}}?)(?: \((?P<ts>{_TS})\))?:[ \t]*(?P<text>.*)$")
_CONTINUE = re.compile(rf"^\((?P<ts>{_TS})\):[ \t]*(?P<text>.*)$")
_CUE_TIME = re.compile(r"^(\d{1,2}:\d{2}:\d{2}[,.]\d{1,3})\s*-->\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}")
# A cue opens with 'NAME:', '- Name:', '[Name]:' or '[Name]'.
_CUE_SPEAKER = re.compile(r"^(?:- ?)?(?:\[(?P<b>[^\]\n]{1,60})\]|(?P<n>[^\W\d_][^:\n]{0,40}?)):\s*(?P<text>.*)$"
                          r"|^\[(?P<b2>[^\]\n]{1,60})\]\s*(?P<text2>.*)$")


def sniff(path: Path, head: str) -> bool:
    lines = [ln.strip() for ln in head.splitlines()]
    content = [ln for ln in _body_lines(lines) if ln]
    if len(content) >= 2 and content[0].isdigit() and _CUE_TIME.match(content[1]):
        return True
    if not content or not _is_speaker(_SPEAKER.match(content[0])):
        return False
    matches = [m for m in map(_SPEAKER.match, content[:80]) if _is_speaker(m)]
    names = [m.group("name") for m in matches]
    # 'Name (00:01:02):' or a 'Full Name:' line of its own marks a transcript by itself.
    if sum(1 for m in matches if m.group("ts") or not m.group("text")) >= 2:
        return True
    # A dialogue: two people or more, and someone speaks twice (notes like 'Todo: ...' do not).
    return len(set(names)) >= 2 and len(names) > len(set(names))


def _body_lines(lines: list[str]) -> list[str]:
    """Lines after YAML front matter, with markdown headings blanked (they are not turns)."""
    if lines and lines[0] == "---" and "---" in lines[1:]:
        lines = lines[lines.index("---", 1) + 1:]
    return ["" if ln.startswith("#") else ln for ln in lines]


def _is_speaker(m: re.Match | None, mode: str = "inline") -> bool:
    """A name, not a sentence with a colon: a short capitalised name, or a long title alone on its line.

    In an interview only `Name (hh:mm:ss):` starts a turn, and in debate style only a name alone on
    its line does, so `Note: this` inside a speech stays text.
    """
    if m is None or m.group("name").endswith((".", "!", "?", ",")):
        return False
    name = m.group("name")
    if mode == "interview" and not m.group("ts"):
        return False
    if m.group("text"):
        return mode != "alone" and len(name.split()) <= 4 and name[0].isupper() and "http" not in name
    return len(name) <= 120


def _mode(lines: list[str]) -> str:
    matches = [m for m in map(_SPEAKER.match, lines) if _is_speaker(m)]
    if any(m.group("ts") for m in matches):
        return "interview"
    alone = sum(1 for m in matches if not m.group("text"))
    return "alone" if alone > len(matches) - alone else "inline"


def parse(path: Path, config: Any) -> Iterator[Conversation]:
    text = read_text(path)
    lines = text.split("\n")
    content = [ln for ln in _body_lines([x.strip() for x in lines]) if ln]
    srt = len(content) >= 2 and content[0].isdigit() and bool(_CUE_TIME.match(content[1]))
    messages = _srt(lines) if srt else _turns(path, lines)
    yield Conversation(id=f"transcript-{path.stem}", source="transcript", title=path.stem, participants=[],
                       messages=messages)


def _turns(path: Path, lines: list[str]) -> list[Message]:
    out: list[Message] = []
    mode, start = _mode([x.strip() for x in lines]), 0
    if lines and lines[0].strip() == "---" and "---" in [x.strip() for x in lines[1:]]:
        start = [x.strip() for x in lines].index("---", 1) + 1
    for lineno, raw in enumerate(lines[start:], start + 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            out.append(Message(speaker="", text=line.lstrip("# "), kind="system", source_id=str(lineno)))
            continue
        same, new = _CONTINUE.match(line), _SPEAKER.match(line)
        if same and out and out[-1].kind == "text":
            _append(out[-1], same.group("text"))
        elif _is_speaker(new, mode):
            out.append(Message(speaker=clean_name(new.group("name")), text=new.group("text"),
                               source_id=new.group("ts") or str(lineno)))
        elif out and out[-1].kind == "text":
            _append(out[-1], line)
        else:
            raise InputError(path, "expected a speaker line like 'Name: text' or 'Name (00:01:02):'", line=lineno)
    return out


def _append(msg: Message, text: str) -> None:
    if text:
        msg.text = f"{msg.text}\n{text}" if msg.text else text


def _srt(lines: list[str]) -> list[Message]:
    """Cues merged into turns: a `Name:` tag starts a turn only when the speaker changes."""
    out: list[Message] = []
    speaker, i = "", 0
    while i < len(lines):
        timing = _CUE_TIME.match(lines[i].strip())
        if not timing:
            i += 1
            continue
        i += 1
        cue: list[str] = []
        while i < len(lines) and lines[i].strip():
            cue.append(lines[i].strip())
            i += 1
        for line in cue:
            tag = _CUE_SPEAKER.match(line)
            name = tag and (tag.group("b") or tag.group("n") or tag.group("b2"))
            if name and (tag.group("b") or tag.group("b2") or _is_name(name)):
                speaker = clean_name(name)
                line = tag.group("text") if tag.group("text") is not None else tag.group("text2")
                out.append(Message(speaker=speaker, text="", source_id=timing.group(1)))
            elif not out:
                out.append(Message(speaker=speaker or "unknown", text="", source_id=timing.group(1)))
            out[-1].text = f"{out[-1].text} {line}".strip()
    return out


def _is_name(name: str) -> bool:
    return len(name.split()) <= 3 and name[0].isupper()
