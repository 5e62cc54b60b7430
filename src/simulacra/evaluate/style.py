"""Style fidelity: per-message and per-turn features, and how far a generated distribution is from the real one.

A turn is one speaker's consecutive messages joined by newlines, so "omg\\non my way" is a turn of two
messages. Each feature is a list of numbers (one per message, or one per turn); the distance of two
lists is the 1-Wasserstein distance divided by the real person's standard deviation, so 0 means the
same distribution and 1 means "shifted by one typical spread of the real person":

    distance([1, 2, 3], [1, 2, 3]) -> 0.0        distance([0, 2], [1, 3]) -> 1.0 (shift 1, std 1)
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

from simulacra.evaluate.overlap import tokens

# Pictographs, dingbats, flags and the like; plus the joiner/selector parts of composed emoji.
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\U0001F1E6-\U0001F1FF]")
_WORD = re.compile(r"\w+", re.UNICODE)

# name -> (unit, help). Order is the order of the report.
FEATURES = {
    "chars_per_message": ("message", "characters per message"),
    "words_per_message": ("message", "words per message"),
    "messages_per_turn": ("turn", "messages sent in a row (bursts)"),
    "emoji_per_message": ("message", "emoji per message"),
    "capitalised_start": ("message", "share of messages starting with a capital letter"),
    "uppercase_share": ("message", "share of letters in upper case"),
    "punctuation_per_char": ("message", "punctuation marks per character"),
    "ends_with_period": ("message", "share of messages ending with a full stop"),
    "question": ("message", "share of messages with a question mark"),
}


def messages(turn: str) -> list[str]:
    return [m.strip() for m in turn.split("\n") if m.strip()]


def emoji_count(text: str) -> int:
    return len(_EMOJI.findall(text))


def message_features(message: str) -> dict[str, float]:
    letters = [c for c in message if c.isalpha()]
    first = next((c for c in message if c.isalpha()), "")
    punct = sum(1 for c in message if unicodedata.category(c).startswith("P"))
    return {
        "chars_per_message": len(message),
        "words_per_message": len(_WORD.findall(message)),
        "emoji_per_message": emoji_count(message),
        "capitalised_start": float(first.isupper()),
        "uppercase_share": sum(c.isupper() for c in letters) / len(letters) if letters else 0.0,
        "punctuation_per_char": punct / len(message) if message else 0.0,
        "ends_with_period": float(message.endswith(".") and not message.endswith("..")),
        "question": float("?" in message),
    }


def features(turns: list[str]) -> dict[str, list[float]]:
    """Every feature's values over these turns: one value per message or per turn, as FEATURES says."""
    out: dict[str, list[float]] = {name: [] for name in FEATURES}
    for turn in turns:
        msgs = messages(turn)
        out["messages_per_turn"].append(float(len(msgs)))
        for m in msgs:
            for name, value in message_features(m).items():
                out[name].append(float(value))
    return out


def _std(values: list[float]) -> float:
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


def distance(real: list[float], generated: list[float]) -> float | None:
    """1-Wasserstein distance in units of the real values' standard deviation; None if either side is empty."""
    from scipy.stats import wasserstein_distance

    if not real or not generated:
        return None
    w = float(wasserstein_distance(real, generated))
    if w == 0:
        return 0.0
    # A constant real person (std 0) would make any change infinite: fall back to the generated spread, then 1.
    scale = _std(real) or _std(generated) or 1.0
    return w / scale


def distinct_n(turns: list[str], n: int) -> float:
    """Distinct n-grams over all n-grams of these turns (1: never repeats itself, near 0: says the same)."""
    grams = [tuple(t[i:i + n]) for t in (tokens(x) for x in turns) for i in range(len(t) - n + 1)]
    return len(set(grams)) / len(grams) if grams else 0.0


def vocabulary_divergence(real: list[str], generated: list[str]) -> float | None:
    """Jensen-Shannon divergence (base 2, 0-1) between the word frequencies of two sets of turns."""
    p, q = Counter(w for t in real for w in tokens(t)), Counter(w for t in generated for w in tokens(t))
    if not p or not q:
        return None
    np_, nq = sum(p.values()), sum(q.values())
    js = 0.0
    for w in p.keys() | q.keys():
        a, b = p[w] / np_, q[w] / nq
        m = (a + b) / 2
        js += (a * math.log2(a / m) if a else 0.0) + (b * math.log2(b / m) if b else 0.0)
    return max(0.0, js / 2)


def style_report(real: list[str], generated: dict[str, list[str]]) -> dict:
    """Per feature: mean of each side and each generated side's distance to real; plus a summary distance.

    `generated` maps a label ("base", "tuned", or "real (training)") to that side's turns.
    """
    real_f = features(real)
    gen_f = {label: features(turns) for label, turns in generated.items()}
    per_feature = {}
    for name, (unit, help_) in FEATURES.items():
        row = {"unit": unit, "help": help_, "mean": {"real": _mean(real_f[name])}, "distance": {}}
        for label, f in gen_f.items():
            row["mean"][label] = _mean(f[name])
            row["distance"][label] = distance(real_f[name], f[name])
        per_feature[name] = row
    summary = {label: _mean([r["distance"][label] for r in per_feature.values() if r["distance"][label] is not None])
               for label in generated}
    corpus = {"real": _corpus(real, real)}
    corpus.update({label: _corpus(real, turns) for label, turns in generated.items()})
    return {"features": per_feature, "summary": summary, "corpus": corpus}


def _corpus(real: list[str], turns: list[str]) -> dict:
    if len(turns) > len(real) > 0:
        # Distinct-n falls as a sample grows: compare equal numbers of turns (evenly spread).
        step = len(turns) / len(real)
        turns = [turns[int(k * step)] for k in range(len(real))]
    return {"distinct_1": distinct_n(turns, 1), "distinct_2": distinct_n(turns, 2),
            "vocabulary_divergence": vocabulary_divergence(real, turns)}


def _mean(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None
