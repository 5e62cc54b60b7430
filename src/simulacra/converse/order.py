"""Who speaks next: the other one (two people), the next in line (round-robin), or the member whose header the
model finds likeliest after the history, sampled from the softmax over those scores so quiet members still speak."""

from __future__ import annotations

import math
import random


def next_speaker(members: list[str], last: str | None, order: str, rng: random.Random, score=None) -> str:
    """`score(candidates) -> log-probabilities` is only called for groups in 'likeliest' order."""
    candidates = [m for m in members if m != last] or members
    if len(members) == 2 or order == "round-robin" or score is None:
        if last not in members:
            return members[0]
        return members[(members.index(last) + 1) % len(members)]
    logps = score(candidates)
    top = max(logps)
    weights = [math.exp(lp - top) for lp in logps]
    return rng.choices(candidates, weights=weights)[0]


def header_scorer(persona, side, system_text, history):
    """A `score` for `next_speaker`: each candidate's total header log-probability after the same history."""
    def score(candidates: list[str]) -> list[float]:
        prompts = [persona.renderer.prompt(system_text, history, c) for c in candidates]
        shared = _common_prefix(prompts)
        bodies = [p[shared:] for p in prompts]
        if not all(bodies):  # one header is a prefix of another: no fair comparison, treat them alike
            return [0.0] * len(candidates)
        means = side.score_groups([(prompts[0][:shared], bodies, [0] * len(bodies))])[0]
        return [m * len(b) for m, b in zip(means, bodies)]
    return score


def _common_prefix(rows: list[list[int]]) -> int:
    n = min(len(r) for r in rows)
    for i in range(n):
        if any(r[i] != rows[0][i] for r in rows):
            return i
    return n
