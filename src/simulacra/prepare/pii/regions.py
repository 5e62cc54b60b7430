"""Guess which countries' phone formats a chat uses: from its `+` numbers, its language and its speakers' names.

The language guess counts common short words (a cheap stop-word vote); each language brings the regions where
it is most spoken in chats. `phone_regions` in the config overrides all of this.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from simulacra.prepare.pii.phones import MAYBE_PHONE, country_regions

STOP_WORDS = {
    "en": "the and you is it to my me at on for that this with what your are was call can when if just",
    "de": "und ich du ist nicht das die der mich mir bin wir auf mit ein eine es bitte noch aber auch",
    "fr": "je tu le les et est pas c'est mon ma au des une ce moi ça on avec pour qui",
    "es": "el que y es mi al los las por para una está cuando pero muy yo tu como lo",
    "pt": "o que é meu minha não no na do da você pra uma depois vou tá isso com",
    "it": "il che di non è mi sono per una ma ho ci anche sei stasera questo",
    "nl": "het een en ik je niet van op dat is wat maar ook wel",
    "sw": "na kwa ya wa ni nipigie jioni sana habari asante nitumie nini leo hapa",
}
# Regions to try for national numbers when a chat is in this language, most likely first.
LANGUAGE_REGIONS = {
    "en": ["US", "GB", "IN", "KE", "NG", "ZA", "AU", "IE"],
    "de": ["DE", "AT", "CH"],
    "fr": ["FR", "BE", "CH"],
    "es": ["ES", "MX", "AR", "CO"],
    "pt": ["BR", "PT"],
    "it": ["IT", "CH"],
    "nl": ["NL", "BE"],
    "sw": ["KE", "TZ", "UG"],
}
FALLBACK = ["US", "GB"]
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_WORDS = {lang: set(words.split()) for lang, words in STOP_WORDS.items()}


LANGUAGE_TEXTS, PLUS_TEXTS = 2000, 5000  # how many texts the language vote and the + number count read


class RegionSample:
    """The few texts of a chat that `infer_regions` reads, kept while the chat streams past.

    The language vote reads the first texts; the country codes come from texts with a `+` number.
    `infer_regions(sample.texts)` gives what `infer_regions(all texts)` would.
    """

    def __init__(self):
        self.texts: list[str] = []
        self.later = 0

    def add(self, text: str) -> None:
        if len(self.texts) - self.later < LANGUAGE_TEXTS:
            self.texts.append(text)
        elif self.later < PLUS_TEXTS and "+" in text and MAYBE_PHONE.search(text):
            self.texts.append(text)
            self.later += 1


def guess_languages(texts: Iterable[str], limit: int = LANGUAGE_TEXTS) -> list[str]:
    """Languages whose stop words make up at least a third of the leader's hits, most hits first."""
    votes: Counter = Counter()
    for n, text in enumerate(texts):
        if n >= limit:
            break
        for word in WORD.findall(text.lower()):
            for lang, words in _WORDS.items():
                if word in words:
                    votes[lang] += 1
    if not votes:
        return []
    top = votes.most_common(1)[0][1]
    return [lang for lang, n in votes.most_common() if n * 3 >= top and n >= 2]


def infer_regions(texts: list[str], names: Iterable[str] = ()) -> list[str]:
    """Regions for national phone numbers in this chat: `+` country codes, then the languages', then US/GB."""
    regions = country_regions([*names, *texts])
    for lang in guess_languages(texts):
        regions += LANGUAGE_REGIONS[lang]
    return list(dict.fromkeys(regions or FALLBACK))
