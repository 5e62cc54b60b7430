"""Rename speakers whose names are phone numbers or e-mails in the conversations prepare is about to render."""

from __future__ import annotations

import re

from simulacra import pseudonyms
from simulacra.pseudonyms import Pseudonyms
from simulacra.schema import Conversation

ID_DIGITS = re.compile(r"\+?\d(?:[-_. ]?\d){6,}")
# In an id, `-` separates parts (records-ana@example.com-3), so it does not belong to the address.
ID_EMAIL = re.compile(r"[A-Za-z0-9._+]+@[A-Za-z0-9]+(?:[.-][A-Za-z0-9]+)*\.[A-Za-z]{2,}")


def rename_contacts(conversations: list[Conversation], aliases: dict[str, str], auto: bool = True,
                    previous: Pseudonyms | None = None) -> Pseudonyms:
    """Give contact names (and aliased names) their pseudonym in speakers, participants, titles, ids and text."""
    names = [n for c in conversations for n in (c.owner, *c.participants, *(m.speaker for m in c.messages)) if n]
    if not auto:  # scrubbing is off: only the names the user gave an alias change
        wanted = {pseudonyms.normalise(k) for k in aliases}
        names = [n for n in names if pseudonyms.normalise(n) in wanted]
    table = pseudonyms.build(names, aliases, previous)
    rename = lambda name: table.mapping.get(name, name) if name else name
    tidy = (lambda text: clean_id(text, table)) if auto else (lambda text: text)
    for conv in conversations:
        conv.id = tidy(pseudonyms.apply_to_id(conv.id, table))
        conv.title = tidy(pseudonyms.apply(conv.title, table))
        conv.participants = [rename(p) for p in conv.participants]
        conv.owner = rename(conv.owner)
        for m in conv.messages:
            m.speaker = rename(m.speaker)
            if table.mapping:
                m.text = pseudonyms.apply(m.text, table)
    return table


def clean_id(conv_id: str, table: Pseudonyms) -> str:
    """Phone numbers and e-mails left in an id become `phone-<hash>` / `email-<hash>`, so ids stay unique."""
    conv_id = ID_EMAIL.sub(lambda m: f"email-{table.key(m.group())[:8]}", conv_id)

    def phone(m: re.Match) -> str:
        import phonenumbers

        digits = re.sub(r"\D", "", m.group())
        try:
            valid = phonenumbers.is_valid_number(phonenumbers.parse("+" + digits, None))
        except phonenumbers.NumberParseException:
            valid = False
        return f"phone-{table.key(digits)[:8]}" if valid else m.group()

    return ID_DIGITS.sub(phone, conv_id)
