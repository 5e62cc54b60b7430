"""Blind pick-the-real-reply: the real turn hidden among generated ones, picked by a judge model or by a person.

The automatic judge reads every candidate after the same history and picks the one it finds most
likely per token. With the real reply and k generated ones, chance is 1/(k+1); a judge that finds
the real reply no more often than chance cannot tell the model from the person.
"""

from __future__ import annotations

import random
from typing import Callable, Iterable

from simulacra.evaluate.generate import Moment, reply_ids


def candidates(moment: Moment, labels: list[str]) -> list[tuple[str, str]]:
    """(label, text) of the real reply and each generated one that exists for this moment."""
    out = [("real", moment.real)]
    out += [(label, moment.replies[label]) for label in labels if label in moment.replies]
    return out


def score_candidates(scorer, renderer, rows: list[tuple[list[int], str]], batch_size: int = 8) -> list[float]:
    """Mean log-probability per token of each text (plus the end-of-turn token) after its prompt ids.

    Rows that share a prompt (a moment's candidates) read the prompt once (`score_after_prompts`), so
    the judge costs one history plus a few short replies per moment. `scorer` is an engine side or backend.
    """
    groups: list[tuple[list[int], list[int]]] = []  # (prompt, row indices)
    for i, (prompt, _) in enumerate(rows):
        if groups and groups[-1][0] == prompt:
            groups[-1][1].append(i)
        else:
            groups.append((prompt, [i]))
    bodies = [(prompt, [reply_ids(renderer, rows[i][1]) for i in members], [0] * len(members))
              for prompt, members in groups]
    scores = [0.0] * len(rows)
    for (_, members), values in zip(groups, scorer.score_groups(bodies, batch_size)):
        for i, v in zip(members, values):
            scores[i] = v
    return scores


def score_candidates_separately(scorer, renderer, rows: list[tuple[list[int], str]], batch_size: int = 8) -> list[float]:
    """The same scores, each row read in full (padded batches): the reference the shared-prompt path must match."""
    encoded = []
    for prompt, text in rows:
        body = reply_ids(renderer, text)
        encoded.append({"input_ids": prompt + body, "mask": [0] * len(prompt) + [1] * len(body)})
    scores = [0.0] * len(rows)
    for i, row_nll, row_valid in scorer.nll(encoded, batch_size):
        scores[i] = -float(row_nll[row_valid].sum()) / max(1, int(row_valid.sum()))
    return scores


def judge_picks(moments: list[Moment], labels: list[str], score: Callable[[list[tuple[list[int], str]]], list[float]],
                prompt_of: Callable[[Moment], list[int]]) -> dict:
    """The judge's pick per moment and how often it fell on the real reply and on each model's reply."""
    rows, spans = [], []
    for m in moments:
        cands = candidates(m, labels)
        spans.append((len(rows), cands))
        rows += [(prompt_of(m), text) for _, text in cands]
    scores = score(rows) if rows else []
    picks = []
    for start, cands in spans:
        best = max(range(len(cands)), key=lambda j: scores[start + j])
        picks.append(cands[best][0])
    return summarise_picks(picks, [len(c) for _, c in spans], labels)


def summarise_picks(picks: list[str], n_candidates: list[int], labels: list[str]) -> dict:
    n = len(picks)
    if not n:
        return {"moments": 0}
    out = {"moments": n, "chance": sum(1 / k for k in n_candidates) / n,
           "picked": {label: picks.count(label) / n for label in ["real"] + labels}}
    out["found_real"] = out["picked"]["real"]
    return out


def play(moments: list[Moment], labels: list[str], lines: Iterable[str], emit: Callable[[str], None],
         seed: int = 0, rounds: int = 10, context_turns: int = 4) -> dict:
    """The terminal game: show a history, list the shuffled candidates, read the player's pick; score at the end.

    `lines` gives the player's answers (the keyboard, or a list in tests). An empty answer or "q" stops.
    """
    rng = random.Random(seed)
    order = rng.sample(range(len(moments)), min(rounds, len(moments)))
    answers = iter(lines)
    picks, sizes = [], []
    for r, index in enumerate(order, 1):
        m = moments[index]
        cands = candidates(m, labels)
        rng.shuffle(cands)
        emit(f"\n── round {r}/{len(order)} ──\n")
        for turn in m.history[-context_turns:]:
            emit(f"{turn.speaker}: {_one_line(turn.text)}\n")
        emit(f"Which of these did {m.speaker} really write next?\n")
        for j, (_, text) in enumerate(cands, 1):
            emit(f"  [{j}] {_one_line(text) or '(empty)'}\n")
        choice = _ask(answers, emit, len(cands))
        if choice is None:
            break
        label = cands[choice - 1][0]
        real_at = next(j for j, (lab, _) in enumerate(cands, 1) if lab == "real")
        emit("  ✓ right!\n" if label == "real" else f"  ✗ that was the {label} model; the real one was [{real_at}]\n")
        picks.append(label)
        sizes.append(len(cands))
    result = summarise_picks(picks, sizes, labels)
    if picks:
        found = picks.count("real")
        emit(f"\nYou found the real reply {found} of {len(picks)} times "
             f"(chance: {result['chance'] * len(picks):.1f} of {len(picks)}).\n")
        fooled = {label: picks.count(label) for label in labels if picks.count(label)}
        if fooled:
            emit("You took for real: " + ", ".join(f"{label} model {n}×" for label, n in fooled.items()) + "\n")
    return result


def _ask(answers, emit, k: int) -> int | None:
    while True:
        emit(f"Your pick [1-{k}] (q to stop): ")
        try:
            answer = next(answers).strip().lower()
        except StopIteration:
            emit("\n")
            return None
        if answer in ("", "q", "quit"):
            return None
        if answer.isdigit() and 1 <= int(answer) <= k:
            return int(answer)
        emit(f"  please type a number from 1 to {k}\n")


def _one_line(text: str) -> str:
    return text.replace("\n", " ⏎ ")
