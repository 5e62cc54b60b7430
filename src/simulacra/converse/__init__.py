"""Converse stage: the model plays every side of a conversation, streaming each turn with the speaker's name.

    simulacra converse runs/group --between "Ana,Ben" --turns 10     # one run trained --as all
    simulacra converse runs/ana --with runs/ben --opener "hey" --opener-speaker Ben
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import orjson

from simulacra.converse.config import ConverseConfig
from simulacra.errors import SimulacraError
from simulacra.io import atomic_write
from simulacra.schema import Turn

__all__ = ["ConverseConfig", "run"]


@dataclass
class Voice:
    """Who speaks one member's turns: a persona's tuned side and the system text it was trained with."""

    persona: object
    side: object
    system: str | None


def run(config: ConverseConfig, emit: Callable[[str], None] | None = None) -> Path | None:
    """Talk for `turns` turns (or until Ctrl-C); returns the JSONL transcript's path when saved."""
    from simulacra.ui import console

    emit = emit or (lambda text: console.print(text, end="", highlight=False, markup=False, soft_wrap=True))
    voices, members = load_voices(config)
    steer(config, voices, emit)
    history = [opening(config, members, voices[members[0]].persona)]
    emit(f"{history[0].speaker}: {history[0].text}\n")
    stopped = None
    try:
        stopped = talk(config, voices, members, history, emit)
    except KeyboardInterrupt:
        stopped = "stopped by Ctrl-C"
    if stopped:
        emit(f"\n[{stopped}]\n")
    if config.save:
        save(config.save, history, stopped)
        emit(f"transcript → {config.save} and {config.save.with_suffix('.md')}\n")
        return config.save
    return None


def steer(config: ConverseConfig, voices: dict[str, Voice], emit: Callable[[str], None]) -> None:
    """--steer: each loaded run adds the named vectors from its own steering/ folder (Persona.steer, as chat)."""
    if not config.steer:
        return
    for persona in {id(v.persona): v.persona for v in voices.values()}.values():
        for description in persona.steer(config.steer):
            emit(f"[steering {persona.run.root.name}: {description}]\n")


def load_voices(config: ConverseConfig) -> tuple[dict[str, Voice], list[str]]:
    from simulacra.engine import Persona
    from simulacra.ui import status

    # Steering and attribution read the model's hidden states: `auto` then picks torch (engine/choice.py).
    load = dict(engine=config.engine, compute_type=config.compute_type,
                needs_hidden_states=bool(config.steer or config.tda))
    with status("Loading the model" + ("s" if config.with_run else "")):
        first = Persona(config.run_dir, **load)
        second = Persona(config.with_run, **load) if config.with_run else None
    if second is not None:
        names = config.between or [first.speakers[0], second.speakers[0]]
        if len(names) != 2:
            raise SimulacraError(f"--between {','.join(names)}: with --with, name the two speakers (one per run)")
        for name, persona, path in zip(names, (first, second), (config.run_dir, config.with_run)):
            if name not in persona.speakers:
                raise SimulacraError(f"{path}: trained on {', '.join(persona.speakers)}, not {name!r}")
        return {names[0]: _voice(first, names), names[1]: _voice(second, names)}, names
    members = config.between or first.speakers
    unknown = [m for m in members if m not in first.speakers]
    if unknown:
        raise SimulacraError(f"--between {', '.join(unknown)}: the model was trained on {', '.join(first.speakers)}")
    if len(members) < 2:
        raise SimulacraError(f"{config.run_dir}: trained on {members[0]} alone; train with --as all, "
                             "or pass a second person's run with --with")
    voice = _voice(first, members)
    return {m: voice for m in members}, list(members)


def _voice(persona, members: list[str]) -> Voice:
    from simulacra.formats.render import default_system_prompt

    # As Persona.prompt: the dataset's own system text, or the style's default (none for some styles).
    given = persona.spec.system_prompt
    if given is None and persona.spec.style == "roles":
        given = default_system_prompt(members)
    return Voice(persona, persona.side("tuned"), persona.renderer.system_text(given, members))


def opening(config: ConverseConfig, members: list[str], persona) -> Turn:
    """The opener given, or the first turn of the first held-out session."""
    if config.opener:
        return Turn(config.opener_speaker or members[0], config.opener)
    examples = persona.run.examples("test") if persona.run.split("test").exists() else []
    for example in examples:
        if example.turns:
            return example.turns[0]
    raise SimulacraError(f"{config.run_dir}: no held-out session to open with; give --opener \"text\"")


def talk(config: ConverseConfig, voices: dict[str, Voice], members: list[str], history: list[Turn],
         emit: Callable[[str], None]) -> str | None:
    """Append generated turns to `history`; returns why it stopped early (None when all turns were said)."""
    from simulacra.converse.order import header_scorer, next_speaker

    rng = random.Random(config.seed)
    counter = itertools.count() if config.forever else range(config.turns)
    for n in counter:
        last = history[-1].speaker
        voice = voices[members[0]]
        score = header_scorer(voice.persona, voice.side, voice.system, history)
        speaker = next_speaker(members, last, config.order, rng, score)
        turn, why = guarded_turn(config, voices[speaker], speaker, history, n, emit)
        if turn is None:
            return f"{speaker}'s turn stayed degenerate after {config.retries} re-samples: {why}"
        history.append(Turn(speaker, turn))
    return None


def guarded_turn(config: ConverseConfig, voice: Voice, speaker: str, history: list[Turn], n: int,
                 emit: Callable[[str], None]) -> tuple[str | None, str | None]:
    """One streamed turn, re-sampled hotter while the guard finds it degenerate; (text, None) or (None, why)."""
    from simulacra.converse.guard import problem
    from simulacra.engine.sampling import sampling_of

    prompt = voice.persona.renderer.prompt(voice.system, history, speaker)
    why = None
    for attempt in range(config.retries + 1):
        seed = None if config.seed is None else config.seed + 1000 * n + attempt
        sampling = sampling_of(config, seed=seed, temperature=config.temperature + attempt * config.retry_heat)
        emit(f"{speaker}: ")
        pieces = []
        for piece in voice.side.stream(prompt, sampling):
            pieces.append(piece)
            emit(piece)
        text = "".join(pieces).strip()
        why = problem(text, [t.text for t in history])
        if why is None:
            emit("\n")
            _attribute(config, voice, speaker, text, emit)
            return text, None
        emit(f"\n  ↻ degenerate ({why}); re-sampling at temperature {sampling.temperature + config.retry_heat:.2f}\n"
             if attempt < config.retries else f"\n  ✗ degenerate ({why})\n")
    return None, why


def _attribute(config: ConverseConfig, voice: Voice, speaker: str, text: str, emit: Callable[[str], None]) -> None:
    """--tda K: the K training messages (of the run that spoke) closest to this turn, as chat shows them."""
    if not config.tda or not text:
        return
    from simulacra.engine.attribution import format_hit, nearest_training_messages

    for hit in nearest_training_messages(voice.persona, [(speaker, text)], config.tda)[0]:
        emit(format_hit(hit) + "\n")


def save(path: Path, history: list[Turn], stopped: str | None) -> None:
    """JSONL (one turn a line) and a readable Markdown transcript beside it."""
    path = Path(path)
    with atomic_write(path, "wb") as f:
        for t in history:
            f.write(orjson.dumps({"speaker": t.speaker, "text": t.text}) + b"\n")
    lines = ["# Conversation", ""] + [f"**{t.speaker}:** {t.text}\n" for t in history]
    if stopped:
        lines.append(f"*({stopped})*\n")
    with atomic_write(path.with_suffix(".md"), "w") as f:
        f.write("\n".join(lines))
