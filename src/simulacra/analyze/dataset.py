"""What prepare made of the chat: example counts, token lengths against max_seq_len, what was cut to fit.

Reads dataset/ as files (config.yaml, manifest.json, <split>.jsonl); a stage never imports another stage.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import yaml

from simulacra.analyze.stats import quantiles

SPLITS = ("train", "validation", "test")
CUT_COUNTS = {"trimmed_turns": "turns dropped from the start of a window so it fits max_seq_len",
              "skipped_turns_too_long": "turns longer than max_seq_len on their own (skipped)",
              "dropped_no_trained_token": "windows dropped: no turn of a trained speaker left"}


def prepared_settings(folder: Path) -> dict:
    """dataset/config.yaml as a plain dict ({} when the run is not prepared)."""
    path = folder / "config.yaml"
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}


def dataset_summary(folder: Path) -> tuple[dict | None, dict[str, list[int]]]:
    """Counts and token-length quantiles per split, plus the raw lengths for the plot; None if not prepared."""
    settings = prepared_settings(folder)
    if not settings or not (folder / "manifest.json").is_file():
        return None, {}
    counts = orjson.loads((folder / "manifest.json").read_bytes()).get("counts", {})
    max_len = int(settings.get("max_seq_len", 0))
    lengths: dict[str, list[int]] = {}
    splits = {}
    for split in SPLITS:
        path = folder / f"{split}.jsonl"
        if not path.is_file():
            continue
        rows = [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
        lengths[split] = [len(r["input_ids"]) for r in rows]
        splits[split] = {"examples": len(rows), "tokens": sum(lengths[split]),
                         "trained_tokens": sum(sum(r["mask"]) for r in rows),
                         "near_limit": sum(n > 0.9 * max_len for n in lengths[split]),
                         "longest": max(lengths[split], default=0), "token_lengths": quantiles(lengths[split])}
    return {"max_seq_len": max_len, "style": settings.get("style"), "speakers": settings.get("speakers", []),
            "session_gap_minutes": settings.get("session_gap_minutes"), "splits": splits,
            "cut": {key: int(counts.get(key, 0)) for key in CUT_COUNTS}}, lengths
