"""Build the transformers Trainer: arguments from TrainConfig, the packing collator, a lean loss, logs.

The loss (`simulacra.train.loss`) runs the LM head on the supervised positions alone, fused with the
cross-entropy in chunks where the model allows it, instead of producing logits for every token.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import torch
from torch.utils.data import Dataset
from transformers import Trainer, TrainingArguments
from transformers.integrations import TensorBoardCallback
from transformers.trainer import TRAINER_STATE_NAME
from transformers.trainer_utils import PREFIX_CHECKPOINT_DIR, rotate_checkpoints

from simulacra.formats.tokenizer import ChatTokenizer
from simulacra.io import fsync_tree, pause_for_test, replace_dir
from simulacra.train.callbacks import ConsoleLogCallback, EarlyStopOnValidation, QuietProgress, SaveEveryMinutes
from simulacra.train.collate import PackingCollator
from simulacra.train.config import TrainConfig
from simulacra.train.fast import attention_per_example
from simulacra.train.loss import HeadInput, fusable_head, supervised_loss


class RowsDataset(Dataset):
    def __init__(self, rows: list[dict]):
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: int) -> dict:
        return self.rows[i]


def latest_checkpoint(out: Path) -> Path | None:
    """The newest complete checkpoint in out/checkpoints/; folders a killed run left half-written are skipped."""
    found = [(_step(p), p) for p in (out / "checkpoints").glob(f"{PREFIX_CHECKPOINT_DIR}-*") if _complete(p)]
    return max(found, key=lambda sp: sp[0])[1] if found else None


def _step(path: Path) -> int | None:
    tail = path.name.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else None


def _complete(path: Path) -> bool:
    # Checkpoints are renamed in whole (SimulacraTrainer._save_checkpoint), but folders written before
    # that, or by other tools, may be cut short: trainer_state.json is the Trainer's last file.
    if _step(path) is None or not path.is_dir():
        return False
    try:
        return orjson.loads((path / TRAINER_STATE_NAME).read_bytes())["global_step"] == _step(path)
    except (OSError, ValueError, KeyError, TypeError):
        return False


def remove_partial_checkpoints(out: Path) -> None:
    """Delete the hidden staging folders of checkpoints a killed run was writing (see _save_checkpoint)."""
    for partial in (out / "checkpoints").glob(f".{PREFIX_CHECKPOINT_DIR}-*.partial"):
        shutil.rmtree(partial, ignore_errors=True)


class SimulacraTrainer(Trainer):
    """Trainer whose loss skips the LM head on unsupervised positions; everything else is stock
    (checkpoints, resume, schedules, accumulation, DDP/FSDP/DeepSpeed through accelerate)."""

    def __init__(self, *args, fuse_head: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.head_input = HeadInput(self.model)
        self.fuse_head = fuse_head
        self.model_accepts_loss_kwargs = True  # our loss divides by num_items_in_batch itself

    def _get_output_dir(self, trial) -> str:
        return str(self._staging) if getattr(self, "_staging", None) else super()._get_output_dir(trial)

    def _save_checkpoint(self, model, trial) -> None:
        """Write checkpoint-N into a hidden folder, flush it to disk, then rename it in whole, so that a
        kill at any moment leaves either no checkpoint-N or a complete one (never a half-written one)."""
        root = Path(super()._get_output_dir(trial))
        name = f"{PREFIX_CHECKPOINT_DIR}-{self.state.global_step}"
        # The same name in every process: each one writes its RNG state into the folder.
        self._staging = root / f".{name}.partial"
        try:
            super()._save_checkpoint(model, trial)
        finally:
            self._staging = None
        self.accelerator.wait_for_everyone()
        if self.args.should_save:
            staging = root / f".{name}.partial"
            fsync_tree(staging)
            replace_dir(staging / name, root / name)
            shutil.rmtree(staging, ignore_errors=True)
            rotate_checkpoints(output_dir=str(root), save_total_limit=self.args.save_total_limit,
                               best_model_checkpoint=self.state.best_model_checkpoint)
        self.accelerator.wait_for_everyone()

    def _save_optimizer_and_scheduler(self, output_dir) -> None:
        pause_for_test("checkpoint-write")  # the weights are written, the optimizer not yet: a half checkpoint
        super()._save_optimizer_and_scheduler(output_dir)

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        # Checked on the model as wrapped now: FSDP and ZeRO-3 shard the head weight after __init__.
        fused = self.fuse_head and fusable_head(model) is not None
        loss = supervised_loss(model, inputs, self.head_input, num_items_in_batch, fused=fused)
        if model.training and num_items_in_batch is not None and self.args.average_tokens_across_devices:
            loss = loss * self.accelerator.num_processes  # DDP averages gradients over processes
        return (loss, {}) if return_outputs else loss


def build_trainer(model, config: TrainConfig, train_rows, val_rows, tokenizer: ChatTokenizer, out: Path,
                  extra_callbacks=()):
    from torch.utils.tensorboard import SummaryWriter

    pad_id = tokenizer.token_id("<|im_end|>") or 0  # padded positions carry no loss and no attention
    longest = max(len(r["input_ids"]) for r in list(train_rows) + list(val_rows))
    # With attention per example, a row's length costs nothing, so one row per step: no padding at all.
    pack_len = 1 << 30 if attention_per_example(model) else max(config.pack_len, longest)
    collator = PackingCollator(pad_id=pad_id, pack_len=pack_len, pack=config.packing)
    log = ConsoleLogCallback(collator)
    evaluating = bool(val_rows) and config.eval_steps > 0
    scheduler = config.lr_scheduler
    if scheduler == "constant" and config.warmup_ratio > 0:
        scheduler = "constant_with_warmup"
    args = TrainingArguments(
        output_dir=str(out / "checkpoints"),
        use_cpu=not torch.cuda.is_available(),
        bf16=torch.cuda.is_available() and torch.cuda.is_bf16_supported(),
        per_device_train_batch_size=config.batch_size,
        per_device_eval_batch_size=config.batch_size,
        gradient_accumulation_steps=config.grad_accum,
        **({"gradient_checkpointing": True} if config.gradient_checkpointing else {}),
        learning_rate=config.learning_rate,
        weight_decay=config.weight_decay,
        lr_scheduler_type=scheduler,
        warmup_steps=config.warmup_ratio,  # a float below 1 is a share of the total steps
        num_train_epochs=config.epochs,
        max_steps=config.max_steps or -1,
        logging_steps=config.logging_steps,
        save_strategy="steps",
        save_steps=config.save_steps,
        save_total_limit=config.save_total_limit,
        restore_callback_states_from_checkpoint=True,  # early stopping's count continues on --resume
        eval_strategy="steps" if evaluating else "no",
        eval_steps=config.eval_steps if evaluating else None,
        prediction_loss_only=True,
        label_names=["shift_labels"],
        report_to="none",
        seed=config.seed,
        data_seed=config.seed,
        remove_unused_columns=False,
        dataloader_num_workers=0,
        # Packed rows carry little padding anyway; without packing, similar lengths share a batch.
        train_sampling_strategy=("random" if config.packing else "group_by_length") if config.shuffle else "sequential",
        ddp_find_unused_parameters=False,
        disable_tqdm=False,
    )
    callbacks = [TensorBoardCallback(tb_writer=SummaryWriter(log_dir=str(out / "logs"))), log,
                 SaveEveryMinutes(config.save_minutes), *extra_callbacks]
    if evaluating and config.early_stopping_patience:
        callbacks.append(EarlyStopOnValidation(config.early_stopping_patience))
    trainer = SimulacraTrainer(
        model=model, args=args, train_dataset=RowsDataset(train_rows),
        eval_dataset=RowsDataset(val_rows) if val_rows else None,
        data_collator=collator, callbacks=callbacks, fuse_head=config.fast_paths,
    )
    from transformers.trainer_callback import ProgressCallback

    from simulacra.ui import console

    trainer.remove_callback(ProgressCallback)
    # In a log file a bar's redraws pile up on one line; the step lines of ConsoleLogCallback say it all there.
    if console.is_terminal:
        trainer.add_callback(QuietProgress)
    if trainer.args.should_save:
        remove_partial_checkpoints(out)
    return trainer, collator, log
