"""How long evaluate will take: the work of each phase in token-equivalents, priced by the first scoring batch.

Every phase is counted in tokens read by a forward pass of the model (scoring both sides, the speaker
check's extra headers, generation's prompts and new tokens); the first scoring batch measures how many
such tokens a second this machine reads now, and the whole estimate follows from that one rate:

    Plan(work={"scoring": 31_000, "generation": 52_000}).estimate(rate=400)  ->  {"scoring": 78, "generation": 130}

Generation's weights (what a prompt token and a new token cost against a scored token) were fitted on
2 cores with SmolLM2-135M (docs/benchmarks.md, Evaluate): torch's from the demo's evaluate (32 moments,
generation 130 s beside scoring at 151 tokens/s), CTranslate2 int8's from a 10,000-message group run
(129 moments a side, generation 92 s beside scoring at 636 tokens/s; its earlier weights came from a
run whose scoring had been slowed to 6 tokens/s by CTranslate2 leaving torch one thread, and priced
generation 15 times too low). An estimate, not a promise: a shared machine's load moves every phase.
"""

from __future__ import annotations

import time

# (prompt token, new token) cost in scored-token units, per decoder.
GENERATION_COST = {"ctranslate2": (0.4, 3.6), "torch": (1.0, 3.0)}
METRICS_SECONDS_PER_MOMENT = 0.05  # two-sample CV, who-said-it, style (no model)


def work(examples, moments, config, speakers: list[str], engine: str) -> dict[str, float]:
    """Token-equivalents of each phase that runs a model."""
    tokens = sum(len(ex.input_ids) for ex in examples)
    out = {"scoring": 2.0 * tokens}
    if config.speaker_identity and len(speakers) > 1:
        # Each example once, then every other candidate's header and words: about k readings per side.
        out["speaker identity"] = 2.0 * len(speakers) * tokens
    if moments:
        prompt_cost, new_cost = GENERATION_COST.get(engine, GENERATION_COST["torch"])
        prompts = sum(len(m.prompt) for m in moments)
        out["generation"] = 2.0 * (prompt_cost * prompts + new_cost * len(moments) * config.max_new_tokens)
        if config.judge and config.judge.lower() != "none":
            out["judge"] = prompts + 3.0 * len(moments) * config.max_new_tokens
    return out


class Plan:
    """Prints the estimate once, when the first scoring batch has given a rate; keeps it for the report."""

    def __init__(self, phases: dict[str, float], moments: int, batch: int):
        self.phases, self.moments, self.batch = phases, moments, batch
        self.started, self.rows, self.tokens, self.seconds = time.time(), 0, 0, None
        self.estimated: dict[str, float] = {}

    def estimate(self, rate: float) -> dict[str, float]:
        out = {name: units / rate for name, units in self.phases.items()}
        if self.moments:
            out["metrics"] = METRICS_SECONDS_PER_MOMENT * self.moments
        return out

    def watch(self, lengths: list[int]):
        """An `on_row` callback for the first scoring pass: after `batch` rows, print the estimate."""
        lengths = sorted(lengths, reverse=True)  # scoring reads the longest rows first
        self.started = time.time()

        def on_row(_n: int) -> None:
            if self.seconds is not None:
                return
            self.rows += 1
            self.tokens += lengths[self.rows - 1] if self.rows <= len(lengths) else 0
            if self.rows >= min(self.batch, len(lengths)):
                self.seconds = time.time() - self.started
                self.announce(self.tokens / max(self.seconds, 1e-6))
        return on_row

    def announce(self, rate: float) -> None:
        from simulacra.ui import console

        self.estimated = {k: round(v, 1) for k, v in self.estimate(rate).items()}
        total = sum(self.estimated.values())
        parts = ", ".join(f"{name} ~{seconds:.0f} s" for name, seconds in self.estimated.items())
        console.print(f"Estimated duration: about {_minutes(total)} ({parts}; the first batch read "
                      f"{rate:.0f} tokens/s)", highlight=False, soft_wrap=True)


def _minutes(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"
