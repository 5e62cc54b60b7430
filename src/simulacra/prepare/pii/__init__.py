"""Scrub personal data from message text before it reaches a model: typed placeholders, counted by type.

    "mail ana@example.com or call +44 20 7946 0958"  ->  "mail <EMAIL> or call <PHONE>"

Cards and IBANs are replaced only when their checksum holds (Luhn, ISO 7064 mod 97), so order numbers
and dates stay; URLs only when they carry a secret (token-like query values or path segments, an e-mail in
the query, a bot token). Phone numbers come from Google's `phonenumbers` library, for the regions inferred
from the chat (or configured), with context checks (see phones.py).
"""

from simulacra.prepare.pii.patterns import iban_ok, luhn_ok
from simulacra.prepare.pii.regions import infer_regions
from simulacra.prepare.pii.scrubber import PII_KINDS, PLACEHOLDERS, Scrubber

__all__ = ["PII_KINDS", "PLACEHOLDERS", "Scrubber", "iban_ok", "infer_regions", "luhn_ok"]
