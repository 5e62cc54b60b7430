"""Chat stage: talk to the tuned model as one person while it answers as another, streaming each reply."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Iterable

from simulacra.chat.commands import COMMANDS, ChatState, parse, save_transcript
from simulacra.chat.config import ChatConfig
from simulacra.errors import SimulacraError
from simulacra.pseudonyms import resolve_name
from simulacra.rundir import RunDir
from simulacra.schema import Turn, speaker_counts

__all__ = ["ChatConfig", "run", "chat_loop"]


def run(config: ChatConfig, lines: Iterable[str] | None = None) -> Path | None:
    """Interactive loop; `lines` replaces the keyboard (tests, pipes). Returns the transcript path if saved."""
    from simulacra.engine import Persona
    from simulacra.formats.render import default_system_prompt
    from simulacra.ui import console, status

    run_dir = RunDir(config.run_dir)
    if config.compare and config.base:
        raise SimulacraError("--compare already shows the base model's reply beside the tuned one; drop --base")
    # Names are checked before the model loads, so a typo costs no waiting.
    trained = run_dir.dataset_spec().speakers
    speaker, user = pick_speakers(config, trained)
    side = "base" if config.base else "tuned"
    with status(f"Loading the {'base and tuned' if config.compare else side} model"):
        persona = Persona(run_dir, tuned=not config.base, engine=config.engine, compute_type=config.compute_type,
                          needs_hidden_states=bool(config.steer or config.tda))
    for description in persona.steer(config.steer) if config.steer else []:
        console.print(f"steering: {description}")
    if config.compare:
        persona.side("base").warm()
    system = persona.spec.system_prompt or default_system_prompt([user, speaker])
    console.print(f"You are [bold]{user}[/]; the model answers as [bold]{speaker}[/]. "
                  "/help for commands; empty line or Ctrl-D to stop.")
    state = ChatState(speaker, user, list(trained), config.temperature, config.compare)
    chat_loop(persona, system, state, config, _input_lines(lines, state),
              lambda text: console.print(text, end="", highlight=False, markup=False, soft_wrap=True))
    if config.save:
        save_transcript(config.save, state.records)
        console.print(f"[green]✓[/] transcript → {config.save}")
        return config.save
    return None


def sampling_of(config: ChatConfig, temperature: float | None = None):
    from simulacra.engine.sampling import sampling_of as of_config

    return of_config(config, seed=config.seed, temperature=config.temperature if temperature is None else temperature)


def chat_loop(persona, system: str, state: ChatState, config: ChatConfig, lines: Iterable[str],
              emit: Callable[[str], None]) -> list[dict]:
    """One model turn per user line (two with --compare); commands change the state instead."""
    sides = ["base", "tuned"] if config.compare else ["tuned" if persona.tuned else "base"]
    first = True
    for line in lines:
        line = line.strip()
        if not line:
            break
        command = parse(line)
        if command and command[0] != "retry":
            handler = COMMANDS.get(command[0], (None, ""))[0]
            emit((handler(state, command[1]) if handler else f"unknown command /{command[0]}; /help lists them") + "\n")
            continue
        if command:  # /retry
            if not state.drop_replies():
                emit("nothing to retry\n")
                continue
        else:
            state.records.append({"speaker": state.user, "text": line})
        started = time.perf_counter()
        for side in sides:
            _answer(persona, side, system, state, config, emit, tag=f" ({side})" if config.compare else "")
        if first:
            emit(f"[first reply in {time.perf_counter() - started:.1f} s]\n")
            first = False
    return state.records


def _answer(persona, side: str, system: str, state: ChatState, config: ChatConfig, emit, tag: str) -> None:
    emit(f"{state.speaker}{tag}: ")
    reply = persona.side(side).reply(system, state.history(), state.speaker, sampling_of(config, state.temperature),
                                     on_text=emit)
    emit("\n")
    state.records.append({"speaker": state.speaker, "text": reply, "side": side})
    if config.tda and reply:
        from simulacra.engine.attribution import format_hit, nearest_training_messages

        for hit in nearest_training_messages(persona, [(state.speaker, reply)], config.tda)[0]:
            emit(format_hit(hit) + "\n")


def pick_speakers(config: ChatConfig, trained: list[str]) -> tuple[str, str]:
    # A speaker saved as a phone number is trained as its pseudonym; accept the original too.
    speaker = resolve_name(config.run_dir, config.persona) if config.persona else trained[0]
    if speaker not in trained:
        raise SimulacraError(f"--as {speaker!r}: the model was trained on {', '.join(trained)}")
    if config.user:
        return speaker, resolve_name(config.run_dir, config.user)
    # conversations.jsonl holds the names as exported; the model knows their pseudonyms.
    talkers = speaker_counts(RunDir(config.run_dir).conversations).most_common()
    others = [resolve_name(config.run_dir, name) for name, _ in talkers]
    return speaker, next((name for name in others if name != speaker), "User")


def _input_lines(lines: Iterable[str] | None, state: ChatState) -> Iterable[str]:
    """Typed lines (with arrow-key history where readline exists), or given/piped ones echoed as if typed."""
    import sys

    from simulacra.ui import console

    if lines is None and not sys.stdin.isatty():
        lines = (line.rstrip("\n") for line in sys.stdin)
    if lines is not None:
        for line in lines:
            console.print(f"[bold cyan]{state.user}:[/] {line}", highlight=False)
            yield line
        return
    try:
        import readline  # noqa: F401  (input() then keeps a line history)
    except ImportError:
        pass
    while True:
        try:
            yield console.input(f"[bold cyan]{state.user}:[/] ")
        except EOFError:
            return
