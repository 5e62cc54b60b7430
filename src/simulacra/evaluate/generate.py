"""Held-out moments (a real history and the trained speaker's real next turn) and the replies generated for them.

A moment's prompt is the example's own ids up to the turn (system text and history exactly as
prepare rendered them) followed by the speaker's header, so the model sees what it saw in training;
styles that fold the history into one message (instruct, completion) render the history anew.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulacra.schema import Example, Turn


@dataclass
class Moment:
    example: int
    turn: int
    speaker: str
    history: list[Turn]
    real: str
    prompt: list[int]
    replies: dict[str, str] = field(default_factory=dict)
    system: str | None = None


def turn_offsets(renderer, example: Example) -> list[int] | None:
    """Token offset where each turn begins, for styles that render the system part then one part per turn
    (roles, speaker-tokens, segments); None when the example is not laid out that way."""
    from simulacra.formats.render import Renderer

    if type(renderer).render is not Renderer.render or not example.turns:
        return None
    parts = [renderer.turn(t.speaker, t.text, False)[0] for t in example.turns]
    pos = len(example.input_ids) - sum(map(len, parts))
    offsets = []
    for part in parts:
        if example.input_ids[pos:pos + len(part)] != part:
            return None
        offsets.append(pos)
        pos += len(part)
    return offsets


def prompt_builder(renderer, example: Example):
    """prompt(i): the ids that make the model write turn i of this example, exactly as training rendered the
    history. Styles that fold the history differently (instruct, completion) render it anew."""
    offsets = turn_offsets(renderer, example)
    if offsets is not None:
        return lambda i: example.input_ids[:offsets[i]] + renderer.header(example.turns[i].speaker)
    speakers = list(dict.fromkeys(t.speaker for t in example.turns))
    system = renderer.system_text(None, speakers)
    return lambda i: renderer.prompt(system, example.turns[:i], example.turns[i].speaker)


def held_out_moments(examples: list[Example], renderer, targets: set[str], limit: int = 0) -> list[Moment]:
    """Every turn of a trained speaker that has some history before it, in order; at most `limit` (0: all)."""
    moments = []
    for e, ex in enumerate(examples):
        prompt = prompt_builder(renderer, ex)
        offsets = turn_offsets(renderer, ex)
        system = system_text(renderer, ex.input_ids[:offsets[0]]) if offsets and offsets[0] else None
        for i in range(1, len(ex.turns)):
            turn = ex.turns[i]
            if turn.speaker in targets:
                moments.append(Moment(e, i, turn.speaker, ex.turns[:i], turn.text, prompt(i), system=system))
    if limit and len(moments) > limit:
        # Spread the sample over the whole split rather than taking the first sessions only.
        step = len(moments) / limit
        moments = [moments[int(k * step)] for k in range(limit)]
    return moments


def system_text(renderer, ids: list[int]) -> str | None:
    """The text of a ChatML system block: '<|im_start|>system\\nA chat.<|im_end|>\\n' -> 'A chat.'; else None."""
    text = renderer.tok.decode(ids)
    head = "<|im_start|>system\n"
    if not text.startswith(head):
        return None
    return text[len(head):].split("<|im_end|>")[0]


def reply_ids(renderer, text: str) -> list[int]:
    """The ids of a reply as training supervised them: the text and the end-of-turn token."""
    lead = " " if getattr(renderer, "style", "") == "completion" else ""  # completion bodies start with a space
    return renderer.tok.encode(lead + text + renderer.end)


def generate_replies(persona, moments: list[Moment], sampling) -> None:
    """Fill each moment's replies["tuned"] and replies["base"] through the engine, with a progress bar."""
    from simulacra.ui import progress

    prompts = [m.prompt for m in moments]
    with progress() as bar:
        for side in ("tuned", "base"):
            task = bar.add_task(f"Generating {side} next turns", total=len(prompts), info="")
            replies = persona.side(side).generate(prompts, sampling, on_batch=lambda n, t=task: bar.advance(t, n))
            for m, reply in zip(moments, replies):
                m.replies[side] = reply


def sampling_of(config):
    """The engine's Sampling for an EvaluateConfig's generation settings."""
    from simulacra.engine.sampling import sampling_of as of_config

    return of_config(config, seed=config.seed, batch_size=config.gen_batch_size)
