"""Degeneration guard: spot a generated turn that repeats an earlier one, loops a phrase or runs one character.

    problem("i love my new car,,,,,,,,,,,,,,,,ox!!!!", [])  ->  "a run of 16 ','"
    problem("haha haha haha haha haha", [])                  ->  "the phrase 'haha' looped 5 times"
    problem("see you at noon", ["See you at noon"])          ->  "repeats turn 1 word for word"

Thresholds leave ordinary chat alone: "hahaha", "nooooo", "!!!!" and a short laugh repeated are fine.
"""

from __future__ import annotations

import re

CHAR_RUN = 10  # the same character this many times in a row
LOOP_REPEATS = 4  # a unit (2-40 characters) this many times in a row ...
LOOP_SPAN = 16  # ... covering at least this many characters

_RUN = re.compile(r"(.)\1{%d,}" % (CHAR_RUN - 1), re.DOTALL)
_LOOP = re.compile(r"(.{2,40}?)\1{%d,}" % (LOOP_REPEATS - 1), re.DOTALL)


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def problem(text: str, earlier: list[str]) -> str | None:
    """Why `text` looks degenerate after the turns `earlier` (None when it looks healthy)."""
    normal = _normal(text)
    if not normal:
        return "an empty turn"
    for i, turn in enumerate(earlier, 1):
        if _normal(turn) == normal:
            return f"repeats turn {i} word for word"
    run = _RUN.search(text)
    if run:
        return f"a run of {len(run.group(0))} {run.group(1)!r}"
    for loop in _LOOP.finditer(normal + " "):
        unit = loop.group(1)
        if len(loop.group(0)) >= LOOP_SPAN and unit.strip():
            times = len(loop.group(0)) // len(unit)
            return f"the phrase {unit.strip()!r} looped {times} times"
    return None
