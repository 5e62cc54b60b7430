"""Prepare stage: conversations.jsonl -> dataset/ (sessions, windows, time-ordered splits, ids + loss masks).

Never imports torch: tokenization uses the `tokenizers` library only.
"""

from __future__ import annotations

import copy
import difflib
import random
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from simulacra.errors import SimulacraError
from simulacra.io import atomic_dir, write_manifest, write_yaml
from simulacra.rundir import RunDir
from simulacra.models.embedded import context_window, resolve_tokenizer
from simulacra.formats.tokenizer import ChatTokenizer
from simulacra.prepare.config import PrepareConfig
from simulacra.prepare.pii.contacts import contact_table, rename_header, rename_message
from simulacra import pseudonyms
from simulacra.formats.render import make_renderer, speaker_token
from simulacra.prepare.splits import SPLITS, split_by_time
from simulacra.prepare.survey import Survey, chats, survey
from simulacra.prepare.windows import session_examples
from simulacra.prepare.writer import SplitWriter
from simulacra.sessions import iter_sessions

__all__ = ["PrepareConfig", "run"]


def run(config: PrepareConfig) -> Path:
    """Build dataset/{train,validation,test}.jsonl, tokenizer/, config.yaml and manifest.json.

    Two streaming passes over conversations.jsonl, so memory does not grow with the export: the survey
    (speakers, pseudonyms, session times for the split), then the examples, written as they are made.
    """
    started = time.time()
    run_dir = RunDir(config.run_dir)
    conv_path = run_dir.conversations
    found = survey(conv_path, config)
    counts: Counter = Counter(found.counts)
    config, contacts = pseudonymise(config, found, conv_path)
    mapping = contacts.mapping if contacts is not None else {}
    rename = lambda name: mapping.get(name, name)
    targets = resolve_speakers(config.speakers, Counter({rename(s): n for s, n in found.text_messages.items()}),
                               conv_path)
    tokenizer_dir = resolve_tokenizer(config.model)
    tokenizer = ChatTokenizer.load(tokenizer_dir)
    everyone = list(dict.fromkeys(rename(s) for chat in found.chats for s in chat.speaking))
    unknown = sorted(set(config.personas) - set(everyone))
    if unknown:
        raise SimulacraError(f"--persona {unknown[0]!r}: no such speaker in {conv_path}")
    renderer = make_renderer(config.style, tokenizer, speakers=everyone, personas=config.personas,
                             system_prompt=config.system_prompt)
    splits, counts["sessions_dropped_overlap"] = split_by_time(found.sessions, config.val_fraction,
                                                               config.test_fraction)
    out = run_dir.dataset
    with atomic_dir(out) as tmp:
        writer = SplitWriter(tmp, counts, context_window(config.model, tokenizer_dir))
        try:
            write_examples(conv_path, config, found, contacts, renderer, targets, splits, writer)
        finally:
            writer.close()
        writer.finish()
        for split in SPLITS:
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
    _report(out, config, counts, targets, contacts, writer)
    return out


def write_examples(path: Path, config: PrepareConfig, found: Survey, contacts, renderer, targets: set[str],
                   splits: dict, writer: SplitWriter) -> None:
    """The second pass: each session's messages scrubbed, renamed, cut into examples and written to its split."""
    kinds = set(config.kinds)
    gap = timedelta(minutes=config.session_gap_minutes)
    place = {(s.chat, s.index): (split, n) for split, spans in splits.items() for n, s in enumerate(spans)}
    auto = bool(config.scrub)
    for index, messages, _ in chats(path, config.message_cap):
        chat = found.chats[index]
        header = copy.copy(chat.header)
        if contacts is not None:
            rename_header(header, contacts, auto)
        def system_for(speakers: list[str]) -> str | None:  # the turns are renamed already
            return renderer.system_text(None, speakers)

        for session in iter_sessions(header.id, _clean(messages, chat.scrubber, contacts, kinds), gap, kinds):
            where = place.get((index, session.index))
            if where is None:  # dropped for overlapping a later split
                continue
            examples = session_examples(session, renderer, targets, system_for, config.window_turns,
                                        config.max_seq_len, writer.counts, **_window_args(config, session))
            writer.add(where[0], where[1], examples)
        if chat.scrubber is not None:
            writer.counts.update({f"pii_{kind}": n for kind, n in chat.scrubber.counts.items()})


def _clean(messages, scrubber, contacts, kinds: set[str]):
    """Scrub first (the scrubber was fitted on the original names), then rename contacts."""
    for m in messages:
        if scrubber is not None and m.kind in kinds:
            m.text = scrubber.scrub(m.text)
        if contacts is not None:
            rename_message(m, contacts)
        yield m


def _report(out: Path, config: PrepareConfig, counts: Counter, targets: set[str], contacts, writer: SplitWriter):
    from simulacra.ui import console

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
    if counts["messages_cut"]:
        console.print(f"[yellow]warning:[/] {counts['messages_cut']:,} message(s) longer than "
                      f"{config.message_cap:,} characters were cut to that length (--max-message-chars)")
    if writer.too_long:
        console.print(f"[yellow]warning:[/] {writer.too_long:,} example(s) exceed the model's context window of "
                      f"{writer.context:,} tokens (longest {writer.longest:,}); lower --max-seq-len")


def pseudonymise(config: PrepareConfig, found: Survey, path: Path):
    """Speakers named by a phone number or e-mail become `Contact N` (or their alias) everywhere from here on.

    Returns the config with --as, --persona and the system prompt in the new names, and the pseudonyms
    (None when scrubbing is off and no alias is given).
    """
    if not config.scrub and not config.pseudonyms:
        return config, None
    previous = pseudonyms.load(RunDir(config.run_dir).dataset)
    names = [n for chat in found.chats for n in chat.names]
    table = contact_table(names, config.pseudonyms, auto=bool(config.scrub), previous=previous)
    missing = [name for name in config.pseudonyms if table.lookup(name) == name]
    if missing:
        raise SimulacraError(f"--pseudonyms {missing[0]!r}: no speaker of that name in {path}")
    system = pseudonyms.apply(config.system_prompt, table) if config.system_prompt else config.system_prompt
    return config.model_copy(update={
        "speakers": [table.lookup(s) for s in config.speakers], "system_prompt": system,
        "personas": {table.lookup(k): v for k, v in config.personas.items()}}), table


def resolve_speakers(requested: list[str], counts: Counter, path: Path) -> set[str]:
    """Check the --as names against who actually speaks (`counts`: text messages per speaker); 'all' means
    every speaker with text."""
    if not counts:
        raise SimulacraError(f"{path}: no text messages to train on (the chat is empty, or holds only media "
                             "and notices)")
    if [s.lower() for s in requested] == ["all"]:
        return set(counts)
    unknown = [s for s in requested if s not in counts]
    if unknown:
        close = close_names(unknown[0], list(counts))
        hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
        known = ", ".join(f"{name!r} ({n})" for name, n in counts.most_common(10))
        raise SimulacraError(f"{path}: no speaker named {unknown[0]!r}{hint}; speakers with messages: {known}")
    return set(requested)


def close_names(name: str, known: list[str]) -> list[str]:
    """Speakers the user probably meant: same name in other case, a first or last name, then a near spelling."""
    wanted = name.casefold().strip()
    words = [k for k in known if wanted == k.casefold() or wanted in k.casefold().split()]
    if words:
        return words[:3]
    folded = {k.casefold(): k for k in known}
    return [folded[c] for c in difflib.get_close_matches(wanted, list(folded), n=3, cutoff=0.6)]


def _window_args(config: PrepareConfig, session) -> dict:
    """Random windows get their own seeded generator per session, so order of processing never matters."""
    if config.windows != "random":
        return {}
    rng = random.Random(f"{config.seed}/{session.conversation_id}/{session.index}")
    return {"min_turns": config.min_window_turns, "rng": rng}


def _split_times(splits) -> dict:
    out = {}
    for name, sessions in splits.items():
        starts = [s.start for s in sessions if s.start]
        ends = [s.end for s in sessions if s.end]
        out[name] = {"first": min(starts).isoformat() if starts else None,
                     "last": max(ends).isoformat() if ends else None}
    return out
