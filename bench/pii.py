"""PII scrubbing recall and false alarms on the labelled chat lines in bench/data/pii_lines.jsonl.

Runs the Scrubber with prepare's default settings (kinds, block words, phone regions inferred per chat)
over each chat of the set, and prints per-kind recall and the share of ordinary lines changed, for the
dev part, the held-out part (written before tuning) and all lines. Last line:

    pii recall: phone P%, email E%, card C%, iban I%, url U%; ordinary lines changed F%

Usage: PYTHONPATH=src python bench/pii.py [--split dev|heldout|all] [--baseline a63fcd2] [-v]
(--baseline first scores the single-module scrubber of that commit, with its own defaults.)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

DATA = Path(__file__).parent / "data" / "pii_lines.jsonl"
KINDS = ("phone", "email", "card", "iban", "url")


def load(path: Path = DATA) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def default_scrubber(texts: list[str]):
    """The scrubber prepare builds for a chat with its default settings."""
    from simulacra.prepare.config import PrepareConfig
    from simulacra.prepare.pii import Scrubber

    fields = PrepareConfig.model_fields
    return Scrubber.for_chat(texts, kinds=fields["scrub"].default, block_words=fields["block_words"].default,
                             phone_regions=fields["phone_regions"].default)


def baseline_scrubber(rev: str):
    """The scrubber of an older commit (when pii was one module), with its defaults: no region inference."""
    import importlib.util
    import subprocess
    import tempfile

    source = subprocess.run(["git", "show", f"{rev}:src/simulacra/prepare/pii.py"], capture_output=True,
                            text=True, check=True, cwd=Path(__file__).parent).stdout
    path = Path(tempfile.mkdtemp()) / "old_pii.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("old_pii", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return lambda texts: module.Scrubber()


def caught(span: dict, out: str, placeholder: str) -> bool:
    """The span's text is gone, so is its tail (no half-scrubbed number), and its placeholder is there."""
    tail = re.sub(r"[\W_]", "", span["text"])[-4:]
    return span["text"] not in out and tail not in re.sub(r"[\W_]", "", out) and placeholder in out


def score(rows: list[dict], make_scrubber=default_scrubber) -> dict:
    """Per-kind (caught, total), ordinary (changed, total) and the lines that went wrong."""
    from simulacra.prepare.pii import PLACEHOLDERS

    chats = defaultdict(list)
    for row in rows:
        chats[row["chat"]].append(row)
    hits, totals, misses, changed = Counter(), Counter(), [], []
    ordinary = 0
    for lines in chats.values():
        scrubber = make_scrubber([r["text"] for r in lines])
        for row in lines:
            out = scrubber.scrub(row["text"])
            if not row["pii"]:
                ordinary += 1
                if out != row["text"]:
                    changed.append((row["text"], out))
            for span in row["pii"]:
                totals[span["kind"]] += 1
                if caught(span, out, PLACEHOLDERS[span["kind"]]):
                    hits[span["kind"]] += 1
                else:
                    misses.append((span["kind"], row["text"], out))
    return {"hits": hits, "totals": totals, "ordinary": ordinary, "changed": changed, "misses": misses}


def summary(result: dict) -> str:
    recall = ", ".join(f"{k} {_pct(result['hits'][k], result['totals'][k])}%" for k in KINDS)
    return f"pii recall: {recall}; ordinary lines changed {_pct(len(result['changed']), result['ordinary'])}%"


def _pct(n: int, total: int) -> str:
    return f"{100 * n / total:.1f}" if total else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="all", choices=["dev", "heldout", "all"])
    parser.add_argument("-v", "--verbose", action="store_true", help="print each miss and each changed line")
    parser.add_argument("--baseline", metavar="COMMIT", help="also score the scrubber of this commit")
    args = parser.parse_args()
    rows = load()
    if args.baseline:
        old = baseline_scrubber(args.baseline)
        for part in ("dev", "heldout", "all"):
            chosen = [r for r in rows if part == "all" or r["split"] == part]
            print(f"baseline {args.baseline} {part}: {summary(score(chosen, old))}")
    for part in ("dev", "heldout"):
        result = score([r for r in rows if r["split"] == part])
        counts = ", ".join(f"{k} {result['hits'][k]}/{result['totals'][k]}" for k in KINDS)
        print(f"{part:8s} {counts}; ordinary changed {len(result['changed'])}/{result['ordinary']}")
    chosen = rows if args.split == "all" else [r for r in rows if r["split"] == args.split]
    result = score(chosen)
    if args.verbose:
        for kind, text, out in result["misses"]:
            print(f"  missed {kind}: {text!r} -> {out!r}", file=sys.stderr)
        for text, out in result["changed"]:
            print(f"  changed: {text!r} -> {out!r}", file=sys.stderr)
    print(f"{args.split}: {len(chosen)} lines, {sum(result['totals'].values())} spans, {result['ordinary']} ordinary")
    print(summary(result))


if __name__ == "__main__":
    main()
