"""Settings of the ingest stage: which exports to read, where to write, and how to read them."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from simulacra.config import StageConfig
from simulacra.errors import SimulacraError


class IngestConfig(StageConfig):
    """Read chat exports and write one normalised `conversations.jsonl` into the run directory."""

    inputs: list[Path] = Field(
        ..., min_length=1, description="Export files or folders to read (format detected from content).")
    out: Path = Field(Path("runs/default"), description="Run directory; conversations.jsonl is written inside it.")
    format: str | None = Field(
        None, description="Force a parser instead of detecting the format (e.g. whatsapp, telegram).")
    chats: list[str] = Field(
        default_factory=list,
        description="Chats to keep, by name or id (Telegram full account, Slack channels, Discord package); "
                    "empty keeps all.")
    aliases: dict[str, str] = Field(
        default_factory=dict, description="Merge speaker names: {'Ana B.': 'Ana'} renames every 'Ana B.' to 'Ana'.")
    date_order: Literal["dmy", "mdy", "ymd"] | None = Field(
        None, description="Day/month order for WhatsApp-style dates when the whole file cannot decide it.")
    columns: dict[str, str] = Field(
        default_factory=dict,
        description="Generic CSV/JSONL field mapping, e.g. {'speaker': 'author', 'text': 'body', 'time': 'date', "
                    "'conversation': 'thread'}.")

    @field_validator("columns")
    @classmethod
    def _known_roles(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = set(value) - {"speaker", "text", "time", "conversation"}
        if unknown:
            raise ValueError(f"unknown column role(s) {sorted(unknown)}; use speaker, text, time, conversation")
        return value

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: str | None) -> str | None:
        from simulacra.ingest.registry import FORMATS

        if value is not None and value not in FORMATS:
            raise ValueError(f"unknown format {value!r}; choose one of {', '.join(FORMATS)}")
        return value


def parse_aliases(pairs: list[str] | None) -> dict[str, str] | None:
    """Turn `--alias "Ana B.=Ana"` pairs into {"Ana B.": "Ana"}; None when no pair was given."""
    return _pairs("--alias", pairs, "'OLD NAME=NEW NAME'", last=True)


def parse_columns(pairs: list[str] | None) -> dict[str, str] | None:
    """Turn `--column speaker=author` pairs into {"speaker": "author"}; None when no pair was given."""
    return _pairs("--column", pairs, "ROLE=FIELD, e.g. speaker=author", last=False)


def _pairs(flag: str, pairs: list[str] | None, expected: str, last: bool) -> dict[str, str] | None:
    if not pairs:
        return None
    out: dict[str, str] = {}
    for pair in pairs:
        # A name may itself hold '=', so aliases split at the last one and columns at the first.
        key, sep, value = pair.rpartition("=") if last else pair.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise SimulacraError(f"{flag} {pair!r}: expected {expected}")
        out[key.strip()] = value.strip()
    return out
