"""Chat stage: talk to the tuned model as one person while it answers as another, streaming each reply."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Callable, Iterable

import orjson

from simulacra.chat.config import ChatConfig
from simulacra.errors import SimulacraError
from simulacra.io import CONVERSATIONS, atomic_write
from simulacra.schema import Turn, read_conversations

__all__ = ["ChatConfig", "run", "chat_loop"]


def run(config: ChatConfig, lines: Iterable[str] | None = None) -> Path | None:
    """Interactive loop; `lines` replaces the keyboard (tests, pipes). Returns the transcript path if saved."""
    from simulacra.models.persona import Persona
    from simulacra.ui import console, status

    with status("Loading the " + ("base" if config.base else "tuned") + " model"):
        persona = Persona(config.run_dir, tuned=not config.base)
    speaker, user = pick_speakers(config, persona.prepare_config.speakers)
    system = persona.prepare_config.system_prompt or _system_from_run(config.run_dir, speaker, user)
    console.print(f"You are [bold]{user}[/]; the model answers as [bold]{speaker}[/]. Empty line or Ctrl-D to stop.")
    history = chat_loop(persona, system, speaker, user, config, _input_lines(lines, user),
                        lambda text: console.print(text, end="", highlight=False, markup=False, soft_wrap=True))
    if config.save:
        save_transcript(config.save, history)
        console.print(f"[green]✓[/] transcript → {config.save}")
        return config.save
    return None


def chat_loop(persona, system: str, speaker: str, user: str, config: ChatConfig, lines: Iterable[str],
              emit: Callable[[str], None]) -> list[Turn]:
    """One model turn per user line; the whole history is kept as context."""
    history: list[Turn] = []
    for line in lines:
        if not line.strip():
            break
        history.append(Turn(user, line.strip()))
        emit(f"{speaker}: ")
        reply = persona.reply(system, history, speaker, max_new_tokens=config.max_new_tokens,
                              temperature=config.temperature, top_p=config.top_p, seed=config.seed, on_text=emit)
        emit("\n")
        history.append(Turn(speaker, reply))
    return history


def pick_speakers(config: ChatConfig, trained: list[str]) -> tuple[str, str]:
    speaker = config.persona or trained[0]
    if speaker not in trained:
        raise SimulacraError(f"--as {speaker!r}: the model was trained on {', '.join(trained)}")
    if config.user:
        return speaker, config.user
    others = _speaker_counts(config.run_dir)
    user = next((name for name, _ in others.most_common() if name != speaker), "User")
    return speaker, user


def _speaker_counts(run_dir: Path) -> Counter:
    path = Path(run_dir) / CONVERSATIONS
    if not path.exists():
        return Counter()
    return Counter(m.speaker for c in read_conversations(path) for m in c.messages if m.kind == "text")


def _system_from_run(run_dir: Path, speaker: str, user: str) -> str:
    from simulacra.formats.render import default_system_prompt

    return default_system_prompt([user, speaker])


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
