"""Stable pseudonyms for speakers whose names are phone numbers or e-mails (`+44 7911 123456` -> `Contact 1`).

prepare builds the mapping and renames everywhere from its output on; dataset/pseudonyms.json stores it
without the originals (each original is kept only as a salted scrypt hash), so chat and evaluate can still
map a name the user types back to its pseudonym, and a later prepare run keeps the same pseudonyms.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from simulacra.io import read_json, write_json
from simulacra.rundir import RunDir

FILE = "pseudonyms.json"
PREFIX = "Contact"
# WhatsApp wraps saved numbers in invisible direction marks.
INVISIBLE = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
PHONE_NAME = re.compile(r"\+?[\d\s().\-/]+")
EMAIL_NAME = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
# Cheap enough to hash a handful of names, costly enough that guessing every phone number is slow.
SCRYPT = {"n": 2 ** 12, "r": 8, "p": 1, "dklen": 16}


def is_contact(name: str) -> bool:
    """A name that is a phone number (7+ digits) or an e-mail address."""
    name = INVISIBLE.sub("", name).strip()
    if EMAIL_NAME.fullmatch(name):
        return True
    return bool(PHONE_NAME.fullmatch(name)) and sum(ch.isdigit() for ch in name) >= 7


def normalise(name: str) -> str:
    """The form two spellings of one contact share: digits (with a leading +) or the lower-cased e-mail."""
    name = INVISIBLE.sub("", name).strip()
    if PHONE_NAME.fullmatch(name) and sum(ch.isdigit() for ch in name) >= 7:
        return ("+" if name.startswith("+") else "") + re.sub(r"\D", "", name)
    return name.lower() if EMAIL_NAME.fullmatch(name) else name


@dataclass
class Pseudonyms:
    """original -> pseudonym for this run (originals in memory only), and the salted keys that are saved."""

    mapping: dict[str, str] = field(default_factory=dict)
    salt: str = field(default_factory=lambda: os.urandom(16).hex())
    keys: dict[str, str] = field(default_factory=dict)  # hash of a normalised original -> pseudonym

    def key(self, name: str) -> str:
        return hashlib.scrypt(normalise(name).encode(), salt=bytes.fromhex(self.salt), **SCRYPT).hex()

    def lookup(self, name: str) -> str:
        """The pseudonym of a user-typed name (any spelling of the number), or the name itself."""
        if name in self.mapping:
            return self.mapping[name]
        if not self.keys or name in self.keys.values():
            return name
        return self.keys.get(self.key(name), name)


def build(names: Iterable[str], aliases: dict[str, str] | None = None, previous: Pseudonyms | None = None
          ) -> Pseudonyms:
    """Pseudonyms for contact names (and aliased names) in order of first appearance.

    An alias given by the user wins; then the pseudonym a previous run gave the same contact; then the next
    free `Contact N`.
    """
    names = list(dict.fromkeys(names))
    out = Pseudonyms(salt=previous.salt) if previous else Pseudonyms()
    wanted = {normalise(k): v for k, v in (aliases or {}).items()}
    taken = set(names) | set(wanted.values()) | (set(previous.keys.values()) if previous else set())
    n = 0
    for name in names:
        alias = wanted.get(normalise(name))
        if alias is None and previous and previous.keys:
            alias = previous.keys.get(out.key(name))
        if alias is None and is_contact(name):
            n += 1
            while f"{PREFIX} {n}" in taken:
                n += 1
            alias = f"{PREFIX} {n}"
        if alias is not None and alias != name:
            out.mapping[name] = alias
            out.keys[out.key(name)] = alias
    return out


def apply(text: str, pseudonyms: Pseudonyms) -> str:
    """Every original name in the text replaced by its pseudonym (longest first, so no original is cut)."""
    for original in sorted(pseudonyms.mapping, key=len, reverse=True):
        if original in text:
            text = text.replace(original, pseudonyms.mapping[original])
    return text


def apply_to_id(conv_id: str, pseudonyms: Pseudonyms) -> str:
    """A conversation id made from a file name (`whatsapp-44-7911-123456`): originals and their slugs replaced."""
    conv_id = apply(conv_id, pseudonyms)
    for original, alias in pseudonyms.mapping.items():
        slug = _slug(original)
        if slug:
            conv_id = conv_id.replace(slug, _slug(alias))
    return conv_id


def save(dataset_dir: Path, pseudonyms: Pseudonyms) -> None:
    write_json(Path(dataset_dir) / FILE, {"salt": pseudonyms.salt, "scrypt": SCRYPT,
                                          "pseudonyms": sorted(set(pseudonyms.keys.values())),
                                          "keys": pseudonyms.keys})


def load(dataset_dir: Path) -> Pseudonyms | None:
    path = Path(dataset_dir) / FILE
    if not path.is_file():
        return None
    data = read_json(path)
    return Pseudonyms(salt=data["salt"], keys=dict(data["keys"]))


def resolve_name(run_dir: Path, name: str) -> str:
    """The name a prepared run uses for what the user typed: `+44 7911 123456` -> `Contact 1`."""
    table = load(RunDir(run_dir).dataset)
    return table.lookup(name) if table else name


def _slug(text: str) -> str:
    return re.sub(r"\W+", "-", INVISIBLE.sub("", text).lower()).strip("-")
