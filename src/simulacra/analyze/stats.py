"""Numbers about a chat: who speaks when, how fast they reply, how long messages, turns and sessions are.

Every function takes the conversations and returns plain JSON-ready dicts; the page and analysis.json show
the same numbers. Counts use the message's wall time as exported (weekday and hour as the export wrote them).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta

from simulacra.schema import Conversation, Message
from simulacra.sessions import split_sessions

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
NOT_SPOKEN = {"system"}  # notices of the app (joins, encryption banners): no one said them


def quantiles(values: list[float], qs=(0.1, 0.5, 0.9)) -> dict[str, float | None]:
    """Nearest-rank quantiles, e.g. {"p10": 1.0, "p50": 3.0, "p90": 9.0}; None for an empty list."""
    ordered = sorted(values)
    out = {}
    for q in qs:
        v = ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else None
        out[f"p{round(q * 100)}"] = round(v, 3) if isinstance(v, float) else v
    return out


def spoken(conversations: list[Conversation]) -> list[Message]:
    return [m for c in conversations for m in c.messages if m.kind not in NOT_SPOKEN]


def _naive(t: datetime) -> datetime:
    return t.replace(tzinfo=None)  # mixed aware/naive times cannot be compared


def headline(conversations: list[Conversation]) -> dict:
    """Conversations, speakers, messages by kind, and the first and last message time."""
    times = [_naive(m.time) for c in conversations for m in c.messages if m.time]
    speakers = {m.speaker for m in spoken(conversations)}
    kinds = Counter(m.kind for c in conversations for m in c.messages)
    first, last = (min(times), max(times)) if times else (None, None)
    return {"conversations": len(conversations), "speakers": len(speakers),
            "messages": sum(kinds.values()), "kinds": dict(kinds.most_common()),
            "first": first.isoformat() if first else None, "last": last.isoformat() if last else None,
            "days": (last.date() - first.date()).days + 1 if times else 0}


def per_speaker(conversations: list[Conversation]) -> dict[str, dict]:
    """Each speaker's messages (all kinds but system), text messages, words and first/last time, most active first."""
    out: dict[str, dict] = {}
    total = 0
    for m in spoken(conversations):
        s = out.setdefault(m.speaker, {"messages": 0, "text_messages": 0, "words": 0, "first": None, "last": None})
        s["messages"] += 1
        total += 1
        if m.kind == "text":
            s["text_messages"] += 1
            s["words"] += len(m.text.split())
        if m.time:
            t = _naive(m.time).isoformat()
            s["first"] = min(s["first"] or t, t)
            s["last"] = max(s["last"] or t, t)
    for s in out.values():
        s["share"] = round(s["messages"] / total, 4)
    return dict(sorted(out.items(), key=lambda kv: (-kv[1]["messages"], kv[0])))


def monthly(conversations: list[Conversation], speakers: list[str]) -> dict:
    """Messages per month per speaker; speakers not in `speakers` are summed as 'others'. Months without
    messages between the first and last one are kept (as zeros) so the time axis is honest."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for m in spoken(conversations):
        if m.time:
            counts[m.time.strftime("%Y-%m")][m.speaker if m.speaker in speakers else "others"] += 1
    if not counts:
        return {"months": [], "counts": {}}
    months, (y, mo) = [], map(int, min(counts).split("-"))
    while f"{y:04d}-{mo:02d}" <= max(counts):
        months.append(f"{y:04d}-{mo:02d}")
        y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
    names = speakers + (["others"] if any("others" in c for c in counts.values()) else [])
    return {"months": months, "counts": {s: [counts[month][s] for month in months] for s in names}}


def weekday_hour(conversations: list[Conversation]) -> list[list[int]]:
    """7 x 24 message counts: row 0 is Monday, column 0 is midnight to 1 am."""
    grid = [[0] * 24 for _ in range(7)]
    for m in spoken(conversations):
        if m.time:
            grid[m.time.weekday()][m.time.hour] += 1
    return grid


def reply_latencies(conversations: list[Conversation]) -> dict[tuple[str, str], list[float]]:
    """Minutes from a message to the next one, when the next is by someone else: (from, to) -> minutes."""
    out: dict[tuple[str, str], list[float]] = defaultdict(list)
    for conv in conversations:
        prev: Message | None = None
        for m in conv.messages:
            if m.kind in NOT_SPOKEN or not m.time:
                continue
            if prev is not None and m.speaker != prev.speaker:
                minutes = (_naive(m.time) - _naive(prev.time)).total_seconds() / 60
                if minutes >= 0:  # a backwards jump in an export is no reply
                    out[(prev.speaker, m.speaker)].append(minutes)
            prev = m
    return out


def latency_summary(latencies: dict[tuple[str, str], list[float]], limit: int) -> dict:
    """The `limit` most frequent speaker pairs with reply counts and median / p90 minutes."""
    pairs = sorted(latencies.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:limit]
    everything = [v for vs in latencies.values() for v in vs]
    return {"replies": len(everything), "minutes": quantiles(everything),
            "pairs": [{"from": a, "to": b, "replies": len(vs), "minutes": quantiles(vs, (0.5, 0.9))}
                      for (a, b), vs in pairs]}


def lengths(conversations: list[Conversation], gap_minutes: float, kinds: set[str]) -> tuple[dict, dict, dict]:
    """Per-speaker message and turn lengths (words), and session lengths, with the raw lists for plotting.

    Turns and sessions are cut exactly as prepare cuts them (simulacra.sessions), so the numbers match
    what training sees."""
    message_words: dict[str, list[int]] = defaultdict(list)
    for m in spoken(conversations):
        if m.kind in kinds and m.text.strip():
            message_words[m.speaker].append(len(m.text.split()))
    turn_words: dict[str, list[int]] = defaultdict(list)
    session_turns, session_minutes = [], []
    for conv in conversations:
        for session in split_sessions(conv, timedelta(minutes=gap_minutes), kinds):
            session_turns.append(len(session.turns))
            if session.start and session.end:
                session_minutes.append((_naive(session.end) - _naive(session.start)).total_seconds() / 60)
            for turn in session.turns:
                turn_words[turn.speaker].append(len(turn.text.split()))
    table = {who: {"messages": len(words), "message_words": quantiles(words), "mean_message_words":
                   round(sum(words) / len(words), 2), "turns": len(turn_words[who]),
                   "turn_words": quantiles(turn_words[who]), "messages_per_turn":
                   round(len(words) / max(1, len(turn_words[who])), 2)}
             for who, words in message_words.items()}
    sessions = {"gap_minutes": gap_minutes, "sessions": len(session_turns), "turns": quantiles(session_turns),
                "minutes": quantiles(session_minutes), "longest_turns": max(session_turns, default=0)}
    raw = {"message_words": dict(message_words), "turn_words": dict(turn_words),
           "session_turns": session_turns, "session_minutes": session_minutes}
    return table, sessions, raw
