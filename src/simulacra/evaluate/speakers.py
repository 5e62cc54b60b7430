"""Speaker identity for group runs: is each held-out turn likeliest after its true speaker's header?

One model trained on several speakers (`prepare --as all`) should answer as whoever it is asked to be.
For every held-out turn by a trained speaker (not the first of its window, which has no history), the
real words are scored after each trained speaker's header in turn, with the same history and system
text; the model "knows who is speaking" when the true speaker's header makes the words likeliest.
Chance is one in the number of speakers.

`tree_picks` gives the same picks reading each example once: the example as written is the trunk (its
true speakers' scores come from that read), and every other candidate's header-and-words for all of
the example's turns are grafted onto it in one more batched pass (engine.branches), instead of
re-reading the history once per turn. `speaker_picks` (history once per turn) is the reference.
"""

from __future__ import annotations

from collections import Counter

from simulacra.schema import Turn


def candidate_rows(renderer, examples, speakers: list[str]) -> tuple[list[dict], list[str]]:
    """One row per (held-out turn, candidate speaker), in that order; the mask covers the turn's words and
    end token. Also returns the true speaker of each turn."""
    rows, truth = [], []
    for ex in examples:
        system = example_system(renderer, ex)
        for i, turn in enumerate(ex.turns):
            if i == 0 or turn.speaker not in speakers:
                continue
            truth.append(turn.speaker)
            rows += turn_rows(renderer, system, ex, i, speakers)
    return rows, truth


def example_system(renderer, example):
    return renderer.system_text(None, list(dict.fromkeys(t.speaker for t in example.turns)))


def turn_rows(renderer, system, example, i: int, speakers: list[str]) -> list[dict]:
    """Turn i's words after each candidate's header, with the true history: one masked row per candidate."""
    rows = []
    for who in speakers:
        prompt = renderer.prompt(system, example.turns[:i], who)
        ids, _ = renderer.render(system, example.turns[:i] + [Turn(who, example.turns[i].text)], set())
        rows.append({"input_ids": ids, "mask": [0] * len(prompt) + [1] * (len(ids) - len(prompt))})
    return rows


def trees(renderer, examples, speakers: list[str]):
    """(one tree per example with scored turns, the true speakers in turn order), or None when a true row is
    not a prefix of the example rendered whole (then only the per-turn reference applies).

    A tree is (trunk, spans, rows): the trunk's spans are the turns' words under their true header, and row
    r holds, for candidate r, that candidate's header and the words of every turn it did not write."""
    out, truth = [], []
    for ex in examples:
        system = example_system(renderer, ex)
        trunk, _ = renderer.render(system, ex.turns, set())
        spans, pieces = [], {who: [] for who in speakers}
        for i, turn in enumerate(ex.turns):
            if i == 0 or turn.speaker not in speakers:
                continue
            rows = turn_rows(renderer, system, ex, i, speakers)
            real = rows[speakers.index(turn.speaker)]
            if trunk[:len(real["input_ids"])] != real["input_ids"]:
                return None
            prefix, bodies, skips = shared_group(rows)
            spans.append((max(1, real["mask"].index(1)), len(real["input_ids"])))
            for who, body, skip in zip(speakers, bodies, skips):
                if who != turn.speaker:
                    pieces[who].append((len(prefix), body, skip))
            truth.append(turn.speaker)
        if spans:
            out.append((trunk, spans, [pieces[who] for who in speakers if pieces[who]]))
    return out, truth


def tree_scores(side, built, speakers: list[str], on_tree=None) -> list[list[float]]:
    """Per scored turn, the mean log-probability per token of its words after each candidate's header."""
    trunks, truth = built
    out: list[list[float]] = []
    for (_, spans, _), (real_scores, row_scores) in zip(trunks, side.score_trees(trunks, on_tree)):
        k, rows = len(out), iter(row_scores)
        per_candidate = {who: iter(next(rows)) for who in speakers
                         if any(truth[k + j] != who for j in range(len(spans)))}
        for j, real_score in enumerate(real_scores):
            out.append([real_score if who == truth[k + j] else next(per_candidate[who]) for who in speakers])
    return out


def tree_picks(side, built, speakers: list[str], on_tree=None) -> Counter:
    """`speaker_picks`'s Counter from trees: each example read once, the other candidates in one more pass."""
    return count_picks(built[1], tree_scores(side, built, speakers, on_tree), speakers)


def count_picks(truth: list[str], scores: list[list[float]], speakers: list[str]) -> Counter:
    picks: Counter = Counter()
    for real, row in zip(truth, scores):
        picks[real, speakers[row.index(max(row))] == real] += 1
    return picks


def speaker_picks(side, rows: list[dict], truth: list[str], speakers: list[str], batch_size: int = 8) -> Counter:
    """Counter of (true speaker, picked correctly?) over the held-out turns. A turn's candidate rows share
    the history, which is read once (`score_after_prompts`); the words are the same in each, so the
    best mean log-probability per token is the best total."""
    k = len(speakers)
    groups = [shared_group(rows[j * k:(j + 1) * k]) for j in range(len(truth))]
    return count_picks(truth, side.score_groups(groups, batch_size), speakers)


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
    """{"base": report, "tuned": report} for the persona's two sides, each example read once per side."""
    from simulacra.ui import progress

    built = trees(persona.renderer, examples, speakers)
    out = {}
    with progress() as bar:
        for side in ("tuned", "base"):
            label = f"Who is speaking ({len(speakers)} headers), {side}"
            if built is None:  # a style that folds the history (instruct, completion): one row per turn
                rows, truth = candidate_rows(persona.renderer, examples, speakers)
                task = bar.add_task(label, total=1, info="")
                picks = speaker_picks(persona.side(side), rows, truth, speakers, batch_size)
                bar.advance(task, 1)
            else:
                task = bar.add_task(f"{label}: examples", total=len(built[0]), info="")
                picks = tree_picks(persona.side(side), built, speakers, lambda n, t=task: bar.advance(t, n))
            out[side] = identity_report(picks, speakers)
    return out
