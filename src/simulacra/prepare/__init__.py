"""Prepare stage: conversations.jsonl -> dataset/ (sessions, windows, time-ordered splits, ids + loss masks).

Never imports torch: tokenization uses the `tokenizers` library only.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import orjson

from simulacra.errors import SimulacraError
from simulacra.io import atomic_dir, atomic_write, write_manifest, write_yaml
from simulacra.rundir import RunDir
from simulacra.models.embedded import resolve_tokenizer
from simulacra.formats.tokenizer import ChatTokenizer
from simulacra.prepare.config import PrepareConfig
from simulacra.prepare.pii import Scrubber
from simulacra.prepare.pii.contacts import rename_contacts
from simulacra import pseudonyms
from simulacra.formats.render import make_renderer, speaker_token
from simulacra.prepare.sessions import split_sessions
from simulacra.prepare.splits import SPLITS, split_by_time
from simulacra.prepare.windows import session_examples
from simulacra.schema import Conversation, read_conversations

__all__ = ["PrepareConfig", "run"]


def run(config: PrepareConfig) -> Path:
    """Build dataset/{train,validation,test}.jsonl, tokenizer/, config.yaml and manifest.json."""
    from simulacra.ui import console

    started = time.time()
    run_dir = RunDir(config.run_dir)
    conv_path = run_dir.conversations
    conversations = list(read_conversations(conv_path))
    kinds = set(config.kinds)
    # Scrub first: the region guess reads the speakers' original names (phone numbers) before they are renamed.
    counts: Counter = Counter(scrub_conversations(conversations, config, kinds))
    config, contacts = pseudonymise(config, conversations, conv_path)
    targets = resolve_speakers(config.speakers, conversations, conv_path)
    tokenizer = ChatTokenizer.load(resolve_tokenizer(config.model))
    everyone = list(dict.fromkeys(s for c in conversations for s in _speaking(c, kinds)))
    unknown = sorted(set(config.personas) - set(everyone))
    if unknown:
        raise SimulacraError(f"--persona {unknown[0]!r}: no such speaker in {conv_path}")
    renderer = make_renderer(config.style, tokenizer, speakers=everyone, personas=config.personas,
                             system_prompt=config.system_prompt)

    sessions, system_texts = [], {}
    for conv in conversations:
        counts.update(f"skipped_kind_{m.kind}" for m in conv.messages if m.kind not in kinds)
        system_texts[conv.id] = renderer.system_text(None, _speaking(conv, kinds))
        sessions += split_sessions(conv, timedelta(minutes=config.session_gap_minutes), kinds)
    splits, counts["sessions_dropped_overlap"] = split_by_time(sessions, config.val_fraction, config.test_fraction)

    out = run_dir.dataset
    with atomic_dir(out) as tmp:
        for split in SPLITS:
            examples = [ex for s in splits[split] for ex in session_examples(
                s, renderer, targets, system_texts[s.conversation_id], config.window_turns, config.max_seq_len,
                counts, **_window_args(config, s))]
            _write_split(tmp / f"{split}.jsonl", examples, split, counts)
            counts[f"{split}_sessions"] = len(splits[split])
        tokenizer.save(tmp / "tokenizer")
        token_map = {name: speaker_token(name) for name in everyone} if config.style == "speaker-tokens" else {}
        # The aliases are keyed by the originals: they live on only as hashes in pseudonyms.json.
        write_yaml(tmp / "config.yaml", config.dump() | {"speakers": sorted(targets), "speaker_tokens": token_map,
                                                         "pseudonyms": {}})
        if contacts is not None and contacts.keys:
            pseudonyms.save(tmp, contacts)
        write_manifest(tmp / "manifest.json", stage="prepare", inputs=[conv_path], counts=dict(counts),
                       started=started, split_times=_split_times(splits))
    console.print(f"[green]✓[/] dataset: {counts['train_examples']} train / {counts['validation_examples']} "
                  f"validation / {counts['test_examples']} test examples, training {', '.join(sorted(targets))} "
                  f"({counts['train_trained_tokens']} trained tokens) → {out}")
    scrubbed = {k[4:]: n for k, n in sorted(counts.items()) if k.startswith("pii_")}
    if scrubbed:
        console.print("  personal data replaced: " + ", ".join(f"{k} {n}" for k, n in scrubbed.items()))
    if contacts is not None and contacts.mapping:
        console.print("  speakers renamed (--as and chat --persona accept either name): " + ", ".join(
            f"{pseudonyms.INVISIBLE.sub('', original)} → {alias}" for original, alias in contacts.mapping.items()),
            markup=False, highlight=False)
    return out


def scrub_conversations(conversations: list[Conversation], config: PrepareConfig, kinds: set[str]) -> dict[str, int]:
    """Replace personal data in the text that will be trained on; returns counts like {"pii_phone": 3}."""
    if not config.scrub and not config.block_words:
        return {}
    counts: Counter = Counter()
    for conv in conversations:
        texts = [m.text for m in conv.messages if m.kind in kinds]
        names = {m.speaker for m in conv.messages} | set(conv.participants)
        scrubber = Scrubber.for_chat(texts, names, config.scrub, config.block_words, config.phone_regions)
        for m in conv.messages:
            if m.kind in kinds:
                m.text = scrubber.scrub(m.text)
        counts.update(scrubber.counts)
    return {f"pii_{kind}": n for kind, n in counts.items()}


def pseudonymise(config: PrepareConfig, conversations: list[Conversation], path: Path):
    """Speakers named by a phone number or e-mail become `Contact N` (or their alias) everywhere from here on.

    Returns the config with --as, --persona and the system prompt in the new names, and the pseudonyms
    (None when scrubbing is off and no alias is given).
    """
    if not config.scrub and not config.pseudonyms:
        return config, None
    previous = pseudonyms.load(RunDir(config.run_dir).dataset)
    table = rename_contacts(conversations, config.pseudonyms, auto=bool(config.scrub), previous=previous)
    missing = [name for name in config.pseudonyms if table.lookup(name) == name]
    if missing:
        raise SimulacraError(f"--pseudonyms {missing[0]!r}: no speaker of that name in {path}")
    system = pseudonyms.apply(config.system_prompt, table) if config.system_prompt else config.system_prompt
    return config.model_copy(update={
        "speakers": [table.lookup(s) for s in config.speakers], "system_prompt": system,
        "personas": {table.lookup(k): v for k, v in config.personas.items()}}), table


def resolve_speakers(requested: list[str], conversations: list[Conversation], path: Path) -> set[str]:
    """Check the --as names against who actually speaks; 'all' means every speaker with text."""
    counts = Counter(m.speaker for c in conversations for m in c.messages if m.kind == "text")
    if [s.lower() for s in requested] == ["all"]:
        return set(counts)
    unknown = [s for s in requested if s not in counts]
    if unknown:
        known = ", ".join(f"{name!r} ({n})" for name, n in counts.most_common(10))
        raise SimulacraError(f"{path}: no speaker named {unknown[0]!r}; speakers with messages: {known}")
    return set(requested)


def _window_args(config: PrepareConfig, session) -> dict:
    """Random windows get their own seeded generator per session, so order of processing never matters."""
    if config.windows != "random":
        return {}
    rng = random.Random(f"{config.seed}/{session.conversation_id}/{session.index}")
    return {"min_turns": config.min_window_turns, "rng": rng}


def _speaking(conv: Conversation, kinds: set[str]) -> list[str]:
    seen: dict[str, None] = {}
    for m in conv.messages:
        if m.kind in kinds:
            seen.setdefault(m.speaker)
    return list(seen)


def _write_split(path: Path, examples, split: str, counts: Counter) -> None:
    with atomic_write(path, "wb") as f:
        for ex in examples:
            f.write(orjson.dumps(ex.to_dict()) + b"\n")
    counts[f"{split}_examples"] = len(examples)
    counts[f"{split}_tokens"] = sum(len(ex.input_ids) for ex in examples)
    counts[f"{split}_trained_tokens"] = sum(sum(ex.mask) for ex in examples)


def _split_times(splits) -> dict:
    out = {}
    for name, sessions in splits.items():
        starts = [s.start for s in sessions if s.start]
        ends = [s.end for s in sessions if s.end]
        out[name] = {"first": min(starts).isoformat() if starts else None,
                     "last": max(ends).isoformat() if ends else None}
    return out
