"""In-chat commands (/as, /me, /retry, /undo, /reset, /temp, /save, /help) over one chat's state.

The transcript is a list of records {"speaker", "text"} (plus "side": "base"|"tuned" in --compare); the
model's context is the user's lines and the tuned (or only) side's replies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import orjson

from simulacra.io import atomic_write
from simulacra.schema import Turn


@dataclass
class ChatState:
    speaker: str  # who the model answers as
    user: str  # who the person at the keyboard is
    trained: list[str]
    temperature: float
    compare: bool = False  # base and tuned both reply; only the tuned reply stays in the context
    records: list[dict] = field(default_factory=list)

    def history(self) -> list[Turn]:
        return [Turn(r["speaker"], r["text"]) for r in self.records 
                if not (self.compare and r.get("side") == "base")]

    def drop_replies(self) -> bool:
        """Remove the model's replies after the last user line; False when there is no user line to answer."""
        while self.records and self.records[-1].get("side") is not None:
            self.records.pop()
        return bool(self.records)


def _as(state: ChatState, arg: str) -> str:
    if arg not in state.trained:
        return f"/as {arg!r}: the model was trained on {', '.join(state.trained)}"
    state.speaker = arg
    return f"the model now answers as {arg}"


def _me(state: ChatState, arg: str) -> str:
    if not arg:
        return "/me NAME: say who you are"
    state.user = arg
    return f"you are now {arg}"


def _undo(state: ChatState, arg: str) -> str:
    state.drop_replies()
    if not state.records:
        return "nothing to undo"
    state.records.pop()
    return "removed your last line and its reply"


def _reset(state: ChatState, arg: str) -> str:
    state.records.clear()
    return "history cleared"


def _temp(state: ChatState, arg: str) -> str:
    try:
        value = float(arg)
    except ValueError:
        return f"/temp {arg!r}: expected a number such as 0.7 (0: greedy)"
    if value < 0:
        return f"/temp {arg}: expected 0 or more"
    state.temperature = value
    return f"temperature {value:g}"


def _save(state: ChatState, arg: str) -> str:
    if not arg:
        return "/save FILE: say where"
    save_transcript(Path(arg), state.records)
    return f"transcript → {arg}"


def _help(state: ChatState, arg: str) -> str:
    return "\n".join(f"  /{name:<6} {text}" for name, (_, text) in COMMANDS.items())


# /retry is answered by the loop (it generates); it is listed here for /help and recognition.
COMMANDS: dict[str, tuple[Callable[[ChatState, str], str] | None, str]] = {
    "as": (_as, "NAME  switch who the model speaks as (group runs)"),
    "me": (_me, "NAME  switch who you are"),
    "retry": (None, "      a new reply to your last line"),
    "undo": (_undo, "      remove your last line and its reply"),
    "reset": (_reset, "      start the conversation over"),
    "temp": (_temp, "X     set the sampling temperature (0: greedy)"),
    "save": (_save, "FILE  write the transcript now"),
    "help": (_help, "      this list"),
}


def parse(line: str) -> tuple[str, str] | None:
    """('name', 'argument') for a command line, None for an ordinary line."""
    if not line.startswith("/"):
        return None
    name, _, arg = line[1:].partition(" ")
    return name.lower(), arg.strip()


def save_transcript(path: Path, records: list[dict]) -> None:
    with atomic_write(path, "wb") as f:
        for r in records:
            f.write(orjson.dumps(r) + b"\n")
