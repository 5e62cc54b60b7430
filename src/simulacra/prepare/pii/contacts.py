"""Rename speakers whose names are phone numbers or e-mails in the conversations prepare is about to render."""

from __future__ import annotations

import re

from simulacra import pseudonyms
from simulacra.pseudonyms import Pseudonyms
from simulacra.schema import Conversation, Message

ID_DIGITS = re.compile(r"\+?\d(?:[-_. ]?\d){6,}")
# In an id, `-` separates parts (records-ana@example.com-3), so it does not belong to the address.
ID_EMAIL = re.compile(r"[A-Za-z0-9._+]+@[A-Za-z0-9]+(?:[.-][A-Za-z0-9]+)*\.[A-Za-z]{2,}")


def rename_contacts(conversations: list[Conversation], aliases: dict[str, str], auto: bool = True,
                    previous: Pseudonyms | None = None) -> Pseudonyms:
    """Give contact names (and aliased names) their pseudonym in speakers, participants, titles, ids and text."""
    names = [n for c in conversations for n in (c.owner, *c.participants, *(m.speaker for m in c.messages)) if n]
    table = contact_table(names, aliases, auto, previous)
    for conv in conversations:
        rename_header(conv, table, auto)
        for m in conv.messages:
            rename_message(m, table)
    return table


def contact_table(names: list[str], aliases: dict[str, str], auto: bool = True,
                  previous: Pseudonyms | None = None) -> Pseudonyms:
    """The pseudonyms of the names (owners, participants, speakers in order of appearance) that get one."""
    names = [n for n in names if n]
    if not auto:  # scrubbing is off: only the names the user gave an alias change
        wanted = {pseudonyms.normalise(k) for k in aliases}
        names = [n for n in names if pseudonyms.normalise(n) in wanted]
    return pseudonyms.build(names, aliases, previous)


def rename_header(conv: Conversation, table: Pseudonyms, auto: bool = True) -> None:
    """The conversation's id, title, participants and owner in their new names (its messages untouched)."""
    rename = lambda name: table.mapping.get(name, name) if name else name
    tidy = (lambda text: clean_id(text, table)) if auto else (lambda text: text)
    conv.id = tidy(pseudonyms.apply_to_id(conv.id, table))
    conv.title = tidy(pseudonyms.apply(conv.title, table))
    conv.participants = [rename(p) for p in conv.participants]
    conv.owner = rename(conv.owner)


def rename_message(m: Message, table: Pseudonyms) -> None:
    m.speaker = table.mapping.get(m.speaker, m.speaker) if m.speaker else m.speaker
    if table.mapping:
        m.text = pseudonyms.apply(m.text, table)


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
