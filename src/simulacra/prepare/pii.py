"""Scrub personal data from message text before it reaches a model: typed placeholders, counted by type.

    "mail ana@example.com or call +44 20 7946 0958"  ->  "mail <EMAIL> or call <PHONE>"

Cards and IBANs are replaced only when their checksum holds (Luhn, ISO 7064 mod 97), so order numbers
and dates stay; URLs only when they carry a secret (token-like query values or path segments).
Phone numbers come from Google's `phonenumbers` library, tried for each configured region.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

PLACEHOLDERS = {"email": "<EMAIL>", "url": "<URL>", "iban": "<IBAN>", "card": "<CARD>", "phone": "<PHONE>",
                "blocked": "<REDACTED>"}
PII_KINDS = ("email", "url", "iban", "card", "phone")

EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
URL = re.compile(r"\bhttps?://[^\s<>\"]+", re.IGNORECASE)
SECRET_QUERY = re.compile(r"[?&](?:[\w-]*(?:token|key|secret|sig|signature|auth|password|pwd|session|code))=[^&\s]+",
                          re.IGNORECASE)
# A path or query value of 20+ characters mixing letters and digits reads like a credential.
SECRET_PIECE = re.compile(r"(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{20,}")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
CARD = re.compile(r"\b\d(?:[ -]?\d){12,18}\b")
DIGITS_FOR_PHONE = re.compile(r"(?:\d\D{0,2}){7,}")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_ok(candidate: str) -> bool:
    s = candidate.replace(" ", "")
    if not 15 <= len(s) <= 34:
        return False
    rearranged = s[4:] + s[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


class Scrubber:
    """Replaces the configured kinds of personal data and blocked words; `counts` says what was replaced."""

    def __init__(self, kinds: Iterable[str] = PII_KINDS, block_words: Iterable[str] = (),
                 phone_regions: Iterable[str] = ("US", "GB")):
        self.kinds = set(kinds)
        self.phone_regions = list(phone_regions)
        words = sorted({w.strip() for w in block_words if w.strip()}, key=len, reverse=True)
        self.blocked = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)",
                                  re.IGNORECASE) if words else None
        self.counts: Counter = Counter()

    def scrub(self, text: str) -> str:
        if "email" in self.kinds:
            text = self._sub(EMAIL, text, "email")
        if "url" in self.kinds:
            text = self._sub(URL, text, "url", keep=lambda m: not _has_secret(m.group()))
        if "iban" in self.kinds:
            text = self._sub(IBAN, text, "iban", keep=lambda m: not iban_ok(m.group()))
        if "card" in self.kinds:
            text = self._sub(CARD, text, "card", keep=lambda m: not luhn_ok(re.sub(r"\D", "", m.group())))
        if "phone" in self.kinds and DIGITS_FOR_PHONE.search(text):
            text = self._phones(text)
        if self.blocked:
            text = self._sub(self.blocked, text, "blocked")
        return text

    def _sub(self, pattern: re.Pattern, text: str, kind: str, keep=None) -> str:
        def replace(m: re.Match) -> str:
            if keep and keep(m):
                return m.group()
            self.counts[kind] += 1
            return PLACEHOLDERS[kind]

        return pattern.sub(replace, text)

    def _phones(self, text: str) -> str:
        import phonenumbers

        for region in self.phone_regions:
            spans = [(m.start, m.end) for m in phonenumbers.PhoneNumberMatcher(text, region)]
            for start, end in reversed(spans):
                text = text[:start] + PLACEHOLDERS["phone"] + text[end:]
                self.counts["phone"] += 1
        return text


def _has_secret(url: str) -> bool:
    if SECRET_QUERY.search(url):
        return True
    return any(SECRET_PIECE.fullmatch(piece) for piece in re.split(r"[/?&=#.]", url.split("://", 1)[-1]))
