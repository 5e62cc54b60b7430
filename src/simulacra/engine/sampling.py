"""How to pick tokens: one settings type, and one declaration of its defaults, for every verb that generates."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from pydantic import Field

from simulacra.config import cli


@dataclass
class Sampling:
    """Generation settings; written into reports so the numbers can be reproduced.

    `temperature` 0 means greedy. `seed` seeds each batch as seed + batch number (None: not seeded).
    `repetition_penalty` applies to the tokens of the reply being written, never to the prompt: penalising
    the history pushes a persona off the topic it should answer (the words of the question) and off the
    end-of-turn token, which every earlier turn contains, so replies ran on into loops
    (`i love my new car,,,,,,,,ox!!!!`; see docs/benchmarks.md, "Defaults tuned on public dialogue").
    """

    max_new_tokens: int = 48
    temperature: float = 0.8
    top_p: float = 0.9
    top_k: int = 50
    repetition_penalty: float = 1.1
    seed: int | None = 0
    batch_size: int = 32
    min_new_tokens: int = 0  # the end-of-turn token is refused before this many; benches use it to time N tokens

    @property
    def greedy(self) -> bool:
        return self.temperature <= 0

    def generate_kwargs(self, prompt_len: int | None = None) -> dict:
        """The arguments transformers' `generate` takes for these settings (sampling ones only when sampling).

        With `prompt_len` (the padded prompt width), the repetition penalty skips the prompt's tokens."""
        sample = not self.greedy
        kwargs = {"max_new_tokens": self.max_new_tokens, "do_sample": sample,
                  "temperature": self.temperature if sample else None, "top_p": self.top_p if sample else None,
                  "top_k": self.top_k if sample else None, "repetition_penalty": self.repetition_penalty}
        if self.min_new_tokens:
            kwargs["min_new_tokens"] = self.min_new_tokens
        if prompt_len is not None and self.repetition_penalty != 1.0:
            from transformers import LogitsProcessorList, RepetitionPenaltyLogitsProcessor

            kwargs["repetition_penalty"] = None
            kwargs["logits_processor"] = LogitsProcessorList(
                [RepetitionPenaltyLogitsProcessor(self.repetition_penalty, prompt_ignore_length=prompt_len)])
        return kwargs


# What each setting means and the values it takes; every verb's config declares its fields through
# `sampling_field`, so a default tuned in `Sampling` above reaches chat, converse, evaluate and serve at once.
_FIELDS: dict[str, tuple[str, dict[str, Any]]] = {
    "max_new_tokens": ("Longest reply in tokens.", {"ge": 1}),
    "temperature": ("Sampling temperature (0: greedy).", {"ge": 0}),
    "top_p": ("Nucleus sampling threshold.", {"gt": 0, "le": 1}),
    "top_k": ("Sample among this many likeliest tokens (0: no limit).", {"ge": 0}),
    "repetition_penalty": ("Penalty on tokens the reply already holds (the history is spared: answering the "
                           "point reuses its words).", {"gt": 0}),
}


def sampling_field(name: str, default: Any = None, *, description: str | None = None, advanced: bool = True) -> Any:
    """A config field for the sampling setting `name`: the engine's default, bounds and help text.

    A verb whose own default differs on purpose passes it (chat's replies run longer than evaluate's turns);
    `advanced` lists the flag under the help's Advanced heading."""
    text, bounds = _FIELDS[name]
    return Field(getattr(Sampling, name) if default is None else default, description=description or text,
                 json_schema_extra=cli(advanced=True) if advanced else None, **bounds)


def sampling_of(config: Any, **changes: Any) -> Sampling:
    """The Sampling for a verb's config: the sampling fields it declares, the engine's defaults for the others,
    then `changes` (seed, batch size, a raised temperature)."""
    declared = {f.name: getattr(config, f.name) for f in fields(Sampling)
                if f.name in _FIELDS and f.name in type(config).model_fields}
    return Sampling(**{**declared, **changes})
