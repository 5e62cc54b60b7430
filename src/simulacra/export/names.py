"""Who the exported chat speaks as: the persona (trained speaker, the assistant) and the user."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from simulacra.errors import SimulacraError
from simulacra.formats.messages import ChatNames, chat_names
from simulacra.rundir import RunDir
from simulacra.schema import chat_messages


@dataclass
class _Chat:
    """What the names need of one conversation: its message counts per speaker, never its messages."""

    every: Counter  # all kinds: who is in the chat, and how much they wrote
    kept: Counter  # the kinds prepare kept, speakers in order of their first message


def pick_names(run_dir: Path, prep, renderer, persona: str | None, user: str | None) -> ChatNames:
    """The persona (`--as`, or the one trained speaker), the user (`--user`, or the persona's partner
    with the most messages) and the system text of their most talkative chat, as prepare wrote it."""
    trained = list(prep.speakers)
    if persona is None:
        if len(trained) != 1:
            raise SimulacraError(f"export: several speakers were trained ({', '.join(trained)}); "
                                 "choose one with --as NAME")
        persona = trained[0]
    elif persona not in trained:
        raise SimulacraError(f"--as {persona!r}: not a trained speaker (trained: {', '.join(trained)})")
    kinds = set(prep.kinds)
    path = RunDir(run_dir).conversations
    chats = [c for c in _chats(path, kinds) if persona in c.every] if path.is_file() else []
    partners: Counter = Counter()
    for chat in chats:
        partners.update({name: n for name, n in chat.kept.items() if name != persona})
    if user is None:
        if not partners:
            raise SimulacraError(f"export: {persona} has no chat partner in {path}; name one with --user NAME")
        user = partners.most_common(1)[0][0]
    elif partners and user not in partners:
        raise SimulacraError(f"--user {user!r}: never chats with {persona} (partners: {', '.join(sorted(partners))})")
    # prepare's system text names the speakers of the chat where the user wrote most, in order of first message
    main = max(chats, key=lambda c: c.every[user], default=None)
    return chat_names(renderer, persona, user, (list(main.kept) if main else []) or [persona, user])


def _chats(path: Path, kinds: set[str]) -> list[_Chat]:
    """One pass over conversations.jsonl, a message at a time (a single exported chat can be the whole file)."""
    chats = []
    for _, messages in groupby(chat_messages(path), key=itemgetter(0)):
        chat = _Chat(Counter(), Counter())
        for _, m in messages:
            chat.every[m.speaker] += 1
            if m.kind in kinds:
                chat.kept[m.speaker] += 1
        chats.append(chat)
    return chats
