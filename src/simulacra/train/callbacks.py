"""Trainer callbacks: a readable loss line on the console and tokens/s from the collator's counts."""

from __future__ import annotations

import time

from transformers import TrainerCallback

from simulacra.train.collate import MaskedCollator


class ConsoleLogCallback(TrainerCallback):
    """Prints `step 10/60 · loss 2.314 · lr 1.9e-04 · 412 tok/s` at each logging step."""

    def __init__(self, collator: MaskedCollator):
        self.collator = collator
        self.started = None
        self.history: list[dict] = []

    def on_train_begin(self, args, state, control, **kwargs):
        self.started = time.time()
        self.start_tokens = self.collator.real_tokens

    def on_log(self, args, state, control, logs=None, **kwargs):
        from simulacra.ui import console

        logs = logs or {}
        if "loss" not in logs and "eval_loss" not in logs:
            return
        elapsed = max(time.time() - (self.started or time.time()), 1e-9)
        rate = (self.collator.real_tokens - self.start_tokens) / elapsed
        entry = {"step": state.global_step, **{k: v for k, v in logs.items() if isinstance(v, (int, float))}}
        self.history.append(entry)
        parts = [f"step {state.global_step}/{state.max_steps}"]
        if "loss" in logs:
            parts.append(f"loss {logs['loss']:.3f}")
        if "eval_loss" in logs:
            parts.append(f"validation loss {logs['eval_loss']:.3f}")
        if "learning_rate" in logs:
            parts.append(f"lr {logs['learning_rate']:.1e}")
        parts.append(f"{rate:.0f} tok/s")
        console.print(" · ".join(parts), highlight=False)
