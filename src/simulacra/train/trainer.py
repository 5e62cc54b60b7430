"""Build the transformers Trainer: arguments from TrainConfig, the packing collator, a lean loss, logs.

The loss (`simulacra.train.loss`) runs the LM head on the supervised positions alone, fused with the
cross-entropy in chunks where the model allows it, instead of producing logits for every token.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch.utils.data import Dataset
from transformers import Trainer, TrainingArguments
from transformers.integrations import TensorBoardCallback

from simulacra.formats.tokenizer import ChatTokenizer
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
    checkpoints = sorted((out / "checkpoints").glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[-1]))
    return checkpoints[-1] if checkpoints else None


class SimulacraTrainer(Trainer):
    """Trainer whose loss skips the LM head on unsupervised positions; everything else is stock
    (checkpoints, resume, schedules, accumulation, DDP/FSDP/DeepSpeed through accelerate)."""

    def __init__(self, *args, fuse_head: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.head_input = HeadInput(self.model)
        self.fuse_head = fuse_head
        self.model_accepts_loss_kwargs = True  # our loss divides by num_items_in_batch itself

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

    trainer.remove_callback(ProgressCallback)
    trainer.add_callback(QuietProgress)
    return trainer, collator, log
