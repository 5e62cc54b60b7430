"""Loops and blandness: does a model repeat itself, or fall back on "ok" and "haha" more than the person does?

    repetition("ha ha ha ha") -> 0.5   (two 3-grams, one of them a repeat)
    is_generic("Haha!!") -> True       is_generic("see you at noon") -> False
"""

from __future__ import annotations

import re

from simulacra.evaluate.overlap import tokens
from simulacra.evaluate.style import messages

# Replies that fit any context. Compared after lower-casing and dropping punctuation and emoji.
GENERIC = {
    "ok", "okay", "k", "kk", "okk", "okie", "oki", "yes", "yeah", "yep", "yup", "ya", "yea", "no", "nope", "nah",
    "sure", "cool", "nice", "great", "good", "fine", "thanks", "thank you", "thx", "ty", "same", "true", "right",
    "lol", "lmao", "omg", "wow", "oh", "ah", "hmm", "hm", "mhm", "idk", "i see", "i know", "me too", "alright",
    "sounds good", "of course", "really", "what", "why", "hi", "hey", "hello", "bye", "np", "no problem",
}
_LAUGH = re.compile(r"^(a?(ha|he|hi|ja|ah)+h?|(lo)+l|x+d+|ha+)$")
_REPEAT_RUN = re.compile(r"(.)\1{7,}|(.{3,}?)\2{3,}", re.DOTALL)


def normalise(message: str) -> str:
    return " ".join(w for w in re.findall(r"\w+", message.lower()))


def is_generic(message: str) -> bool:
    """A stock reply: in GENERIC, a laugh ("hahaha", "lol"), or nothing but punctuation and emoji."""
    text = normalise(message)
    return not text or text in GENERIC or bool(_LAUGH.fullmatch(text.replace(" ", "")))


def repetition(turn: str, n: int = 3) -> float:
    """Share of the turn's token n-grams that already appeared earlier in the same turn (0: no repeats)."""
    toks = tokens(turn)
    grams = [tuple(toks[i:i + n]) for i in range(len(toks) - n + 1)]
    if not grams:
        return 0.0
    return 1 - len(set(grams)) / len(grams)


def looping(turn: str) -> bool:
    """A degenerate turn: a run of 8+ equal characters (",,,,,,,,") or a chunk repeated 4+ times, or a message said twice."""
    msgs = messages(turn)
    return bool(_REPEAT_RUN.search(turn)) or len(set(msgs)) < len(msgs)


def loop_report(turns: list[str]) -> dict:
    """Rates over a set of turns: repetition, looping turns, generic messages, turns repeated across contexts."""
    if not turns:
        return {"repetition": None, "looping": None, "generic": None, "duplicate_turns": None, "turns": 0}
    msgs = [m for t in turns for m in messages(t)]
    normalised = [normalise(t) for t in turns]
    return {
        "repetition": sum(repetition(t) for t in turns) / len(turns),
        "looping": sum(looping(t) for t in turns) / len(turns),
        "generic": sum(is_generic(m) for m in msgs) / len(msgs) if msgs else 0.0,
        # The same reply whatever was said: bland, context-free answers.
        "duplicate_turns": 1 - len(set(normalised)) / len(normalised),
        "turns": len(turns),
    }
