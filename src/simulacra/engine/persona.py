"""A run ready to speak: its tokenizer, renderer and model, with a tuned and a base side behind one API.

    persona = Persona(RunDir("runs/ana"))
    persona.side("tuned").reply(system, history, "Ana", Sampling(temperature=0))
    persona.side("base").generate(prompts, sampling)        # the same weights with LoRA switched off

Prompts come from the dataset's own renderer (style, personas, speaker tokens), so a model is asked
exactly the way it was trained.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Callable, Iterator

from simulacra.engine.sampling import Sampling
from simulacra.formats.render import renderer_for
from simulacra.rundir import RunDir
from simulacra.schema import Turn

SIDES = ("base", "tuned")


class Persona:
    """Everything needed to generate a run's speakers' turns. `tuned=False` loads the base model only."""

    def __init__(self, run: RunDir | Path | str, tuned: bool = True, engine: str = "torch",
                 compute_type: str = "int8", needs_hidden_states: bool = False):
        from simulacra.engine.choice import pick_engine

        self.run = run if isinstance(run, RunDir) else RunDir(Path(run))
        self.spec = self.run.dataset_spec()
        self.tokenizer = self.run.tokenizer()
        # The dataset's own style, personas and speaker tokens, so prompts look exactly like training.
        self.renderer = renderer_for(self.spec, self.tokenizer)
        self.tuned = tuned
        self.engine = pick_engine(engine, needs_hidden_states)
        if self.engine == "ctranslate2":
            from simulacra.engine.choice import ctranslate2_backend

            self.backend = ctranslate2_backend(self, compute_type)
        else:
            self.backend = self.torch_backend()

    def torch_backend(self):
        """The reference backend on this run's weights (tuned, or base only)."""
        from simulacra.engine.torch_backend import TorchBackend
        from simulacra.models.load import load_base_model, load_tuned_model

        vocab, base_name = len(self.tokenizer), self.run.base_model_name()
        model = (load_tuned_model(self.run, base_name, vocab) if self.tuned
                 else load_base_model(base_name, vocab).eval())
        return TorchBackend(model, self.renderer.stop_token_id,
                            load_base=lambda: load_base_model(base_name, vocab).eval())

    @property
    def speakers(self) -> list[str]:
        """The speakers the model was trained to produce."""
        return list(self.spec.speakers)

    def trained_speaker(self, name: str | None, flag: str) -> str:
        """The trained speaker a user named (pseudonyms resolved; None: the first one), or a clear error."""
        from simulacra.errors import SimulacraError
        from simulacra.pseudonyms import resolve_name

        if name is None:
            return self.speakers[0]
        resolved = resolve_name(self.run.root, name)
        if resolved not in self.speakers:
            raise SimulacraError(f"{flag} {name!r}: the model was trained on {', '.join(self.speakers)}")
        return resolved

    def steer(self, specs: list[str]) -> list[str]:
        """Add saved steering vectors ('NAME:STRENGTH' or 'NAME:STRENGTH@LAYER', from the run's steering/) to
        every generation; [] clears. Returns a description of each, for the user."""
        pairs = self.steering_vectors(specs)
        self.backend.steering = pairs
        return [f"{vec.name} ×{strength:g} at layer {vec.layer}" for vec, strength in pairs]

    def steering_vectors(self, specs: list[str]) -> list:
        """(SteeringVector, strength) pairs for 'NAME:STRENGTH[@LAYER]' specs, checked against this base model."""
        import dataclasses

        from simulacra.engine.steering import fingerprint, layer_index, load_vector, parse_steer
        from simulacra.errors import SimulacraError

        model = self.backend.model
        pairs = []
        for spec in specs:
            name, strength, layer = parse_steer(spec)
            vec = load_vector(self.run.steering, name, fingerprint(model))
            if layer is not None:
                try:
                    layer_index(model, layer)
                except ValueError as e:
                    raise SimulacraError(f"--steer {spec!r}: {e}") from None
                vec = dataclasses.replace(vec, layer=layer)
            pairs.append((vec, strength))
        return pairs

    def side(self, name: str) -> "Side":
        """'tuned' (the fine-tuned weights) or 'base' (the model it started from)."""
        if name not in SIDES:
            raise ValueError(f"side {name!r}: expected one of {', '.join(SIDES)}")
        if name == "tuned" and not self.tuned:
            raise ValueError("this persona was loaded without its tuned weights")
        return Side(self, name)

    def prompt(self, system_text: str | None, history: list[Turn], speaker: str) -> list[int]:
        """Prompt ids rendered exactly as in training: the dataset's style, personas and system text."""
        speakers = list(dict.fromkeys([t.speaker for t in history] + [speaker]))
        if self.spec.system_prompt is None and self.spec.style != "roles":
            system_text = None  # the style's own default (e.g. instruct's sentence, none for completion)
        return self.renderer.prompt(self.renderer.system_text(system_text, speakers), history, speaker)

    def decode(self, ids: list[int]) -> str:
        return self.tokenizer.decode(ids, skip_special_tokens=True).strip()


class Side:
    """One side of a persona (tuned or base): generate, stream, reply and score, all through one backend."""

    def __init__(self, persona: Persona, name: str):
        self.persona, self.name = persona, name

    @contextlib.contextmanager
    def _active(self) -> Iterator:
        backend = self.persona.backend
        if self.name == "base" and self.persona.tuned:
            with backend.base():
                yield backend
        else:
            yield backend

    def warm(self) -> None:
        """Load (or convert) what this side needs now, so the first reply does not pause mid-stream."""
        with self._active():
            pass

    def generate(self, prompts: list[list[int]], sampling: Sampling,
                 on_batch: Callable[[int], None] | None = None) -> list[str]:
        """One reply text per prompt, in order."""
        with self._active() as backend:
            return [self.persona.decode(ids) for ids in backend.generate(prompts, sampling, on_batch)]

    def stream(self, prompt: list[int], sampling: Sampling) -> Iterator[str]:
        """The reply's text as it is decoded: only new, complete characters (never half an emoji)."""
        tok, ids, sent = self.persona.tokenizer, [], 0
        with self._active() as backend:
            for new in backend.stream(prompt, sampling):
                ids += new
                text = tok.decode(ids, skip_special_tokens=True)
                if text.endswith("\ufffd") or len(text) <= sent:
                    continue
                yield text[sent:]
                sent = len(text)

    def reply(self, system_text: str | None, history: list[Turn], speaker: str, sampling: Sampling,
              on_text: Callable[[str], None] | None = None) -> str:
        """`speaker`'s next turn after `history`; `on_text` receives the text as it streams."""
        prompt = self.persona.prompt(system_text, history, speaker)
        if on_text is None:
            return self.generate([prompt], sampling)[0]
        pieces = []
        for piece in self.stream(prompt, sampling):
            pieces.append(piece)
            on_text(piece)
        return "".join(pieces).strip()

    def nll(self, rows: list[dict], batch_size: int = 8, on_row: Callable[[int], None] | None = None) -> list:
        """(row index, per-position NLL, trained flags) for rows of {"input_ids", "mask"}; `on_row(1)` after each."""
        out = []
        with self._active() as backend:
            for item in backend.nll(rows, batch_size):
                out.append(item)
                if on_row:
                    on_row(1)
        return out

    def score_groups(self, groups, batch_size: int = 8) -> list[list[float]]:
        """Mean log-probability per token of each continuation after its group's shared prompt."""
        with self._active() as backend:
            return backend.score_groups(groups, batch_size)

    def score_trees(self, trees, on_tree: Callable[[int], None] | None = None) -> list:
        """Each trunk read once, branches scored after it (engine.branches.score_tree), for every tree."""
        with self._active() as backend:
            return backend.score_trees(trees, on_tree)

    def hidden_states(self, prompts: list[list[int]], layer: int, batch_size: int = 8):
        with self._active() as backend:
            return backend.hidden_states(prompts, layer, batch_size)
