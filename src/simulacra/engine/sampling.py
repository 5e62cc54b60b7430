"""How to pick tokens: one settings type for every verb that generates (chat, evaluate, converse, serve)."""

from __future__ import annotations

from dataclasses import dataclass


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
