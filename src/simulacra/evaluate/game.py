"""`simulacra evaluate --blind`: the terminal pick-the-real-reply game for a person, on the report's generations."""

from __future__ import annotations

from typing import Callable, Iterable

from simulacra.engine import SIDES
from simulacra.errors import SimulacraError
from simulacra.io import write_json
from simulacra.rundir import RunDir


def blind_game(config, lines: Iterable[str] | None = None, rounds: int = 10,
               emit: Callable[[str], None] | None = None) -> dict:
    """The game on report/generations.jsonl (made first if missing); `lines` replaces the keyboard."""
    from simulacra.evaluate.blind import play
    from simulacra.evaluate.report import GENERATIONS, read_generations
    from simulacra.ui import console

    run_dir = RunDir(config.run_dir)
    path = run_dir.report / GENERATIONS
    moments = read_generations(path) if path.is_file() else []
    if not moments:
        moments = _fresh_moments(run_dir, config, rounds)
    if not moments:
        raise SimulacraError(f"{config.run_dir}: no held-out moments to play with")
    emit = emit or (lambda text: console.print(text, end="", highlight=False, markup=False, soft_wrap=True))
    result = play(moments, list(SIDES), _keyboard() if lines is None else lines, emit, seed=config.seed, rounds=rounds)
    if result.get("moments"):
        write_json(run_dir.report / "blind_game.json", result)
    return result


def _fresh_moments(run_dir: RunDir, config, rounds: int):
    from simulacra.engine import Persona
    from simulacra.evaluate.generate import generate_replies, held_out_moments
    from simulacra.evaluate.generate import sampling_of

    persona = Persona(run_dir, tuned=True, engine=config.engine, compute_type=config.compute_type)
    moments = held_out_moments(run_dir.examples(config.split), persona.renderer, set(persona.speakers),
                               config.max_moments or rounds)
    generate_replies(persona, moments, sampling_of(config))
    return moments


def _keyboard():
    while True:
        try:
            yield input()
        except EOFError:
            return
