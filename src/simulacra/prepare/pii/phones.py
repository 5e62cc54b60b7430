"""Find phone numbers: phonenumbers' validity checks for the chat's regions, plus how the number is typed and
the words around it.

A number written with `+` or `00` is valid or not whatever the region. A national number (`0151 23456789`,
`(415) 555-0132`) must be valid in one of the chat's regions and look typed as a phone: grouped with spaces,
dashes, dots, slashes or parentheses, starting with the trunk `0`, or next to a word like call/número/ruf an.
A word like order/tracking/pedido/ISBN right before it makes it an ordinary number.
"""

from __future__ import annotations

import re

from simulacra.prepare.pii.patterns import Span

MAYBE_PHONE = re.compile(r"(?:\d\D{0,3}){7,}")
INTERNATIONAL = re.compile(r"^(?:\+|00|011)")
# A day and month then a year (03.04.2025, 3/4/25, 2025-04-03), never a phone number.
DATE = re.compile(r"(?:\d{1,2}([./-])\d{1,2}\1(?:\d{4}|\d{2})|\d{4}([./-])\d{1,2}\2\d{1,2})")
GROUPED = re.compile(r"\d[\s./-]+\d|\(\d")
# Words that say a phone number follows (or precedes), in the languages the region guess knows.
CALL_WORDS = re.compile(
    r"\b(?:call|ring|text|phone|tel|telephone|mobile|mob|cell|number|no\.|whats\s?app|whats|reach|dial|"
    r"landline|line|office|bell|contact|sms|"
    r"llam\w*|n[úu]mero|m[óo]vil|fijo|tel[ée]fono|"
    r"appel\w*|rappel\w*|portable|fixe|t[ée]l[ée]phone|num[ée]ro|bureau|joindre|"
    r"ruf\w*|anruf\w*|handy|festnetz|nummer|erreich\w*|telefon\w*|"
    r"lig\w*|celular|chama|zap|fixo|contato|"
    r"nipigie|piga|simu|mpesa|nitumie|"
    r"chiam\w*|fisso|cellulare|bel|mobiel)\b", re.IGNORECASE)
# Words that say the number right after them is something else.
OTHER_WORDS = re.compile(
    r"(?:\b(?:order|tracking|track|parcel|shipment|invoice|inv|ref|reference|booking|pnr|isbn|serial|sn|account|"
    r"acct|id|zip|postcode|pincode|pin|version|build|flight|timestamp|uuid|ticket|case|"
    r"pedido|rastreio|cep|c[óo]digo|factura|fatura|nota|"
    r"bestell\w*|sendung\w*|rechnung|kunden\w*|konto\w*|plz|colis|commande|facture|suivi|"
    r"ordine|fattura)\b|#)\W{0,3}(?:\w+\W{1,3}){0,2}$", re.IGNORECASE)


def phones(text: str, regions: list[str], protected: list[Span] = ()) -> list[Span]:
    """Spans of phone numbers in the text; numbers inside a protected span (a kept link) are skipped."""
    if not MAYBE_PHONE.search(text):
        return []
    from phonenumbers import Leniency, PhoneNumberMatcher  # imported on first use: the CLI starts faster

    found: dict[Span, None] = {}
    for region in regions or [None]:
        for m in PhoneNumberMatcher(text, region, leniency=Leniency.VALID):
            span = (m.start, m.end)
            if span in found or any(s <= m.start < e for s, e in protected):
                continue
            if _accept(text, m, region):
                found[span] = None
    return _longest_first(list(found))


def _accept(text: str, match, region: str) -> bool:
    import phonenumbers

    raw = match.raw_string
    if INTERNATIONAL.match(raw):
        return phonenumbers.is_valid_number(match.number)
    if not phonenumbers.is_valid_number(match.number):
        return False
    if DATE.fullmatch(raw) or OTHER_WORDS.search(text[max(0, match.start - 30):match.start]):
        return False
    if CALL_WORDS.search(text):
        return True
    if GROUPED.search(raw):
        return _grouped_like_a_phone(raw, match.number)
    return raw.startswith("0")


def _grouped_like_a_phone(raw: str, number) -> bool:
    """Up to three digit groups, or groups that split where the region's own format splits (06 12 34 56 78)."""
    import phonenumbers

    groups = [len(g) for g in re.findall(r"\d+", raw)]
    if len(groups) <= 3:
        return True
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    allowed = _cuts([len(g) for g in re.findall(r"\d+", national)])
    allowed.add(len(phonenumbers.national_significant_number(number)))  # after a trunk 0 or country code
    return _cuts(groups) <= allowed


def _cuts(groups: list[int]) -> set[int]:
    """Where the digit groups split, counted in digits from the end."""
    cuts, total = set(), 0
    for n in reversed(groups[1:]):
        total += n
        cuts.add(total)
    return cuts


def _longest_first(spans: list[Span]) -> list[Span]:
    """Drop spans that overlap a longer one found for another region."""
    kept: list[Span] = []
    for s, e in sorted(spans, key=lambda sp: sp[0] - sp[1]):
        if all(e <= ks or s >= ke for ks, ke in kept):
            kept.append((s, e))
    return sorted(kept)


def country_regions(texts, limit: int = 5000) -> list[str]:
    """Main regions of the country codes of numbers written with + in the texts, most frequent first."""
    from collections import Counter

    import phonenumbers
    from phonenumbers import Leniency, PhoneNumberMatcher

    seen: Counter = Counter()
    for text in texts:
        if limit <= 0:
            break
        if "+" not in text or not MAYBE_PHONE.search(text):
            continue
        limit -= 1
        for m in PhoneNumberMatcher(text, None, leniency=Leniency.VALID):
            region = phonenumbers.region_code_for_country_code(m.number.country_code)
            if region not in ("ZZ", "001"):
                seen[region] += 1
    return [r for r, _ in seen.most_common()]
