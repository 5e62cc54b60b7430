"""Signal text exports: `[YYYY-MM-DD, HH:MM] Name: text`, the WhatsApp iOS grammar with ISO dates."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

from simulacra.ingest import whatsapp
from simulacra.schema import Conversation

_HEADER = re.compile(r"\[\d{4}-\d{2}-\d{2},? \d{1,2}:\d{2}\] ")


def sniff(path: Path, head: str) -> bool:
    first = next((ln for ln in head.splitlines() if ln.strip()), "")
    return bool(_HEADER.match(first.lstrip("\u200e")))


def parse(path: Path, config: Any) -> Iterator[Conversation]:
    # Only a synthetic sample was ever seen, so WhatsApp's markers are the best guess for notices.
    return whatsapp.parse(path, config, source="signal")
