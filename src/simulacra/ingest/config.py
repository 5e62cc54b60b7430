"""Settings of the ingest stage: which exports to read, where to write, and how to read them."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from simulacra.config import StageConfig, cli
from simulacra.ingest.registry import FORMATS


class IngestConfig(StageConfig):
    """Read chat exports and write one normalised `conversations.jsonl` into the run directory."""

    inputs: list[Path] = Field(
        ..., min_length=1, description="Export files or folders to read (format detected from content).",
                          json_schema_extra=cli(argument=True, optional=True))
    out: Path = Field(Path("runs/default"), description="Run directory; conversations.jsonl is written inside it.",
                          json_schema_extra=cli(short="-o"))
    format: str | None = Field(
        None, description=f"Force a parser instead of detecting the format: {', '.join(FORMATS)}.")
    chats: list[str] = Field(
        default_factory=list,
        description="Keep only this chat, by name or id (Telegram full account, Slack channels, Discord "
                    "package; repeatable); none given keeps all.", json_schema_extra=cli("--chat", metavar="NAME"))
    aliases: dict[str, str] = Field(
        default_factory=dict,
        description="Merge speaker names: 'Ana B.=Ana' renames every 'Ana B.' to 'Ana' (repeatable).",
                          json_schema_extra=cli("--alias", split_last=True, metavar="'OLD NAME=NEW NAME'"))
    date_order: Literal["dmy", "mdy", "ymd"] | None = Field(
        None, description="Day/month order for WhatsApp-style dates when the whole file cannot decide it.")
    columns: dict[str, str] = Field(
        default_factory=dict,
        description="Generic CSV/JSONL: which field holds speaker, text, time or conversation, e.g. "
                    "speaker=author (repeatable).", json_schema_extra=cli("--column", metavar="ROLE=FIELD"))

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
        if value is not None and value not in FORMATS:
            raise ValueError(f"unknown format {value!r}; choose one of {', '.join(FORMATS)}")
        return value

