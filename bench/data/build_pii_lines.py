"""Build pii_lines.jsonl from the hand-written pii_lines.txt: one record per chat line with its marked spans."""

from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).parent
MARK = re.compile(r"\[(phone|email|card|iban|url)\|([^\]]+)\]")


def parse(source: str) -> list[dict]:
    records, chat, split = [], None, None
    for raw in source.splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        if raw.startswith("@ "):
            fields = dict(f.split("=", 1) for f in raw[2:].split())
            chat, split = fields["chat"], fields["split"]
            continue
        text, spans, pos = "", [], 0
        for m in MARK.finditer(raw):
            text += raw[pos:m.start()]
            spans.append({"kind": m.group(1), "start": len(text), "end": len(text) + len(m.group(2)),
                          "text": m.group(2)})
            text += m.group(2)
            pos = m.end()
        text += raw[pos:]
        records.append({"chat": chat, "split": split, "text": text, "pii": spans})
    return records


if __name__ == "__main__":
    rows = parse((HERE / "pii_lines.txt").read_text(encoding="utf-8"))
    with open(HERE / "pii_lines.jsonl", "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} lines → {HERE / 'pii_lines.jsonl'}")
