"""The Scrubber: find every kind's spans in the original text, keep the strongest of overlapping ones, replace."""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from simulacra.prepare.pii.patterns import cards, emails, has_secret, ibans, links
from simulacra.prepare.pii.phones import phones
from simulacra.prepare.pii.regions import infer_regions

PLACEHOLDERS = {"email": "<EMAIL>", "url": "<URL>", "iban": "<IBAN>", "card": "<CARD>", "phone": "<PHONE>",
                "blocked": "<REDACTED>"}
PII_KINDS = ("email", "url", "iban", "card", "phone")
# When spans overlap, the earlier kind wins (a URL holding an e-mail is one <URL>; an IBAN's digits are no phone).
PRIORITY = ("url", "email", "iban", "card", "phone", "blocked")


class Scrubber:
    """Replaces the configured kinds of personal data and blocked words; `counts` says what was replaced.

    `phone_regions` are the regions whose national formats count; by default US and GB. Use `for_chat` to
    infer them from a chat's own messages and speaker names, as prepare does.
    """

    def __init__(self, kinds: Iterable[str] = PII_KINDS, block_words: Iterable[str] = (),
                 phone_regions: Iterable[str] = ("US", "GB")):
        self.kinds = set(kinds)
        self.phone_regions = list(phone_regions)
        words = sorted({w.strip() for w in block_words if w.strip()}, key=len, reverse=True)
        self.blocked = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)",
                                  re.IGNORECASE) if words else None
        self.counts: Counter = Counter()

    @classmethod
    def for_chat(cls, texts: list[str], names: Iterable[str] = (), kinds: Iterable[str] = PII_KINDS,
                 block_words: Iterable[str] = (), phone_regions: Iterable[str] = ()) -> "Scrubber":
        """A scrubber for one chat: the given regions, or those inferred from the chat when none are given."""
        regions = list(phone_regions)
        if not regions and "phone" in set(kinds):
            regions = infer_regions(texts, names)
        return cls(kinds, block_words, regions or ("US", "GB"))

    def scrub(self, text: str) -> str:
        spans = self.find(text)
        for start, end, kind in reversed(spans):
            text = text[:start] + PLACEHOLDERS[kind] + text[end:]
            self.counts[kind] += 1
        return text

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, kind) spans, in text order."""
        found: list[tuple[int, int, str]] = []
        all_links = links(text) if {"url", "phone", "card", "iban"} & self.kinds else []
        if "url" in self.kinds:
            found += [(s, e, "url") for s, e in all_links if has_secret(text[s:e])]
        if "email" in self.kinds:
            found += [(s, e, "email") for s, e in emails(text)]
        # Numbers inside a link (an article's id, a port) are part of the link, never a card or a phone.
        outside = lambda spans: [(s, e) for s, e in spans if not any(ls <= s < le for ls, le in all_links)]
        if "iban" in self.kinds:
            found += [(s, e, "iban") for s, e in outside(ibans(text))]
        if "card" in self.kinds:
            found += [(s, e, "card") for s, e in outside(cards(text))]
        if "phone" in self.kinds:
            found += [(s, e, "phone") for s, e in phones(text, self.phone_regions, all_links)]
        if self.blocked:
            found += [(m.start(), m.end(), "blocked") for m in self.blocked.finditer(text)]
        kept: list[tuple[int, int, str]] = []
        for s, e, kind in sorted(found, key=lambda f: PRIORITY.index(f[2])):
            if all(e <= ks or s >= ke for ks, ke, _ in kept):
                kept.append((s, e, kind))
        return sorted(kept)
