"""The run folder: where every artifact of one person's pipeline lives, and the "run X first" errors.

    runs/ana/
      conversations.jsonl ingest.yaml ingest.manifest.json   ingest
      dataset/  {train,validation,test}.jsonl tokenizer/ config.yaml manifest.json pseudonyms.json
      model/    weights/ checkpoints/ logs/ merged/ converted/<engine>-<hash>/ config.yaml manifest.json
      report/   report.json index.html generations.jsonl                 evaluate
      analysis/ steering/ cache/ export/<format>/                       analyze, steer, attribute, export

Every stage asks this object for paths, so a layout change happens in one place, and a missing
earlier stage is reported the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import orjson
import yaml

from simulacra.errors import SimulacraError
from simulacra.schema import Example

SPLITS = ("train", "validation", "test")


@dataclass(frozen=True)
class DatasetSpec:
    """What prepare decided and every later stage must reproduce: the base model, who is trained, the style."""

    model: str
    speakers: list[str]
    style: str = "roles"
    system_prompt: str | None = None
    personas: dict[str, str] = field(default_factory=dict)
    speaker_tokens: dict[str, str] = field(default_factory=dict)
    kinds: list[str] = field(default_factory=lambda: ["text"])  # message kinds kept as turns
    settings: dict = field(default_factory=dict)  # the whole saved dataset/config.yaml

    @classmethod
    def from_settings(cls, d: dict) -> "DatasetSpec":
        return cls(model=d.get("model") or "smollm2-135m", speakers=list(d.get("speakers") or []),
                   style=d.get("style") or "roles", system_prompt=d.get("system_prompt"),
                   personas=dict(d.get("personas") or {}), speaker_tokens=dict(d.get("speaker_tokens") or {}),
                   kinds=list(d.get("kinds") or ["text"]), settings=dict(d))


@dataclass(frozen=True)
class RunDir:
    """One run folder. Paths are plain properties; `require_*` raise the error naming the verb to run first."""

    root: Path

    def __post_init__(self):
        object.__setattr__(self, "root", Path(self.root))
        if self.root.exists() and not self.root.is_dir():
            raise SimulacraError(f"{self.root}: is a file; a run directory is a folder (e.g. runs/ana)")

    # --- ingest ---------------------------------------------------------------------------------
    @property
    def conversations(self) -> Path:
        return self.root / "conversations.jsonl"

    # --- prepare --------------------------------------------------------------------------------
    @property
    def dataset(self) -> Path:
        return self.root / "dataset"

    @property
    def dataset_config(self) -> Path:
        return self.dataset / "config.yaml"

    @property
    def dataset_tokenizer(self) -> Path:
        return self.dataset / "tokenizer"

    @property
    def pseudonyms(self) -> Path:
        return self.dataset / "pseudonyms.json"

    def split(self, name: str) -> Path:
        if name not in SPLITS:
            raise SimulacraError(f"split {name!r}: expected one of {', '.join(SPLITS)}")
        return self.dataset / f"{name}.jsonl"

    # --- train ----------------------------------------------------------------------------------
    @property
    def model(self) -> Path:
        return self.root / "model"

    @property
    def weights(self) -> Path:
        return self.model / "weights"

    @property
    def checkpoints(self) -> Path:
        return self.model / "checkpoints"

    @property
    def train_config(self) -> Path:
        return self.model / "config.yaml"

    @property
    def merged(self) -> Path:
        return self.model / "merged"

    def converted(self, engine: str, weights_hash: str) -> Path:
        """A fast decoder's copy of the merged weights, keyed by their hash so retraining rebuilds it."""
        return self.model / "converted" / f"{engine}-{weights_hash[:16]}"

    # --- later verbs ----------------------------------------------------------------------------
    @property
    def report(self) -> Path:
        return self.root / "report"

    @property
    def analysis(self) -> Path:
        return self.root / "analysis"

    @property
    def steering(self) -> Path:
        return self.root / "steering"

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    def export(self, fmt: str) -> Path:
        return self.root / "export" / fmt

    # --- checks ---------------------------------------------------------------------------------
    def require_conversations(self) -> Path:
        if not self.conversations.is_file():
            raise SimulacraError(f"{self.conversations}: no conversations (run `simulacra ingest EXPORT -o "
                                 f"{self.root}` first)")
        return self.conversations

    def require_dataset(self) -> Path:
        if not self.dataset_config.is_file():
            raise SimulacraError(f"{self.dataset}: no prepared dataset (run `simulacra prepare {self.root} "
                                 f"--as NAME` first)")
        return self.dataset

    def require_weights(self) -> Path:
        if not self.weights.is_dir():
            raise SimulacraError(f"{self.weights}: no trained model (run `simulacra train {self.root}` first)")
        return self.weights

    def require_report(self) -> Path:
        path = self.report / "report.json"
        if not path.is_file():
            raise SimulacraError(f"{path}: no report (run `simulacra evaluate {self.root}` first)")
        return path

    # --- readers --------------------------------------------------------------------------------
    def dataset_spec(self) -> DatasetSpec:
        self.require_dataset()
        return DatasetSpec.from_settings(yaml.safe_load(self.dataset_config.read_text(encoding="utf-8")) or {})

    def tokenizer(self):
        """The tokenizer prepare saved (with any speaker tokens it added)."""
        from simulacra.formats.tokenizer import ChatTokenizer

        self.require_dataset()
        return ChatTokenizer.load(self.dataset_tokenizer)

    def iter_examples(self, split: str) -> Iterator[Example]:
        self.require_dataset()
        path = self.split(split)
        if not path.is_file():
            raise SimulacraError(f"{path}: missing (run `simulacra prepare {self.root}` again)")
        with open(path, "rb") as f:
            for line in f:
                if line.strip():
                    yield Example.from_dict(orjson.loads(line))

    def examples(self, split: str) -> list[Example]:
        return list(self.iter_examples(split))

    def weights_hash(self) -> str:
        """sha256 over model/weights/ (names and bytes): caches built from these weights are keyed by it."""
        import hashlib

        h = hashlib.sha256()
        for path in sorted(p for p in self.require_weights().rglob("*") if p.is_file()):
            h.update(str(path.relative_to(self.weights)).encode())
            with open(path, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
        return h.hexdigest()

    def base_model_name(self) -> str:
        """The model training started from: model/config.yaml's, else the one prepare tokenized for."""
        if self.train_config.is_file():
            name = (yaml.safe_load(self.train_config.read_text(encoding="utf-8")) or {}).get("model")
            if name:
                return name
        return self.dataset_spec().model
