"""Build the transformers Trainer: arguments from TrainConfig, the masked collator, TensorBoard and console logs."""

from __future__ import annotations

from pathlib import Path

import torch
from torch.utils.data import Dataset
from transformers import Trainer, TrainingArguments
from transformers.integrations import TensorBoardCallback

from simulacra.models.tokenizer import ChatTokenizer
from simulacra.train.callbacks import ConsoleLogCallback
from simulacra.train.collate import MaskedCollator
from simulacra.train.config import TrainConfig


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


def build_trainer(model, config: TrainConfig, train_rows, val_rows, tokenizer: ChatTokenizer, out: Path):
    from torch.utils.tensorboard import SummaryWriter

    pad_id = tokenizer.token_id("<|im_end|>") or 0  # padded positions carry no loss and no attention
    collator = MaskedCollator(pad_id=pad_id)
    log = ConsoleLogCallback(collator)
    args = TrainingArguments(
        output_dir=str(out / "checkpoints"),
        use_cpu=not torch.cuda.is_available(),
        per_device_train_batch_size=config.batch_size,
        per_device_eval_batch_size=config.batch_size,
        gradient_accumulation_steps=config.grad_accum,
        learning_rate=config.learning_rate,
        lr_scheduler_type=config.lr_scheduler,
        warmup_steps=config.warmup_ratio,  # a float below 1 is a share of the total steps
        num_train_epochs=config.epochs,
        max_steps=config.max_steps or -1,
        logging_steps=config.logging_steps,
        save_strategy="steps",
        save_steps=config.save_steps,
        save_total_limit=config.save_total_limit,
        eval_strategy="no",
        report_to="none",
        seed=config.seed,
        remove_unused_columns=False,
        dataloader_num_workers=0,
        # Batches of similar length waste less compute on padding.
        train_sampling_strategy="group_by_length",
        disable_tqdm=False,
    )
    tensorboard = TensorBoardCallback(tb_writer=SummaryWriter(log_dir=str(out / "logs")))
    trainer = Trainer(
        model=model, args=args, train_dataset=RowsDataset(train_rows),
        eval_dataset=RowsDataset(val_rows) if val_rows else None,
        data_collator=collator, callbacks=[tensorboard, log],
    )
    return trainer, collator, log

