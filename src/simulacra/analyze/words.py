"""Most frequent words and emoji per speaker (words: lowercased letters, minus a small stop-word list).

    "omg I LOVE this 😂😂" -> words omg, love; emoji 😂 x2
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from simulacra.schema import Conversation

# Letters only (no digits or underscores), with inner apostrophes kept: "don't", "c'est".
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
NON_ASCII = re.compile(r"[#*0-9]?[^\x00-\x7f]+")
PLACEHOLDER = re.compile(r"<[A-Z_]+>")  # prepare's <PHONE>, <REDACTED>...: not the person's words
STOP_WORDS = frozenset("""
a about after again all also am an and any are as at be because been before being but by can could did do does
doing don't down for from get got had has have having he her here hers him his how i i'd i'll i'm i've if in into
is isn't it it's its just me more most my no nor not now of off on once one only or other our ours out over own
same she should so some such than that that's the their theirs them then there these they this those through to
too under until up very was we were what when where which while who whom why will with would you you're your yours
yes ok okay oh yeah im dont its thats u ur
""".split())


def top_words(conversations: list[Conversation], limit: int, kinds: set[str]) -> tuple[dict, dict]:
    """speaker -> [[word, count], ...] and speaker -> [[emoji, count], ...], most frequent first."""
    words: dict[str, Counter] = defaultdict(Counter)
    emoji: dict[str, Counter] = defaultdict(Counter)
    for conv in conversations:
        for m in conv.messages:
            if m.kind not in kinds:
                continue
            text = PLACEHOLDER.sub(" ", URL.sub(" ", m.text))
            words[m.speaker].update(w for w in (w.replace("’", "'") for w in WORD.findall(text.lower()))
                                    if len(w) > 1 and w not in STOP_WORDS)
            if not text.isascii():  # emoji are never ASCII: skips the slower scan for most messages
                emoji[m.speaker].update(found_emoji(text))
    return ({who: [[w, n] for w, n in c.most_common(limit)] for who, c in words.items()},
            {who: [[e, n] for e, n in c.most_common(limit)] for who, c in emoji.items() if c})


def found_emoji(text: str) -> list[str]:
    """Each emoji in `text`, a skin-tone or ZWJ sequence (👩‍👩‍👧, 👍🏽), a flag or a keycap (1️⃣) counted as one."""
    import emoji

    # The emoji tokenizer walks every character (16 s of 27 s on 100,000 messages); an emoji is never plain ASCII
    # except a keycap's leading digit, so only the non-ASCII runs (with that digit) are handed to it.
    runs = " ".join(NON_ASCII.findall(text))
    return [e["emoji"] for e in emoji.emoji_list(runs)]
