"""Read what prepare wrote: examples per split, the tokenizer and the saved config."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import orjson
import yaml

from simulacra.errors import SimulacraError
from simulacra.io import DATASET
from simulacra.formats.tokenizer import ChatTokenizer
from simulacra.prepare.config import PrepareConfig
from simulacra.schema import Example


def dataset_dir(run_dir: Path) -> Path:
    path = Path(run_dir) / DATASET
    if not (path / "config.yaml").is_file():
        raise SimulacraError(f"{path}: no prepared dataset (run `simulacra prepare {run_dir} --as NAME` first)")
    return path


def load_prepare_config(run_dir: Path) -> PrepareConfig:
    return PrepareConfig(**yaml.safe_load((dataset_dir(run_dir) / "config.yaml").read_text(encoding="utf-8")))


def load_tokenizer(run_dir: Path) -> ChatTokenizer:
    return ChatTokenizer.load(dataset_dir(run_dir) / "tokenizer")


def iter_examples(run_dir: Path, split: str) -> Iterator[Example]:
    path = dataset_dir(run_dir) / f"{split}.jsonl"
    with open(path, "rb") as f:
        for line in f:
            if line.strip():
                yield Example.from_dict(orjson.loads(line))


def load_examples(run_dir: Path, split: str) -> list[Example]:
    return list(iter_examples(run_dir, split))
