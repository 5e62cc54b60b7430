"""Chat stage: talk to the tuned model as one person while it answers as another, streaming each reply."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Callable, Iterable

import orjson

from simulacra.chat.config import ChatConfig
from simulacra.errors import SimulacraError
from simulacra.io import atomic_write
from simulacra.rundir import RunDir
from simulacra.schema import Turn, read_conversations

__all__ = ["ChatConfig", "run", "chat_loop"]


def run(config: ChatConfig, lines: Iterable[str] | None = None) -> Path | None:
    """Interactive loop; `lines` replaces the keyboard (tests, pipes). Returns the transcript path if saved."""
    from simulacra.engine import Persona
    from simulacra.formats.render import default_system_prompt
    from simulacra.ui import console, status

    run_dir = RunDir(config.run_dir)
    # Names are checked before the model loads, so a typo costs no waiting.
    speaker, user = pick_speakers(config, run_dir.dataset_spec().speakers)
    side = "base" if config.base else "tuned"
    with status(f"Loading the {side} model"):
        persona = Persona(run_dir, tuned=not config.base, engine=config.engine, compute_type=config.compute_type)
    system = persona.spec.system_prompt or default_system_prompt([user, speaker])
    console.print(f"You are [bold]{user}[/]; the model answers as [bold]{speaker}[/]. Empty line or Ctrl-D to stop.")
    history = chat_loop(persona, system, speaker, user, config, _input_lines(lines, user),
                        lambda text: console.print(text, end="", highlight=False, markup=False, soft_wrap=True))
    if config.save:
        save_transcript(config.save, history)
        console.print(f"[green]✓[/] transcript → {config.save}")
        return config.save
    return None


def sampling_of(config: ChatConfig):
    from simulacra.engine import Sampling

    return Sampling(max_new_tokens=config.max_new_tokens, temperature=config.temperature, top_p=config.top_p,
                    seed=config.seed)


def chat_loop(persona, system: str, speaker: str, user: str, config: ChatConfig, lines: Iterable[str],
              emit: Callable[[str], None]) -> list[Turn]:
    """One model turn per user line; the whole history is kept as context."""
    side = persona.side("tuned" if persona.tuned else "base")
    sampling = sampling_of(config)
    history: list[Turn] = []
    for line in lines:
        if not line.strip():
            break
        history.append(Turn(user, line.strip()))
        emit(f"{speaker}: ")
        reply = side.reply(system, history, speaker, sampling, on_text=emit)
        emit("\n")
        history.append(Turn(speaker, reply))
    return history


def pick_speakers(config: ChatConfig, trained: list[str]) -> tuple[str, str]:
    speaker = config.persona or trained[0]
    if speaker not in trained:
        raise SimulacraError(f"--as {speaker!r}: the model was trained on {', '.join(trained)}")
    if config.user:
        return speaker, config.user
    others = _speaker_counts(RunDir(config.run_dir))
    user = next((name for name, _ in others.most_common() if name != speaker), "User")
    return speaker, user


def _speaker_counts(run_dir: RunDir) -> Counter:
    if not run_dir.conversations.exists():
        return Counter()
    return Counter(m.speaker for c in read_conversations(run_dir.conversations) for m in c.messages
                   if m.kind == "text")


def _input_lines(lines: Iterable[str] | None, user: str) -> Iterable[str]:
    if lines is not None:
        yield from lines
        return
    from simulacra.ui import console

    while True:
        try:
            yield console.input(f"[bold cyan]{user}:[/] ")
        except EOFError:
            return


def save_transcript(path: Path, history: list[Turn]) -> None:
    with atomic_write(path, "wb") as f:
        for t in history:
            f.write(orjson.dumps({"speaker": t.speaker, "text": t.text}) + b"\n")
