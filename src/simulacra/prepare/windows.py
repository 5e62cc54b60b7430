"""Cut a session into examples of consecutive turns that fit `max_seq_len` tokens.

Three ways, all ending at turn boundaries, never mid-turn:

- greedy (default): as many turns as fit, at most `window_turns`;
- random: lengths drawn from [min_turns, window_turns] with a seeded `random.Random`, so the model
  sees short and long contexts; a window too long is trimmed from the left, whole turns at a time;
- pairs (the completion style): each trained turn with the turn before it;
- ending (the instruct style): one example per run of trained turns, which is the answer, with up to
  `window_turns` turns in all (random: a drawn number) of the turns before it as context.

A turn too long to fit on its own is skipped and counted; an example with no trained token is
dropped and counted.

Each example's system text names the speakers of that example, as chat and serve name the people of the
conversation at hand: naming every member of the chat put 107 names (340 of 384 tokens) in front of
each Friends example and left room for two turns of history.
"""

from __future__ import annotations

import functools
import random
from collections import Counter
from typing import Callable

from simulacra.formats.render import Renderer
from simulacra.prepare.sessions import Session
from simulacra.schema import Example, Turn


SystemFor = Callable[[list[str]], "str | None"]  # the speakers of a window -> its system text


def session_examples(session: Session, renderer: Renderer, targets: set[str], system_for: SystemFor,
                     window_turns: int, max_seq_len: int, counts: Counter, *, min_turns: int | None = None,
                     rng: random.Random | None = None) -> list[Example]:
    """Examples of one session; `min_turns` with `rng` switches from greedy to random window lengths."""
    if renderer.windowing == "pairs":
        windows = [session.turns[i - 1:i + 1] for i in range(1, len(session.turns))
                   if session.turns[i].speaker in targets]
    elif renderer.windowing == "ending":
        windows = ending_windows(session.turns, targets, min_turns, window_turns, rng)
    elif min_turns is not None:
        windows = random_windows(session.turns, min_turns, window_turns, rng or random.Random(0))
    else:
        windows = greedy_windows(session.turns, renderer, system_for, window_turns, max_seq_len, counts)
    examples = []
    for turns in windows:
        example = fit_example(session, renderer, targets, system_for, turns, max_seq_len, counts)
        if example is None:
            continue
        if sum(example.mask):
            examples.append(example)
        else:
            counts["dropped_no_trained_token"] += 1
    return examples


def greedy_windows(turns: list[Turn], renderer: Renderer, system_for: SystemFor, window_turns: int,
                   max_seq_len: int, counts: Counter) -> list[list[Turn]]:
    """Consecutive turns, as many as fit the token budget (system text included), at most `window_turns` each."""
    @functools.lru_cache(maxsize=256)
    def speakers_len(speakers: tuple[str, ...]) -> int:
        return len(renderer.system(system_for(list(speakers))))

    def system_len(window: list[Turn]) -> int:
        return speakers_len(tuple(speakers_of(window)))

    windows: list[list[Turn]] = []
    window: list[Turn] = []
    used = 0
    for turn in turns:
        n = len(renderer.turn(turn.speaker, turn.text, False)[0])
        if n + system_len([turn]) > max_seq_len:
            counts["skipped_turns_too_long"] += 1
            windows.append(window)  # the context is broken: start afresh after the long turn
            window, used = [], 0
            continue
        if len(window) >= window_turns or used + n + system_len(window + [turn]) > max_seq_len:
            windows.append(window)
            window, used = [], 0
        window.append(turn)
        used += n
    windows.append(window)
    return [w for w in windows if w]


def speakers_of(turns: list[Turn]) -> list[str]:
    """The speakers of some turns, each once, in the order they first speak."""
    return list(dict.fromkeys(t.speaker for t in turns))


def random_windows(turns: list[Turn], min_turns: int, max_turns: int, rng: random.Random) -> list[list[Turn]]:
    """Back-to-back windows whose lengths are drawn uniformly from [min_turns, max_turns]."""
    windows, i = [], 0
    while i < len(turns):
        n = rng.randint(min_turns, max(min_turns, max_turns))
        windows.append(turns[i:i + n])
        i += n
    return windows


def ending_windows(turns: list[Turn], targets: set[str], min_turns: int | None, max_turns: int,
                   rng: random.Random | None) -> list[list[Turn]]:
    """Each maximal run of trained turns, preceded by context: `max_turns` turns in all, or a random count."""
    windows, i = [], 0
    while i < len(turns):
        if turns[i].speaker not in targets:
            i += 1
            continue
        end = i
        while end < len(turns) and turns[end].speaker in targets:
            end += 1
        total = max_turns if min_turns is None else (rng or random.Random(0)).randint(min_turns, max_turns)
        context = max(total - (end - i), 0)
        windows.append(turns[max(0, i - context):end])
        i = end
    return windows


def fit_example(session: Session, renderer: Renderer, targets: set[str], system_for: SystemFor,
                turns: list[Turn], max_seq_len: int, counts: Counter) -> Example | None:
    """Render the window, dropping whole turns from the left until it fits; None if even one turn is too long."""
    while turns:
        ids, mask = renderer.render(system_for(speakers_of(turns)), turns, targets)
        if len(ids) <= max_seq_len:
            speakers = sorted({t.speaker for t in turns if t.speaker in targets})
            return Example(ids, mask, session.conversation_id, session.index, speakers, list(turns))
        if len(turns) == 1 or renderer.windowing == "pairs":
            counts["skipped_turns_too_long"] += 1
            return None
        turns = turns[1:]
        counts["trimmed_turns"] += 1
    return None
