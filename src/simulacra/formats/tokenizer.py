"""A thin tokenizer over the `tokenizers` library: ids without torch, for prepare, chat and evaluate.

Rendering builds ids part by part, so all we need is "encode this text without special tokens",
"decode these ids" and the id of a special token.
"""

from __future__ import annotations

from pathlib import Path

from tokenizers import AddedToken, Tokenizer

from simulacra.errors import SimulacraError

TOKENIZER_FILE = "tokenizer.json"


class ChatTokenizer:
    """Wraps a `tokenizers.Tokenizer`; `encode("hi")` gives ids with no BOS/EOS added."""

    def __init__(self, tokenizer: Tokenizer):
        self.tokenizer = tokenizer

    @classmethod
    def load(cls, name_or_dir: str | Path) -> "ChatTokenizer":
        """Load from a folder holding tokenizer.json. Model names are resolved to a folder first, by
        `simulacra.models.embedded.resolve_tokenizer` (the one place that decides whether to go online)."""
        folder = Path(name_or_dir)
        if not folder.is_dir():
            raise SimulacraError(f"{folder}: not a tokenizer folder")
        if not (folder / TOKENIZER_FILE).is_file():
            raise SimulacraError(f"{folder}: no {TOKENIZER_FILE} (only fast tokenizers are supported)")
        return cls(Tokenizer.from_file(str(folder / TOKENIZER_FILE)))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.tokenizer.save(str(folder / TOKENIZER_FILE))

    def encode(self, text: str) -> list[int]:
        return self.tokenizer.encode(text, add_special_tokens=False).ids

    def decode(self, ids: list[int], skip_special_tokens: bool = False) -> str:
        return self.tokenizer.decode(ids, skip_special_tokens=skip_special_tokens)

    def token_id(self, token: str) -> int | None:
        return self.tokenizer.token_to_id(token)

    def ensure_special_tokens(self, tokens: list[str]) -> list[str]:
        """Add missing special tokens (the model's embeddings are resized at train time); returns the added ones."""
        missing = [t for t in tokens if self.token_id(t) is None]
        if missing:
            self.tokenizer.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in missing])
        return missing

    def __len__(self) -> int:
        return self.tokenizer.get_vocab_size(with_added_tokens=True)
