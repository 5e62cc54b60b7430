"""Generic CSV: one message per row (speaker/text/time/conversation columns, guessed or set by `columns`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from simulacra.ingest.common import csv_header, csv_rows
from simulacra.ingest.records import conversations, mapping, shape
from simulacra.schema import Conversation


def sniff(path: Path, head: str) -> bool:
    columns = csv_header(head)
    return len(columns) >= 2 and (mapping(columns, {}) is not None or shape(dict.fromkeys(columns)) != "flat")


def parse(path: Path, config: Any) -> Iterator[Conversation]:
    yield from conversations(path, csv_rows(path), dict(getattr(config, "columns", {}) or {}))
