"""Who the exported chat speaks as: the persona (trained speaker, the assistant) and the user."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from simulacra.errors import SimulacraError
from simulacra.formats.messages import ChatNames, chat_names
from simulacra.rundir import RunDir
from simulacra.schema import read_conversations


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
    convs = [c for c in read_conversations(path) if any(m.speaker == persona for m in c.messages)] \
        if path.is_file() else []
    partners = Counter(m.speaker for c in convs for m in c.messages if m.kind in kinds and m.speaker != persona)
    if user is None:
        if not partners:
            raise SimulacraError(f"export: {persona} has no chat partner in {path}; name one with --user NAME")
        user = partners.most_common(1)[0][0]
    elif partners and user not in partners:
        raise SimulacraError(f"--user {user!r}: never chats with {persona} (partners: {', '.join(sorted(partners))})")
    speakers = _speakers_of_main_chat(convs, user, kinds) or [persona, user]
    return chat_names(renderer, persona, user, speakers)


def _speakers_of_main_chat(convs, user: str, kinds: set[str]) -> list[str]:
    """Speakers in order of first message, in the chat where `user` wrote most (prepare's system text)."""
    best = max(convs, key=lambda c: sum(m.speaker == user for m in c.messages), default=None)
    if best is None:
        return []
    return list(dict.fromkeys(m.speaker for m in best.messages if m.kind in kinds))
