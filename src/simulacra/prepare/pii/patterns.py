"""Find e-mails, secret-bearing URLs, card numbers and IBANs in text as (start, end) spans.

Cards and IBANs count only when their checksum holds (Luhn, ISO 7064 mod 97) and their length fits the card
brand or the IBAN country, so a card followed by its expiry or an IBAN followed by `BIC …` is cut at the right
place. URLs count only when they carry a secret; all URLs (kept or not) are returned as `links` so that the
digits of an article slug are never taken for a phone number.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
# With a scheme, starting with www., or a bare domain followed by a path (example.com/reset?token=…).
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+|\b(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?/[^\s<>\"']*",
                 re.IGNORECASE)
TRAILING = ".,;:!?)]}'\""
SECRET_KEY = re.compile(r"(?:token|key|secret|sig|signature|auth|password|passwd|pwd|pass|session|sid|code|"
                        r"otp|email|e-mail|mail|phone|tel)$", re.IGNORECASE)
TELEGRAM_BOT = re.compile(r"/bot\d+:[\w-]+")
# One alphanumeric run of 16+ characters mixing letters and digits reads like a credential; article slugs
# (words and numbers joined by - or _) do not have one.
# Links people share to public content carry content ids (a playlist, a map place), not credentials.
PUBLIC_HOSTS = re.compile(r"(?:^|\.)(?:youtube\.com|youtu\.be|spotify\.com|spotify\.link|music\.apple\.com|"
                          r"soundcloud\.com|instagram\.com|tiktok\.com|twitter\.com|x\.com|maps\.google\.[a-z.]+|"
                          r"maps\.app\.goo\.gl|goo\.gl|imdb\.com|amazon\.[a-z.]+|wikipedia\.org)$", re.IGNORECASE)
SECRET_RUN = re.compile(r"(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{16,}")

# An IP address (with its port) is never a phone number.
IPV4 = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?(?![\d.])")
# An expiry date right after a card number goes with it.
EXPIRY = re.compile(r"\s{0,2}(?:0[1-9]|1[0-2])\s?/\s?(?:\d{4}|\d{2})(?!\d)")
CARD_RUN = re.compile(r"(?<![\d.,-])\d(?:[ .-]?\d){12,22}")
IBAN_RUN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]){11,32}")
# ISO 13616 registry: IBAN length per country.
IBAN_LENGTHS = dict(
    AD=24, AE=23, AL=28, AT=20, AZ=28, BA=20, BE=16, BG=22, BH=22, BR=29, BY=28, CH=21, CR=22, CY=28, CZ=24,
    DE=22, DK=18, DO=28, EE=20, EG=29, ES=24, FI=18, FO=18, FR=27, GB=22, GE=22, GI=23, GL=18, GR=27, GT=28,
    HR=21, HU=28, IE=22, IL=23, IQ=23, IS=26, IT=27, JO=30, KW=30, KZ=20, LB=28, LC=32, LI=21, LT=20, LU=20,
    LV=21, LY=25, MC=27, MD=24, ME=22, MK=19, MR=27, MT=31, MU=30, NL=18, NO=15, PK=24, PL=28, PS=29, QA=29,
    RO=24, RS=22, SA=24, SC=31, SD=18, SE=24, SI=19, SK=24, SM=27, ST=25, SV=28, TL=23, TN=24, TR=26, UA=29,
    VA=22, VG=24, XK=20)


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_ok(candidate: str) -> bool:
    s = re.sub(r"[\s-]", "", candidate).upper()
    if not 15 <= len(s) <= 34 or not s.isalnum():
        return False
    rearranged = s[4:] + s[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def emails(text: str) -> list[Span]:
    return [m.span() for m in EMAIL.finditer(text)]


def links(text: str) -> list[Span]:
    """Every link (and IP address) in the text, without trailing punctuation."""
    out = [m.span() for m in IPV4.finditer(text)]
    for m in URL.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in TRAILING:
            end -= 1
        out.append((m.start(), end))
    return out


def has_secret(url: str) -> bool:
    if TELEGRAM_BOT.search(url):
        return True
    rest = url.split("://", 1)[-1]
    path, _, query = rest.partition("?")
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        if value and (SECRET_KEY.search(key) or "@" in value):
            return True
    host = re.split(r"[/:]", path, maxsplit=1)[0]
    if PUBLIC_HOSTS.search(host):
        return False
    return any(SECRET_RUN.fullmatch(run) for run in re.split(r"[^A-Za-z0-9]", rest))


def card_lengths(digits: str) -> tuple[int, ...]:
    """The lengths a card number starting with these digits can have (by brand); () when no brand fits."""
    if digits[0] == "4":
        return 16, 13, 19
    two = int(digits[:2])
    if 51 <= two <= 55 or 22 <= two <= 27:
        return (16,)
    if two in (34, 37):
        return (15,)
    if two in (30, 36, 38):
        return 14, 16
    if two == 35 or digits[0] == "6":
        return 16, 19, 17, 18
    return ()


def cards(text: str) -> list[Span]:
    out = []
    for m in CARD_RUN.finditer(text):
        positions = [m.start() + i for i, ch in enumerate(m.group()) if ch.isdigit()]
        digits = "".join(text[p] for p in positions)
        for length in card_lengths(digits):
            end = positions[length - 1] + 1 if length <= len(digits) else None
            # The number must end where a group ends, not in the middle of one.
            if end and (end == len(text) or not text[end].isdigit()) and luhn_ok(digits[:length]):
                expiry = EXPIRY.match(text, end)
                out.append((m.start(), expiry.end() if expiry else end))
                break
    return out


def ibans(text: str) -> list[Span]:
    out = []
    for m in IBAN_RUN.finditer(text):
        positions = [m.start() + i for i, ch in enumerate(m.group()) if ch.isalnum()]
        chars = "".join(text[p] for p in positions).upper()
        known = IBAN_LENGTHS.get(chars[:2])
        for length in (known,) if known else range(min(34, len(chars)), 14, -1):
            if length > len(chars):
                continue
            end = positions[length - 1] + 1
            if (end == len(text) or not text[end].isalnum()) and iban_ok(chars[:length]):
                out.append((m.start(), end))
                break
    return out
