"""The served models: one id per trained speaker (`run` for one-person runs, `run/Member` for groups)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from simulacra.errors import SimulacraError
from simulacra.rundir import RunDir
from simulacra.schema import speaker_counts


@dataclass
class Served:
    """One model id: the loaded persona, who it speaks as, who the user is by default, the other members."""

    id: str
    persona: object  # simulacra.engine.Persona
    speaker: str
    user: str
    members: list[str]
    context: int

    def describe(self) -> dict:
        return {"id": self.id, "object": "model", "created": 0, "owned_by": "simulacra",
                "speaker": self.speaker, "user": self.user, "members": self.members}


def model_ids(name: str, speakers: list[str]) -> list[tuple[str, str]]:
    """(model id, speaker) pairs of one run: its name alone, or `name/Member` per trained member."""
    if len(speakers) == 1:
        return [(name, speakers[0])]
    return [(f"{name}/{s}", s) for s in speakers]


def load_all(runs: list[Path], load=None) -> dict[str, Served]:
    """Load every run once; model ids must be unique across runs (two runs named alike are refused)."""
    if load is None:
        from simulacra.engine import Persona as load
    served: dict[str, Served] = {}
    for path in runs:
        run = RunDir(path)
        run.require_weights()
        persona = load(run)
        members = _members(run, persona.speakers)
        context = int(getattr(persona.backend.model.config, "max_position_embeddings", 2048) or 2048)
        for model_id, speaker in model_ids(run.root.resolve().name, persona.speakers):
            if model_id in served:
                raise SimulacraError(f"{path}: model id {model_id!r} is already served by another run (rename a folder)")
            user = next((m for m in members if m != speaker), "User")
            served[model_id] = Served(model_id, persona, speaker, user, members, context)
    return served


def _members(run: RunDir, trained: list[str]) -> list[str]:
    """The chat's people, most talkative first (the default user is the first one who is not the persona)."""
    talkers = [name for name, _ in speaker_counts(run.conversations).most_common()]
    return list(dict.fromkeys(talkers + trained))
