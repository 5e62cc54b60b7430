"""Trainer callbacks: a readable loss line on the console and tokens/s from the collator's counts."""

from __future__ import annotations

import time

from transformers import TrainerCallback
from transformers.trainer_callback import ProgressCallback
from transformers.trainer_callback import ExportableState

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
        # On --resume, the state holds the checkpoint's log: the manifest reports the whole run, not this part.
        self.history = [_entry(e["step"], e) for e in state.log_history if "loss" in e or "eval_loss" in e]

    def on_log(self, args, state, control, logs=None, **kwargs):
        from simulacra.ui import console

        logs = logs or {}
        if "loss" not in logs and "eval_loss" not in logs:
            return
        elapsed = max(time.time() - (self.started or time.time()), 1e-9)
        rate = (self.collator.real_tokens - self.start_tokens) / elapsed
        self.history.append(_entry(state.global_step, logs))
        parts = [f"step {state.global_step}/{state.max_steps}"]
        if "loss" in logs:
            parts.append(f"loss {logs['loss']:.3f}")
        if "eval_loss" in logs:
            parts.append(f"validation loss {logs['eval_loss']:.3f}")
        if "learning_rate" in logs:
            parts.append(f"lr {logs['learning_rate']:.1e}")
        parts.append(f"{rate:.0f} tok/s")
        console.print(" · ".join(parts), highlight=False)


def _entry(step: int, logs: dict) -> dict:
    return {"step": step, **{k: v for k, v in logs.items() if isinstance(v, (int, float)) and k != "step"}}


class EarlyStopOnValidation(TrainerCallback, ExportableState):
    """Stop when the validation loss has not improved for `patience` evaluations in a row.

    Its count travels in each checkpoint (ExportableState), so --resume stops where a straight run would."""

    def __init__(self, patience: int):
        self.patience = patience
        self.best = float("inf")
        self.bad = 0
        self.stopped_at: int | None = None

    def state(self) -> dict:
        return {"args": {"patience": self.patience}, "attributes": {"best": self.best, "bad": self.bad}}

    def on_evaluate(self, args, state, control, metrics=None, **kwargs):
        loss = (metrics or {}).get("eval_loss")
        if loss is None:
            return
        if loss < self.best - 1e-6:
            self.best, self.bad = loss, 0
        else:
            self.bad += 1
            if self.bad >= self.patience:
                self.stopped_at = state.global_step
                control.should_training_stop = True


class SampleCallback(TrainerCallback):
    """Every `every` steps, generate replies to fixed validation prompts into samples.jsonl and TensorBoard.

    `prompts` are (label, prompt ids, real reply) triples built once from the validation split, so the
    same moments are answered at every checkpoint and a reader can watch the voice change.
    """

    def __init__(self, prompts, tokenizer, stop_id: int, path, every: int, max_new_tokens: int = 48):
        self.prompts, self.tokenizer, self.stop_id = prompts, tokenizer, stop_id
        self.path, self.every, self.max_new_tokens = path, every, max_new_tokens
        self.writer = None

    def on_step_end(self, args, state, control, model=None, **kwargs):
        if self.every and state.global_step % self.every == 0 and state.is_world_process_zero:
            self.generate(model, state.global_step)

    def generate(self, model, step: int) -> None:
        import orjson

        from simulacra.engine import Sampling
        from simulacra.engine.torch_backend import TorchBackend

        was_training = model.training
        greedy = Sampling(max_new_tokens=self.max_new_tokens, temperature=0, repetition_penalty=1.0, batch_size=1)
        replies = TorchBackend(model, self.stop_id).generate([p for _, p, _ in self.prompts], greedy)
        lines = [{"step": step, "speaker": label, "reply": self.tokenizer.decode(ids, skip_special_tokens=True),
                  "real": real} for (label, _, real), ids in zip(self.prompts, replies)]
        if was_training:
            model.train()
        with open(self.path, "ab") as f:
            for line in lines:
                f.write(orjson.dumps(line) + b"\n")
        if self.writer is None:
            from torch.utils.tensorboard import SummaryWriter

            self.writer = SummaryWriter(log_dir=str(self.path.parent / "logs" / "samples"))
        text = "\n\n".join(f"**{x['speaker']}**: {x['reply']}  \n(real: {x['real']})" for x in lines)
        self.writer.add_text("samples", text, step)
        self.writer.flush()


class QuietProgress(ProgressCallback):
    """transformers' progress bar without its log lines: ConsoleLogCallback prints each log once, readably."""

    def on_log(self, args, state, control, logs=None, **kwargs):
        pass


class SaveEveryMinutes(TrainerCallback):
    """Also save a checkpoint whenever `minutes` of training passed since the last one, so a long first
    stretch before `save_steps` is never lost to an interruption."""

    def __init__(self, minutes: float):
        self.seconds = minutes * 60
        self.last = None

    def on_train_begin(self, args, state, control, **kwargs):
        self.last = time.time()

    def on_save(self, args, state, control, **kwargs):
        self.last = time.time()

    def on_step_end(self, args, state, control, **kwargs):
        if self.seconds > 0 and self.last is not None and time.time() - self.last >= self.seconds:
            control.should_save = True
