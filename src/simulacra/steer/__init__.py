"""Steer stage: build a steering vector for a run from weighted contrast prompts, and measure its effect.

    simulacra steer runs/ana happy --toward "i feel happy" --away "i feel sad"
    simulacra chat runs/ana --steer happy:4

The prompts are rendered as the persona speaking them, in the dataset's own format, and the vector
is the weighted mean of one decoder layer's last-token states (see `simulacra.engine.steering`).
"""

from __future__ import annotations

from pathlib import Path

from simulacra.errors import SimulacraError
from simulacra.rundir import RunDir
from simulacra.steer.config import HAPPY_SAD, SteerConfig

__all__ = ["HAPPY_SAD", "SteerConfig", "run", "build"]


def run(config: SteerConfig) -> Path:
    """Build (unless only measuring an existing vector) and optionally measure; returns RUN/steering/."""
    from simulacra.engine import Persona
    from simulacra.ui import console, status

    run_dir = RunDir(config.run_dir)
    if config.prompts_file is None and not config.toward and not config.away and not config.measure:
        raise SimulacraError("give --toward and --away texts or --prompts-file (or --measure an existing vector)")
    run_dir.require_weights()
    with status("Loading the tuned model"):
        persona = Persona(run_dir)
    if config.prompts_file is not None or config.toward or config.away:
        speaker = persona.trained_speaker(config.speaker, "--speaker")
        vec = build(persona, config.name, _weights(config), config.layer, speaker)
        console.print(f"[green]✓[/] steering vector {vec.name!r} at layer {vec.layer} from {len(vec.prompts)} "
                      f"prompts → {run_dir.steering / (vec.name + '.json')}")
    if config.measure:
        from simulacra.steer.measure import measure

        measure(persona, config)
    return run_dir.steering


def build(persona, name: str, weights: dict[str, float], layer: int, speaker: str | None = None):
    """Read the layer's state after each prompt (rendered as `speaker` saying it) and save the weighted mean."""
    from simulacra.engine.steering import SteeringVector, fingerprint, read_states, save_vector, weighted_direction

    if not weights or not any(w > 0 for w in weights.values()) or not any(w < 0 for w in weights.values()):
        raise SimulacraError("a steering vector needs texts on both sides: --toward and --away (or a prompts file "
                             "with positive and negative weights)")
    speaker = speaker or persona.speakers[0]
    texts = list(weights)
    prompts = [persona.prompt(None, [], speaker) + persona.tokenizer.encode(t) for t in texts]
    model = persona.backend.model
    states = read_states(model, prompts, layer, persona.renderer.stop_token_id)
    vec = SteeringVector(name, layer, weighted_direction(states, [weights[t] for t in texts]), fingerprint(model),
                         weights)
    save_vector(persona.run.steering, vec)
    return vec


def _weights(config: SteerConfig) -> dict[str, float]:
    try:
        return config.weights()
    except (OSError, ValueError) as e:
        raise SimulacraError(f"--prompts-file {config.prompts_file}: {e}") from None
