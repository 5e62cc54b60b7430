"""Analyze stage: conversations.jsonl (and dataset/) -> analysis/ (index.html, analysis.json, manifest.json).

Never imports torch; only the optional emotion comparison (--emotions) loads the tuned model, lazily.
"""

from __future__ import annotations

import time
from pathlib import Path

from simulacra.analyze.config import AnalyzeConfig
from simulacra.analyze.dataset import dataset_summary, prepared_settings
from simulacra.analyze.stats import (headline, latency_summary, lengths, monthly, per_speaker, reply_latencies,
                                     weekday_hour)
from simulacra.analyze.words import top_words
from simulacra.errors import SimulacraError
from simulacra.io import atomic_dir, atomic_write, write_json, write_manifest, write_yaml
from simulacra.rundir import RunDir
from simulacra.schema import read_conversations

__all__ = ["AnalyzeConfig", "run", "ANALYSIS"]

ANALYSIS = "analysis"


def run(config: AnalyzeConfig) -> Path:
    """Write analysis/index.html (navigable report with plots), analysis.json (every number shown) and manifest."""
    from simulacra.analyze.html import page
    from simulacra.ui import console

    started = time.time()
    run_dir = RunDir(config.run_dir)
    conv_path = run_dir.conversations
    conversations = list(read_conversations(conv_path))
    if not any(c.messages for c in conversations):
        raise SimulacraError(f"{conv_path}: no messages to analyze")
    analysis, raw = measure(conversations, config)
    if _emotions_on(config):
        analysis["emotions"] = emotion_comparison(config, analysis)
    out = config.run_dir / ANALYSIS
    inputs = [conv_path] + [p for p in run_dir.dataset.glob("*.jsonl")]
    with atomic_dir(out) as tmp:
        write_json(tmp / "analysis.json", analysis)
        with atomic_write(tmp / "index.html") as f:
            f.write(page(analysis, raw, config))
        write_yaml(tmp / "config.yaml", config.dump())
        write_manifest(tmp / "manifest.json", stage="analyze", inputs=inputs, started=started,
                       counts={k: analysis["headline"][k] for k in ("conversations", "speakers", "messages")})
    h = analysis["headline"]
    console.print(f"[green]✓[/] analysis: {h['messages']} messages from {h['speakers']} speakers, "
                  f"{(h['first'] or '?')[:10]} to {(h['last'] or '?')[:10]} → {out / 'index.html'}")
    return out


def measure(conversations, config: AnalyzeConfig) -> tuple[dict, dict]:
    """Every number of the report (JSON-ready) and the raw value lists its histograms are drawn from."""
    settings = prepared_settings(RunDir(config.run_dir).dataset)
    gap = config.session_gap_minutes or settings.get("session_gap_minutes") or 60.0
    kinds = set(settings.get("kinds") or ["text"])
    speakers = per_speaker(conversations)
    named = list(speakers)[:config.top_speakers]
    latencies = reply_latencies(conversations)
    length_table, sessions, raw = lengths(conversations, gap, kinds)
    length_table = {who: length_table[who] for who in speakers if who in length_table}  # most active first
    words, emoji = top_words(conversations, config.top_words, kinds)
    data, token_lengths = dataset_summary(RunDir(config.run_dir).dataset)
    raw |= {"latency": {who: [v for (_, to), vs in latencies.items() if to == who for v in vs] for who in named},
            "token_lengths": token_lengths}
    return {"headline": headline(conversations), "speakers": speakers, "monthly": monthly(conversations, named),
            "weekday_hour": weekday_hour(conversations),
            "latency": latency_summary(latencies, limit=2 * config.top_speakers),
            "lengths": length_table, "sessions": sessions, "top_words": words, "top_emoji": emoji,
            "dataset": data, "emotions": None}, raw


def _emotions_on(config: AnalyzeConfig) -> bool:
    weights = RunDir(config.run_dir).weights
    if config.emotions and not weights.is_dir():
        raise SimulacraError(f"--emotions: {weights} not found (run `simulacra train {config.run_dir}` first)")
    return weights.is_dir() if config.emotions is None else config.emotions


def emotion_comparison(config: AnalyzeConfig, analysis: dict) -> dict:
    """The emotion comparison on the tuned model (the only part that imports torch)."""
    from simulacra.analyze.emotions import compare_emotions, pick_speakers
    from simulacra.analyze.model import model_embedders

    trained = (analysis["dataset"] or {}).get("speakers", [])
    chosen = pick_speakers(config.emotion_speakers, trained, list(analysis["speakers"]))
    unknown = [s for s in chosen if s not in analysis["speakers"]]
    if unknown:
        raise SimulacraError(f"--set emotion_speakers: no speaker named {unknown[0]!r} in {config.run_dir}")
    return compare_emotions(model_embedders(config.run_dir, chosen, config.emotion_layer), config.emotion_words)
