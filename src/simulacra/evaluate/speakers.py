"""Speaker identity for group runs: is each held-out turn likeliest after its true speaker's header?

One model trained on several speakers (`prepare --as all`) should answer as whoever it is asked to be.
For every held-out turn by a trained speaker (not the first of its window, which has no history), the
real words are scored after each trained speaker's header in turn, with the same history and system
text; the model "knows who is speaking" when the true speaker's header makes the words likeliest.
Chance is one in the number of speakers.
"""

from __future__ import annotations

from collections import Counter

from simulacra.schema import Turn


def candidate_rows(renderer, examples, speakers: list[str]) -> tuple[list[dict], list[str]]:
    """One row per (held-out turn, candidate speaker), in that order; the mask covers the turn's words and
    end token. Also returns the true speaker of each turn."""
    rows, truth = [], []
    for ex in examples:
        system = renderer.system_text(None, list(dict.fromkeys(t.speaker for t in ex.turns)))
        for i, turn in enumerate(ex.turns):
            if i == 0 or turn.speaker not in speakers:
                continue
            truth.append(turn.speaker)
            for who in speakers:
                prompt = renderer.prompt(system, ex.turns[:i], who)
                ids, _ = renderer.render(system, ex.turns[:i] + [Turn(who, turn.text)], set())
                rows.append({"input_ids": ids, "mask": [0] * len(prompt) + [1] * (len(ids) - len(prompt))})
    return rows, truth


def speaker_picks(side, rows: list[dict], truth: list[str], speakers: list[str], batch_size: int = 8) -> Counter:
    """Counter of (true speaker, picked correctly?) over the held-out turns. A turn's candidate rows share
    the history, which is read once (`score_after_prompts`); the words are the same in each, so the
    best mean log-probability per token is the best total."""
    k = len(speakers)
    groups = [shared_group(rows[j * k:(j + 1) * k]) for j in range(len(truth))]
    picks: Counter = Counter()
    for real, scores in zip(truth, side.score_groups(groups, batch_size)):
        picks[real, speakers[scores.index(max(scores))] == real] += 1
    return picks


def shared_group(rows: list[dict]) -> tuple[list[int], list[list[int]], list[int]]:
    """(the rows' common prefix, the rest of each row, where each rest's masked tokens start)."""
    starts = [r["mask"].index(1) for r in rows]
    first, common = rows[0]["input_ids"], min(starts)
    for r in rows[1:]:
        n = 0
        while n < common and r["input_ids"][n] == first[n]:
            n += 1
        common = n
    common = max(common, 1)  # the prompt needs a token; a first scored token at 0 is never trained anyway
    return first[:common], [r["input_ids"][common:] for r in rows], [s - common for s in starts]


def identity_report(picks: Counter, speakers: list[str]) -> dict:
    """{"accuracy", "turns", "chance", "speakers": {name: {"turns", "accuracy"}}} from `speaker_picks`."""
    def share(who: str | None) -> tuple[int, float]:
        turns = sum(v for (s, _), v in picks.items() if who in (None, s))
        right = sum(v for (s, ok), v in picks.items() if ok and who in (None, s))
        return turns, right / turns if turns else 0.0

    turns, accuracy = share(None)
    per = {}
    for who in speakers:
        n, acc = share(who)
        per[who] = {"turns": n, "accuracy": acc}
    return {"accuracy": accuracy, "turns": turns, "chance": 1 / len(speakers), "speakers": per}


def identity_of_both(persona, examples, speakers: list[str], batch_size: int) -> dict:
    """{"base": report, "tuned": report} for the persona's two sides."""
    from simulacra.ui import status

    rows, truth = candidate_rows(persona.renderer, examples, speakers)
    out = {}
    with status(f"Who is speaking: {len(truth)} held-out turns after each of {len(speakers)} headers, tuned"):
        out["tuned"] = identity_report(speaker_picks(persona.side("tuned"), rows, truth, speakers, batch_size),
                                       speakers)
    with status("Who is speaking: the same with the base model"):
        out["base"] = identity_report(speaker_picks(persona.side("base"), rows, truth, speakers, batch_size),
                                      speakers)
    return out
