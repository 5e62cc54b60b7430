"""WhatsApp's localized system strings and placeholders, by kind and language; `classify` labels a message.

Each body (after the author, bidi marks removed) is tested against these in order; the languages
other than English also decide day-first dates when the numbers alone cannot. The en/de/es/pt
strings come from real exports (shared/FORMATS.md); nl/fr/it/ru follow the apps' published wording.
"""

from __future__ import annotations

import functools
import re

from simulacra.ingest.common import clean_name

X = r"[^:\n]+?"  # a name or phone number: never holds ':', so "Ana: I left" is no system line
Q = r"[\"“„«].*[\"”“»]"  # a quoted group subject, which may hold anything, ': ' included

MEDIA = {
    "en": [r"(?:image|video|audio|sticker|GIF|Contact card|video note) omitted", r"(?:.+ )?document omitted",
           r"<Media omitted>", r"<attached: [^>]+>.*", r".+ \(file attached\)", r"null"],
    "de": [r"(?:Bild|Video|Audio|Sticker|GIF|Kontaktkarte) weggelassen", r"(?:.+ )?Dokument weggelassen",
           r"<Medien ausgeschlossen>", r"<Anhang: [^>]+>.*", r".+ \(Datei angehängt\)"],
    "es": [r"(?:imagen|video|audio|sticker|GIF|Tarjeta de contacto) omitid[oa]", r"(?:.+ )?documento omitido",
           r"<Multimedia omitido>", r"<adjunto: [^>]+>.*", r".+ \(archivo adjunto\)"],
    "pt": [r"(?:imagem|vídeo|áudio|figurinha|GIF|cartão de contato) (?:ocultad[oa]|omitid[oa])",
           r"(?:.+ )?documento (?:ocultado|omitido)", r"<(?:Arquivo de mídia oculto|Mídia oculta)>",
           r"<anexado: [^>]+>.*", r".+ \(arquivo anexado\)"],
    "nl": [r"(?:afbeelding|video|audio|sticker|GIF|contactkaart) weggelaten", r"(?:.+ )?document weggelaten",
           r"<Media weggelaten>", r"<bijgevoegd: [^>]+>.*", r".+ \(bestand bijgevoegd\)"],
    "fr": [r"(?:image|vidéo|audio|autocollant|GIF|fiche contact) (?:absente?|omise?)", r"(?:.+ )?document (?:absent|omis)",
           r"<Médias omis>", r"<pièce jointe ?: [^>]+>.*", r".+ \(fichier joint\)"],
    "it": [r"(?:immagine|video|audio|sticker|GIF|scheda contatto) omess[oa]", r"(?:.+ )?documento omesso",
           r"<Media omessi>", r"<allegato: [^>]+>.*", r".+ \(file allegato\)"],
    "ru": [r"(?:изображение|видео|аудиофайл|стикер|GIF|карточка контакта) отсутствует", r"(?:.+ )?документ отсутствует",
           r"<Без медиафайлов>", r"<вложение: [^>]+>.*", r".+ \(файл добавлен\)"],
}

DELETED = {
    "en": [r"This message was deleted\.?", r"You deleted this message\.?"],
    "de": [r"Diese Nachricht wurde gelöscht\.?", r"Du hast diese Nachricht gelöscht\.?"],
    "es": [r"Se eliminó este mensaje\.?", r"Eliminaste este mensaje\.?"],
    "pt": [r"Essa mensagem foi apagada\.?", r"Você apagou (?:esta|essa) mensagem\.?"],
    "nl": [r"Dit bericht is verwijderd\.?", r"Je hebt dit bericht verwijderd\.?"],
    "fr": [r"Ce message a été supprimé\.?", r"Vous avez supprimé ce message\.?"],
    "it": [r"Questo messaggio è stato eliminato\.?", r"Hai eliminato questo messaggio\.?"],
    "ru": [r"(?:Данное|Это) сообщение удалено\.?", r"Вы удалили (?:данное|это) сообщение\.?"],
}

UNDECRYPTABLE = {
    "en": [r"Waiting for this message\.?.*"], "de": [r"Warten auf diese Nachricht\.?.*"],
    "es": [r"Esperando (?:este|el) mensaje\.?.*"], "pt": [r"Aguardando (?:esta )?mensagem\.?.*"],
    "nl": [r"Wachten op dit bericht\.?.*"], "fr": [r"En attente de ce message\.?.*"],
    "it": [r"In attesa di questo messaggio\.?.*"], "ru": [r"Ожидание (?:этого )?сообщения\.?.*"],
}

CALL = {
    "en": [r"Missed (?:group )?(?:voice|video) call.*", r"(?:Group )?(?:Voice|Video) call(?:, .*)?"],
    "de": [r"Verpasster (?:Gruppen)?(?:Sprach|Video)anruf.*", r"(?:Gruppen)?(?:Sprach|Video)anruf(?:, .*)?"],
    "es": [r"(?:Llamada (?:de voz|de video)|Videollamada)(?: perdida)?(?:, .*)?", r"Llamada perdida.*"],
    "pt": [r"(?:Chamada|Ligação) de (?:voz|vídeo)(?: perdida)?(?:, .*)?"],
    "nl": [r"Gemiste (?:spraak|video)oproep.*", r"(?:Spraak|Video)oproep(?:, .*)?"],
    "fr": [r"Appel (?:vocal|vidéo)(?: manqué)?(?:, .*)?"],
    "it": [r"(?:Chiamata vocale|Videochiamata)(?: persa)?(?:, .*)?"],
    "ru": [r"Пропущенный (?:аудио|видео)звонок.*", r"(?:Аудио|Видео)звонок(?:, .*)?"],
}

LOCATION = {
    "en": [r"(?:[Ll]ocation|[Ll]ive location shared): .*"], "de": [r"Standort: .*"], "es": [r"Ubicación: .*"],
    "pt": [r"Localização: .*"], "nl": [r"Locatie: .*"], "fr": [r"Position ?: .*"], "it": [r"Posizione: .*"],
    "ru": [r"Геопозиция: .*"],
}

POLL = {
    "en": [r"POLL:\n.*"], "de": [r"UMFRAGE:\n.*"], "es": [r"ENCUESTA:\n.*"], "pt": [r"ENQUETE:\n.*"],
    "nl": [r"PEILING:\n.*"], "fr": [r"SONDAGE ?:\n.*"], "it": [r"SONDAGGIO:\n.*"], "ru": [r"ОПРОС:\n.*"],
}

# Whole-line system notices; they are tested before the author is split off (see X and Q above).
SYSTEM = {
    "en": [rf"(?:You|{X}) created group {Q}", rf"{X} joined using this group's invite link", rf"{X} left",
           rf"{X} added {X}", r"You were added", rf"{X} removed {X}", rf"{X} changed the subject (?:from {Q} )?to {Q}",
           rf"{X} (?:changed|deleted) the group description", rf"{X} changed this group's (?:settings|icon).*",
           rf"{X} deleted this group's icon", rf"{X} changed their phone number.*", rf"{X} (?:was )?changed to .+",
           rf"{X} turned (?:on|off) disappearing messages.*", r"You're now an admin", rf"{X} created this group",
           r"Your security code with .+ changed.*", rf"{X} joined", rf"{X} is a contact\.?"],
    "de": [rf"{X} hat die Gruppe {Q} erstellt\.?", rf"{X} hat (?:dich|{X}) hinzugefügt\.?",
           rf"{X} ist über den Einladungslink dieser Gruppe beigetreten\.?", rf"{X} hat die Gruppe verlassen\.?",
           rf"{X} (?:ist ausgetreten|wurde entfernt)\.?", rf"{X} hat (?:den Betreff|die Gruppenbeschreibung|das Gruppenbild) .*geändert\.?",
           rf"{X} hat {X} entfernt\.?", r"Du wurdest hinzugefügt\.?"],
    "es": [rf"{X} creó el grupo {Q}\.?", rf"{X} (?:te )?añadió(?: a {X})?\.?", rf"{X} salió del grupo\.?", rf"{X} salió\.?",
           rf"{X} se unió (?:usando|mediante) el enlace de invitación.*", rf"{X} cambió (?:el asunto|la descripción|el ícono|el icono).*",
           rf"{X} eliminó a {X}\.?"],
    "pt": [rf"{X} criou (?:o grupo {Q}|este grupo)\.?", rf"{X} adicionou (?:você|{X})\.?", rf"{X} saiu\.?",
           rf"{X} entrou usando o link de convite.*", rf"{X} (?:mudou|alterou) (?:o assunto|a descrição|a imagem|o nome).*",
           rf"{X} removeu {X}\.?"],
    "nl": [rf"{X} heeft (?:de )?groep {Q} aangemaakt\.?", rf"{X} heeft (?:je|{X}) toegevoegd\.?", rf"{X} is vertrokken\.?",
           rf"{X} heeft de groep verlaten\.?", rf"{X} neemt deel via de uitnodigingslink.*",
           rf"{X} heeft (?:het onderwerp|de groepsbeschrijving|het groepspictogram) .*gewijzigd.*", rf"{X} heeft {X} verwijderd\.?"],
    "fr": [rf"{X} a créé le groupe {Q}\.?", rf"{X} (?:vous )?a ajouté(?: {X})?\.?", rf"{X} est parti(?:e)?\.?",
           rf"{X} a rejoint (?:ce groupe|le groupe) (?:via|avec) le lien d'invitation.*",
           rf"{X} a (?:changé|modifié) (?:le sujet|la description|l'icône).*", rf"{X} a retiré {X}\.?"],
    "it": [rf"{X} ha creato il gruppo {Q}\.?", rf"{X} (?:ti )?ha aggiunto(?: {X})?\.?", rf"{X} è uscit[oa]\.?",
           rf"{X} si è unit[oa] (?:tramite|usando) il link d'invito.*", rf"{X} ha (?:cambiato|modificato) (?:l'oggetto|la descrizione|l'immagine).*",
           rf"{X} ha rimosso {X}\.?"],
    "ru": [rf"{X} создал\(?а?\)? группу {Q}\.?", rf"{X} добавил\(?а?\)? (?:вас|{X})\.?", rf"{X} вы(?:шел|шла|шел\(ла\))\.?",
           rf"{X} присоединил(?:ся|ась|ся\(-ась\)) по ссылке-приглашению.*", rf"{X} изменил\(?а?\)? (?:тему|описание|изображение).*",
           rf"{X} удалил\(?а?\)? {X}\.?"],
}

# The encryption notice, matched on its key phrase; it may carry an author.
ENCRYPTION = re.compile(
    r"end-to-end encrypt|secured with end-to-end encryption|Ende-zu-Ende-verschlüsselt|cifrados de extremo a extremo|"
    r"criptografia de ponta a ponta|end-to-end versleuteld|chiffrés de bout en bout|crittografati end-to-end|"
    r"сквозным шифрованием")

EDITED = re.compile(
    r"[ \t]*\n?[ \t]*\u200e?<(?:This message was edited|Diese Nachricht wurde bearbeitet\.?|Se editó este mensaje\.?|"
    r"Mensagem editada|Esta mensagem foi editada|Dit bericht is bewerkt|Bericht bewerkt|Ce message a été modifié|"
    r"Questo messaggio è stato modificato|Messaggio modificato|Сообщение изменено)>[ \t]*$")


def _compile(table: dict[str, list[str]], langs=None) -> re.Pattern:
    parts = [p for lang, pats in table.items() if langs is None or lang in langs for p in pats]
    return re.compile("(?:" + "|".join(parts) + r")\Z", re.DOTALL)


# One pattern with a named group per kind: a single match call per body decides its kind. Patterns
# that start with '.+ ' (a file name before 'document omitted') scan the whole body, so they are
# kept apart and tried only on bodies that end like a placeholder.
_TABLES = {"deleted": DELETED, "undecryptable": UNDECRYPTABLE, "media": MEDIA, "call": CALL, "location": LOCATION,
           "poll": POLL}


def _split(table: dict[str, list[str]], suffix: bool) -> dict[str, list[str]]:
    return {lang: [p for p in pats if p.startswith(("(?:.+ )?", ".+ ")) == suffix] for lang, pats in table.items()}


KINDS_RE = re.compile("|".join(f"(?P<{kind}>{_compile(_split(table, False)).pattern})"
                               for kind, table in _TABLES.items()), re.DOTALL)
MEDIA_SUFFIX_RE = _compile(_split(MEDIA, True))
_PLACEHOLDER_ENDS = {"omitted", "weggelassen", "omitido", "omitida", "ocultado", "weggelaten", "absent", "omis",
                     "omesso", "отсутствует"}
PLACEHOLDER_ENDS = (")", *_PLACEHOLDER_ENDS)  # bodies worth a MEDIA_SUFFIX_RE match (a C-level test first)
SYSTEM_RE = _compile(SYSTEM)
_DAY_FIRST = ("de", "es", "pt", "nl", "fr", "it", "ru")
DAY_FIRST_RE = re.compile("|".join(_compile(t, _DAY_FIRST).pattern for t in (MEDIA, DELETED, SYSTEM, CALL)), re.DOTALL)


def first_chars(pattern: re.Pattern) -> frozenset[str] | None:
    """Every character a match of `pattern` can start with, read from its parsed form; None when any
    character can (a leading `.`, a negated class, an empty match) or the form is not understood."""
    try:
        from re import _parser as parser  # Python 3.11+
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse as parser  # type: ignore[no-redef]
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        chars, can_be_empty = _first(list(parser.parse(pattern.pattern, pattern.flags)))
    except Exception:  # a private module: if its form ever changes, go without the shortcut
        return None
    return frozenset(chars) if chars is not None and not can_be_empty else None


def _first(items: list) -> tuple[set[str] | None, bool]:
    """(first characters, whether the sequence can match empty) of a parsed regex sequence."""
    out: set[str] = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            chars, empty = {chr(av)}, False
        elif name == "IN":
            if any(str(o) != "LITERAL" for o, _ in av):
                return None, False  # ranges, categories, negation: give up
            chars, empty = {chr(a) for _, a in av}, False
        elif name == "SUBPATTERN":
            chars, empty = _first(list(av[-1]))
        elif name == "BRANCH":
            found = [_first(list(alt)) for alt in av[1]]
            if any(c is None for c, _ in found):
                return None, False
            chars, empty = set().union(*(c for c, _ in found)), any(e for _, e in found)
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            chars, empty = _first(list(av[2]))
            empty = empty or av[0] == 0
        else:
            return None, False
        if chars is None:
            return None, False
        out |= chars
        if not empty:
            return out, False
    return out, True


def _by_first_char() -> dict[str, list[tuple[str, str]]] | None:
    """(kind, pattern) pairs of KINDS_RE by the characters their matches can start with, in KINDS_RE's
    order; None if some pattern could start with anything."""
    table: dict[str, list[tuple[str, str]]] = {}
    for kind, patterns in _TABLES.items():
        for pats in _split(patterns, False).values():
            for pattern in pats:
                chars = first_chars(re.compile(pattern, re.DOTALL))
                if chars is None:
                    return None
                for char in chars:
                    table.setdefault(char, []).append((kind, pattern))
    return table


_BY_FIRST = _by_first_char()
# What a body must start or end with to be worth body_kind at all (PLACEHOLDER_FIRST None: anything).
PLACEHOLDER_FIRST = frozenset(_BY_FIRST) if _BY_FIRST is not None else None


@functools.lru_cache(maxsize=None)  # a few dozen characters at most
def _kinds_for(char: str) -> re.Pattern | None:
    """KINDS_RE cut down to the placeholders that can start with `char` (a body is mostly text, and
    trying two or three patterns is far cheaper than trying all of them)."""
    if _BY_FIRST is None:
        return KINDS_RE
    pairs = _BY_FIRST.get(char)
    if not pairs:
        return None
    kinds = dict.fromkeys(kind for kind, _ in pairs)
    return re.compile("|".join(f"(?P<{kind}>(?:" + "|".join(p for k, p in pairs if k == kind) + r")\Z)"
                               for kind in kinds), re.DOTALL)


def body_kind(body: str) -> str | None:
    """The kind a placeholder body marks ('media', 'deleted', ...), or None for ordinary text."""
    kinds = _kinds_for(body[:1])
    m = kinds.match(body) if kinds is not None else None
    if m:
        return m.lastgroup
    if body.endswith(PLACEHOLDER_ENDS):
        return "media" if MEDIA_SUFFIX_RE.match(body) else None
    return None


LRM = "\u200e"
_QUOTE = re.compile("[\"“„«]")


@functools.lru_cache(maxsize=4096)  # a chat has few authors and many messages
def _author(author: str) -> tuple[str, bool]:
    """(clean name, whether REST may be a whole-line notice instead: a long author or a quote in it)."""
    # A colon inside a quoted subject ('created group "A: b"') looks like an author; only then (or
    # for a name too long to be one) are the whole-line notices worth testing.
    return clean_name(author), len(author) > 40 or _QUOTE.search(author) is not None


def classify(rest: str, flagged: bool = False) -> tuple[str, str, str, bool]:
    """(speaker, kind, text, edited) of a header's REST: 'Ana: <LRM>image omitted' → ('Ana', 'media', ...)."""
    marked = LRM in rest  # most messages hold none: then every LRM step below is skipped
    bare = rest
    if marked and rest[:1] == LRM:
        flagged, bare = True, rest.lstrip(LRM)
    author, sep, body = bare.partition(":")
    if not sep or len(author) > 100 or "\n" in author:
        return "", "system", bare.replace(LRM, ""), False  # author-less: Android and old-iOS notices
    name, suspect = _author(author)
    if suspect and (SYSTEM_RE.match(bare) or ENCRYPTION.search(author)):
        return "", "system", bare.replace(LRM, ""), False
    if body[:1] == " ":
        body = body[1:]
    if marked and body[:1] == LRM:
        flagged, body = True, body.lstrip(LRM)
    end = body[-1:]
    edited = EDITED.search(body) if end == ">" or (end.isspace() and body.rstrip()[-1:] == ">") else None
    if edited:
        body = body[:edited.start()]
    if marked and LRM in body:
        kind = body_kind(body.replace(LRM, ""))
    elif PLACEHOLDER_FIRST is None or body[:1] in PLACEHOLDER_FIRST or body.endswith(PLACEHOLDER_ENDS):
        kind = body_kind(body)
    else:  # most bodies: no placeholder starts or ends like this one, so no call and no match
        kind = None
    if kind is None:
        # The encryption notice carries an author only in LRM-flagged (iOS) form, so no search on text.
        kind = "system" if flagged else "text"
    if marked and kind != "text":
        body = body.replace(LRM, "")
    return name, kind, body, edited is not None
