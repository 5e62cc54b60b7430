"""Cut a session into examples: consecutive turns, at most `window_turns` turns and `max_seq_len` tokens.

Windows end at turn boundaries, never mid-turn. A single turn too long to fit is skipped and counted;
an example with no trained token is dropped and counted.
"""

from __future__ import annotations

from collections import Counter

from simulacra.prepare.render import RolesRenderer
from simulacra.prepare.sessions import Session
from simulacra.schema import Example, Turn


def session_examples(session: Session, renderer: RolesRenderer, targets: set[str], system_text: str | None,
                     window_turns: int, max_seq_len: int, counts: Counter) -> list[Example]:
    sys_ids = renderer.system(system_text)
    budget = max_seq_len - len(sys_ids)
    examples: list[Example] = []
    window: list[tuple[Turn, list[int], list[int]]] = []
    used = 0

    def flush() -> None:
        nonlocal window, used
        if window:
            example = _make_example(session, sys_ids, window, targets)
            if sum(example.mask):
                examples.append(example)
            else:
                counts["dropped_no_trained_token"] += 1
        window, used = [], 0

    for turn in session.turns:
        ids, mask = renderer.turn(turn.speaker, turn.text, turn.speaker in targets)
        if len(ids) > budget:
            counts["skipped_turns_too_long"] += 1
            flush()  # the context is broken: start afresh after the long turn
            continue
        if len(window) >= window_turns or used + len(ids) > budget:
            flush()
        window.append((turn, ids, mask))
        used += len(ids)
    flush()
    return examples


def _make_example(session: Session, sys_ids: list[int], window, targets: set[str]) -> Example:
    ids, mask = list(sys_ids), [0] * len(sys_ids)
    for _, turn_ids, turn_mask in window:
        ids += turn_ids
        mask += turn_mask
    turns = [t for t, _, _ in window]
    speakers = sorted({t.speaker for t in turns if t.speaker in targets})
    return Example(ids, mask, session.conversation_id, session.index, speakers, turns)
