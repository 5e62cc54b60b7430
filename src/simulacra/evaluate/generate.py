"""Held-out moments (a real history and the trained speaker's real next turn) and batched generation for them.

A moment's prompt is the example's own ids up to the turn (system text and history exactly as
prepare rendered them) followed by the speaker's header, so the model sees what it saw in training;
styles that fold the history into one message (instruct, completion) render the history anew.
Generation pads on the left, so every row's last prompt token sits at the same position.
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


@dataclass
class Sampling:
    """The generation settings, written into the report so the numbers can be reproduced."""

    max_new_tokens: int = 48
    temperature: float = 0.8
    top_p: float = 0.9
    top_k: int = 50
    repetition_penalty: float = 1.1
    seed: int = 0
    batch_size: int = 32


def generate(model, prompts: list[list[int]], stop_id: int, tokenizer, sampling: Sampling,
             on_batch=None) -> list[str]:
    """One reply per prompt, in order; batches of similar length, left-padded, seeded per batch."""
    import torch

    order = sorted(range(len(prompts)), key=lambda i: -len(prompts[i]))
    replies: list[str] = [""] * len(prompts)
    model.eval()
    for b, start in enumerate(range(0, len(order), sampling.batch_size)):
        chunk = order[start:start + sampling.batch_size]
        longest = max(len(prompts[i]) for i in chunk)
        ids = torch.full((len(chunk), longest), stop_id, dtype=torch.long)
        attention = torch.zeros((len(chunk), longest), dtype=torch.long)
        for row, i in enumerate(chunk):
            n = len(prompts[i])
            ids[row, longest - n:] = torch.tensor(prompts[i], dtype=torch.long)
            attention[row, longest - n:] = 1
        # Seeded per batch (seed + batch number), so a run is reproducible batch by batch.
        torch.manual_seed(sampling.seed + b)
        sample = sampling.temperature > 0
        with torch.no_grad():
            out = model.generate(
                input_ids=ids.to(model.device), attention_mask=attention.to(model.device),
                max_new_tokens=sampling.max_new_tokens, do_sample=sample,
                temperature=sampling.temperature if sample else None, top_p=sampling.top_p if sample else None,
                top_k=sampling.top_k if sample else None, repetition_penalty=sampling.repetition_penalty,
                eos_token_id=stop_id, pad_token_id=stop_id,
            )
        for row, i in enumerate(chunk):
            new = out[row, longest:].tolist()
            if stop_id in new:
                new = new[:new.index(stop_id)]
            replies[i] = tokenizer.decode(new, skip_special_tokens=True).strip()
        if on_batch:
            on_batch(len(chunk))
    return replies
