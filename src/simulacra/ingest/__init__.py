"""The ingest stage: chat exports in, one normalised `conversations.jsonl` out."""

from __future__ import annotations

import contextlib
import csv
import gc
import sqlite3
import time
import warnings
import zipfile
from pathlib import Path
from typing import Iterable, Iterator

from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from simulacra.errors import InputError
from simulacra.ingest.common import set_progress
from simulacra.ingest.config import IngestConfig
from simulacra.ingest.registry import parser, resolve
from simulacra.ingest.writer import Tally, write_stream
from simulacra.io import atomic_write, write_manifest, write_yaml
from simulacra.schema import Conversation, Message

__all__ = ["IngestConfig", "run", "list_speakers"]


def run(config: IngestConfig, console: Console | None = None) -> Path:
    """Parse every input and write conversations.jsonl, ingest.yaml and ingest.manifest.json in `out`."""
    console = console or Console(stderr=True)
    started = time.time()
    _check_out(Path(config.out))
    formats = resolve(config.inputs, config.format)  # fail fast, before any work
    out = Path(config.out) / "conversations.jsonl"  # RunDir.conversations, once --out is known to be a folder
    tally = Tally(count_words=False)  # words per speaker are for --list-speakers only
    with warnings.catch_warnings(record=True) as caught, _frozen_heap():
        warnings.simplefilter("always")
        with atomic_write(out, "wb") as sink:
            write_stream(sink, _conversations(config, formats, console), config.aliases, tally)
    notes = _report_warnings(caught, console)
    write_yaml(Path(config.out) / "ingest.yaml", config.dump())
    write_manifest(Path(config.out) / "ingest.manifest.json", stage="ingest", inputs=[Path(p) for p in formats],
                   counts=tally.counts(), started=started, formats=formats, warnings=notes)
    _summary(console, out, tally, formats)
    return out


def list_speakers(config: IngestConfig, console: Console | None = None) -> Tally:
    """Parse every input and print each speaker with message and word counts; writes nothing."""
    console = console or Console()
    formats = resolve(config.inputs, config.format)
    tally = Tally()
    with warnings.catch_warnings(record=True) as caught, _frozen_heap():
        warnings.simplefilter("always")
        write_stream(None, _conversations(config, formats, Console(stderr=True)), config.aliases, tally)
    _report_warnings(caught, Console(stderr=True))
    table = Table("speaker", "messages", "words", title=f"{len(tally.speakers)} speakers")
    for name, count in tally.speakers.most_common():
        table.add_row(escape(name), str(count), str(tally.words[name]))
    console.print(table)
    return tally


def _check_out(out: Path) -> None:
    """The run directory, or the nearest folder above it that exists, must be a folder."""
    for folder in (out, *out.parents):
        if folder.exists():
            if not folder.is_dir():
                what = "a run directory" if folder == out else f"a folder to create {out} in"
                raise InputError(folder, f"expected {what}, found a file (choose another --out)")
            return


@contextlib.contextmanager
def _frozen_heap() -> Iterator[None]:
    """Set the objects that exist before the stream aside from garbage collection while it runs: a
    stream makes millions of short-lived objects, and each full collection would walk them all again."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _conversations(config: IngestConfig, formats: dict[str, str], console: Console | None = None
                   ) -> Iterator[Conversation]:
    """Every input's conversations in order, with a progress bar per file on a terminal."""
    bar = None
    if console is not None and console.is_terminal:
        bar = Progress(*Progress.get_default_columns(), transient=True, console=console)
    with bar or contextlib.nullcontext():
        for path, fmt in formats.items():
            if bar is not None:
                task = bar.add_task(Path(path).name, total=None)
                set_progress(lambda done, total, task=task: bar.update(task, completed=done, total=total))
            try:
                yield from _guarded(Path(path), fmt, config)
            finally:
                set_progress(None)


# What a parser meeting a file it cannot make sense of may raise; each becomes a one-line InputError.
_PARSE_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError, OverflowError, OSError,
                 EOFError, zipfile.BadZipFile, sqlite3.Error, csv.Error)


def _guarded(path: Path, fmt: str, config: IngestConfig) -> Iterator[Conversation]:
    """A parser's conversations; a crash on malformed content becomes an InputError naming the file.

    Messages are often read lazily, after the conversation is handed over, so they are guarded too.
    """
    with _as_input_error(path, fmt):
        for conv in parser(fmt).parse(path, config):
            if _wanted(conv, config.chats, fmt):
                conv.messages = _guarded_messages(path, fmt, conv.messages)
                yield conv


def _guarded_messages(path: Path, fmt: str, messages: Iterable[Message]) -> Iterator[Message]:
    with _as_input_error(path, fmt):
        yield from messages


@contextlib.contextmanager
def _as_input_error(path: Path, fmt: str) -> Iterator[None]:
    try:
        yield
    except InputError:
        raise
    except UnicodeDecodeError as e:
        raise InputError(path, f"expected UTF-8 text (byte {e.start} of a read block: {e.reason})") from None
    except _PARSE_ERRORS as e:
        raise InputError(path, f"cannot read this file as a {fmt} export ({type(e).__name__}: {e})") from None


def _wanted(conv: Conversation, chats: list[str], fmt: str) -> bool:
    # Telegram picks its chats while streaming, so it never even decodes the ones left out.
    if not chats or fmt == "telegram":
        return True
    return conv.title in chats or conv.id in chats or conv.id.split("-", 1)[-1] in chats


def _report_warnings(caught: list, console: Console) -> list[str]:
    notes = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    for note in notes:
        console.print(f"[yellow]warning:[/] {escape(note)}", highlight=False)
    return notes


def _summary(console: Console, out: Path, tally: Tally, formats: dict[str, str]) -> None:
    kinds = ", ".join(f"{k} {n}" for k, n in tally.kinds.most_common())
    console.print(f"[bold]ingest[/]: {len(formats)} file(s) ({', '.join(sorted(set(formats.values())))}) → "
                  f"{tally.conversations} conversations, {tally.messages} messages ({kinds or 'none'}), "
                  f"{len(tally.speakers)} speakers → {escape(str(out))}", highlight=False)
