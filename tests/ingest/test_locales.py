"""WhatsApp markers in every supported language: the kind of each placeholder and notice, and day-first dates."""

from __future__ import annotations

import pytest

from simulacra.ingest.whatsapp import classify

LRM = "\u200e"

CASES = [
    # (REST after the header, expected speaker, kind, text)
    ("Ana: \u200eimagen omitida", "Ana", "media", "imagen omitida"),
    ("Ana: <Multimedia omitido>", "Ana", "media", "<Multimedia omitido>"),
    ("Ana: Se eliminó este mensaje.", "Ana", "deleted", "Se eliminó este mensaje."),
    ('Ana creó el grupo "Viaje: 2024"', "", "system", 'Ana creó el grupo "Viaje: 2024"'),
    ("Ana: \u200eimagem ocultada", "Ana", "media", "imagem ocultada"),
    ("Ana: Essa mensagem foi apagada", "Ana", "deleted", "Essa mensagem foi apagada"),
    ("Ana: <Mídia oculta>", "Ana", "media", "<Mídia oculta>"),
    ("Ana: <Media weggelaten>", "Ana", "media", "<Media weggelaten>"),
    ("Ana: Dit bericht is verwijderd", "Ana", "deleted", "Dit bericht is verwijderd"),
    ('Ana heeft groep "Uitje: mei" aangemaakt', "", "system", 'Ana heeft groep "Uitje: mei" aangemaakt'),
    ("Ana: <Médias omis>", "Ana", "media", "<Médias omis>"),
    ("Ana: Ce message a été supprimé", "Ana", "deleted", "Ce message a été supprimé"),
    ("Ana: Appel vocal manqué", "Ana", "call", "Appel vocal manqué"),
    ("Ana: <Media omessi>", "Ana", "media", "<Media omessi>"),
    ("Ana: Questo messaggio è stato eliminato", "Ana", "deleted", "Questo messaggio è stato eliminato"),
    ("Ana: <Без медиафайлов>", "Ana", "media", "<Без медиафайлов>"),
    ("Ana: Данное сообщение удалено", "Ana", "deleted", "Данное сообщение удалено"),
    ("Ana: Пропущенный аудиозвонок", "Ana", "call", "Пропущенный аудиозвонок"),
    ("Ana: Waiting for this message. This may take a while.", "Ana", "undecryptable",
     "Waiting for this message. This may take a while."),
    ("Ana: report.pdf (file attached)", "Ana", "media", "report.pdf (file attached)"),
    ("Ana: \u200eAna.vcf (Datei angehängt)", "Ana", "media", "Ana.vcf (Datei angehängt)"),
    ("Ana: <attached: 00000042-PHOTO-2021-01-02-10-11-12.jpg>", "Ana", "media",
     "<attached: 00000042-PHOTO-2021-01-02-10-11-12.jpg>"),
    ("Ana: \u200e<attached: \u200e00000043-PTT-2021-01-02-10-11-12.opus>", "Ana", "media",
     "<attached: 00000043-PTT-2021-01-02-10-11-12.opus>"),
    ("Ana: \u200eVideo call, \u200eNo answer", "Ana", "call", "Video call, No answer"),
    ('You changed the subject from "Old: x" to "New: y"', "", "system", 'You changed the subject from "Old: x" to "New: y"'),
    ("Ana changed their phone number to a new number. Tap to message or add the new number.", "", "system",
     "Ana changed their phone number to a new number. Tap to message or add the new number."),
    ("\u200e\u202a+00 11 2222-3333\u202c joined using this group's invite link", "", "system",
     "\u202a+00 11 2222-3333\u202c joined using this group's invite link"),
    ("Ana: I left the keys: on the table", "Ana", "text", "I left the keys: on the table"),
    ("🌸 Mia 🌸: hi", "🌸 Mia 🌸", "text", "hi"),
    ("Jean-Luc: \u05e9\u05dc\u05d5\u05dd", "Jean-Luc", "text", "\u05e9\u05dc\u05d5\u05dd"),
    ("Chat: \u200eMessages and calls are end-to-end encrypted. No one outside of this chat can read them.", "Chat",
     "system", "Messages and calls are end-to-end encrypted. No one outside of this chat can read them."),
]


@pytest.mark.parametrize("rest,speaker,kind,text", CASES)
def test_marker_kinds(rest, speaker, kind, text):
    got = classify(rest)
    assert (got[0], got[1], got[2]) == (speaker, kind, text)


@pytest.mark.parametrize("body,kind", [("<Medien ausgeschlossen>", "media"), ("Dit bericht is verwijderd", "deleted"),
                                       ("<Médias omis>", "media"), ("<Media omessi>", "media"),
                                       ("<Без медиафайлов>", "media")])
def test_system_strings_decide_day_first(ingest, body, kind):
    # Every date fits both orders; the language of WhatsApp's own strings says day first.
    (conv,) = ingest("chat.txt", f"02/03/21, 10:00 - Ana: hi\n02/03/21, 10:01 - Ben: {body}\n02/03/21, 10:02 - Ben: ok\n")
    assert conv.messages[0].time.isoformat() == "2021-03-02T10:00:00"
    assert conv.messages[1].kind == kind
    assert ingest.manifest["warnings"] == []


def test_placeholder_first_characters_are_read_from_the_patterns():
    import re

    from simulacra.ingest.whatsapp_markers import PLACEHOLDER_FIRST, first_chars

    assert first_chars(re.compile(r"(?:[Ll]ocation|Live): .*")) == frozenset("LlL")
    assert first_chars(re.compile(r"\u200e?<x>")) == frozenset("\u200e<")
    assert first_chars(re.compile(r"(?:.+ )?document")) is None  # may start with anything
    assert first_chars(re.compile(r"a?")) is None  # may be empty
    assert first_chars(re.compile(r"[^a]b")) is None
    # The shortcut is on for the shipped tables, and every placeholder above still got its kind.
    assert PLACEHOLDER_FIRST is not None and {"<", "T", "M", "n"} <= PLACEHOLDER_FIRST
