"""WhatsApp text exports: every layout and quirk of shared/FORMATS.md, with exact expected messages."""

from __future__ import annotations

import zipfile

import pytest

from simulacra.errors import InputError
from .conftest import rows

LRM, NNBSP, NBSP = "\u200e", "\u202f", "\u00a0"

ANDROID = (
    "1/2/21, 09:00 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, "
    "can read or listen to them. Tap to learn more.\n"
    '1/2/21, 09:01 - Ana created group "Fun: times"\n'
    "1/2/21, 09:02 - Ana: first line\n"
    "\n"
    "\tindented log line\n"
    "12/31/20 is a date that starts a line\n"
    "1/2/21, 09:03 - Ben: <Media omitted>\n"
    "1/13/21, 21:04 - Ben: This message was deleted\n"
    "1/13/21, 21:05 - Ana: see: this\n"
    "1/13/21, 21:06 - Ana: typo fixed\n"
    "<This message was edited>\n"
    "1/13/21, 21:07 - Ben: null\n"
    "1/13/21, 21:08 - Ben: Missed voice call\n"
    "1/13/21, 21:09 - Ana:."
)


def test_android_24h_month_first_from_the_middle(ingest):
    (conv,) = ingest("WhatsApp Chat with Fun.txt", ANDROID)
    assert conv.title == "Fun" and conv.id == "whatsapp-fun"
    assert rows(conv) == [
        ("", "2021-01-02T09:00:00", "Messages and calls are end-to-end encrypted. No one outside of this chat, not even "
         "WhatsApp, can read or listen to them. Tap to learn more.", "system"),
        ("", "2021-01-02T09:01:00", 'Ana created group "Fun: times"', "system"),
        ("Ana", "2021-01-02T09:02:00", "first line\n\n\tindented log line\n12/31/20 is a date that starts a line", "text"),
        ("Ben", "2021-01-02T09:03:00", "<Media omitted>", "media"),
        ("Ben", "2021-01-13T21:04:00", "This message was deleted", "deleted"),
        ("Ana", "2021-01-13T21:05:00", "see: this", "text"),
        ("Ana", "2021-01-13T21:06:00", "typo fixed", "text"),
        ("Ben", "2021-01-13T21:07:00", "null", "media"),
        ("Ben", "2021-01-13T21:08:00", "Missed voice call", "call"),
        ("Ana", "2021-01-13T21:09:00", ".", "text"),
    ]
    assert [m.edited for m in conv.messages].index(True) == 6
    assert conv.participants == ["Ana", "Ben"]


IOS_12H = (
    f"\ufeff[25/12/22, 11:59:58{NNBSP}PM] Ana: late\n"
    f"{LRM}[26/12/22, 12:00:01{NNBSP}AM] Family: {LRM}Ana added Ben\n"
    f"[26/12/22, 12:30:00{NNBSP}PM] Ben: {LRM}image omitted\n"
    f"[\ufeff26/12/22, 1:05:09{NNBSP}PM] ~{NNBSP}Dee: who is this\n"
    f"[26/12/22, 1:06:00{NNBSP}PM] \u202a+00{NBSP}11 2222\u20113333\u202c: number here\n"
    f"[26/12/22, 1:07:00{NNBSP}PM] Ana: ok {LRM}<This message was edited>\n"
    f"[26/12/22, 1:08:00{NNBSP}PM] Ben: {LRM}Voice call, {LRM}3 min\n"
    f"[26/12/22, 1:09:00{NNBSP}PM] Ana: {LRM}POLL:\nLunch?\n{LRM}OPTION: Pizza (2 votes)\n{LRM}OPTION: Soup (0 votes)\n"
    f"[26/12/22, 1:10:00{NNBSP}PM] Ben: {LRM}Location: https://maps.google.com/?q=1.5,2.5\n"
)


def test_ios_12h_nnbsp_lrm_flags_and_names(ingest):
    (conv,) = ingest("_chat.txt", IOS_12H)
    assert rows(conv) == [
        ("Ana", "2022-12-25T23:59:58", "late", "text"),
        ("Family", "2022-12-26T00:00:01", "Ana added Ben", "system"),
        ("Ben", "2022-12-26T12:30:00", "image omitted", "media"),
        ("Dee", "2022-12-26T13:05:09", "who is this", "text"),
        ("+00 11 2222-3333", "2022-12-26T13:06:00", "number here", "text"),
        ("Ana", "2022-12-26T13:07:00", "ok", "text"),
        ("Ben", "2022-12-26T13:08:00", "Voice call, 3 min", "call"),
        ("Ana", "2022-12-26T13:09:00", "POLL:\nLunch?\nOPTION: Pizza (2 votes)\nOPTION: Soup (0 votes)", "poll"),
        ("Ben", "2022-12-26T13:10:00", "Location: https://maps.google.com/?q=1.5,2.5", "location"),
    ]
    assert conv.messages[5].edited
    assert conv.participants == ["Ana", "Ben", "Dee", "+00 11 2222-3333"]


GERMAN = (
    f"[03.02.21, 10:15:00] Buchclub: {LRM}Ana hat dich hinzugefügt.\n"
    "[03.02.21, 10:16:00] Ana: Hallo „zusammen“ 👩‍👩‍👧\n"
    f"[03.02.21, 10:17:00] Ben: {LRM}Bild weggelassen\n"
    f"[04.02.21, 08:00:00] Ben: {LRM}<Anhang: 00000012-PHOTO-2021-02-04-08-00-00.jpg>\n"
    f"[04.02.21, 08:01:00] Ana: {LRM}Diese Nachricht wurde gelöscht.\n"
    f"[04.02.21, 08:02:00] Ana: {LRM}bericht.pdf • 1 Seite Dokument weggelassen\n"
    f"[04.02.21, 08:03:00] Ben: jetzt {LRM}<Diese Nachricht wurde bearbeitet.>\n"
)


def test_german_ios_dd_mm_yy_decided_by_locale(ingest):
    (conv,) = ingest("_chat.txt", GERMAN)
    assert rows(conv) == [
        ("Buchclub", "2021-02-03T10:15:00", "Ana hat dich hinzugefügt.", "system"),
        ("Ana", "2021-02-03T10:16:00", "Hallo „zusammen“ 👩‍👩‍👧", "text"),
        ("Ben", "2021-02-03T10:17:00", "Bild weggelassen", "media"),
        ("Ben", "2021-02-04T08:00:00", "<Anhang: 00000012-PHOTO-2021-02-04-08-00-00.jpg>", "media"),
        ("Ana", "2021-02-04T08:01:00", "Diese Nachricht wurde gelöscht.", "deleted"),
        ("Ana", "2021-02-04T08:02:00", "bericht.pdf • 1 Seite Dokument weggelassen", "media"),
        ("Ben", "2021-02-04T08:03:00", "jetzt", "text"),
    ]
    assert ingest.manifest["warnings"] == []


def test_german_android_12h_and_spanish_a_m(ingest):
    (conv,) = ingest("de.txt", "03.02.21, 11:05 PM - Ana: spät\n03.02.21, 12:10 AM - Ben: <Medien ausgeschlossen>\n")
    assert rows(conv) == [("Ana", "2021-02-03T23:05:00", "spät", "text"),
                          ("Ben", "2021-02-03T00:10:00", "<Medien ausgeschlossen>", "media")]
    (conv,) = ingest("es.txt", "01/02/2023, 00:08 a. m. - Ana: hola\n01/02/2023, 1:15 p. m. - Ben: Se eliminó este mensaje.\n")
    assert rows(conv) == [("Ana", "2023-02-01T00:08:00", "hola", "text"),
                          ("Ben", "2023-02-01T13:15:00", "Se eliminó este mensaje.", "deleted")]


def test_old_ios_colon_layout_and_authorless_system(ingest):
    text = (f"05/06/2017, 10:11:12: {LRM}\u202a+00 11 2222-3333\u202c criou este grupo\n"
            "05/06/2017, 10:12:00: Ana: oi\n13/06/2017, 10:13:00: Bia: tudo bem?\n")
    (conv,) = ingest("old.txt", text)
    assert rows(conv) == [("", "2017-06-05T10:11:12", "\u202a+00 11 2222-3333\u202c criou este grupo", "system"),
                          ("Ana", "2017-06-05T10:12:00", "oi", "text"),
                          ("Bia", "2017-06-13T10:13:00", "tudo bem?", "text")]


def test_year_first_and_bracket_without_comma(ingest):
    (conv,) = ingest("ymd.txt", "2024/03/04, 05:06 - Ana: hi\n")
    assert rows(conv) == [("Ana", "2024-03-04T05:06:00", "hi", "text")]
    (conv,) = ingest("pt.txt", "[21/03/2019 08:09:10] Ana: bom dia\r\n[21/03/2019 08:09:11] Bia: oi\r\n")
    assert rows(conv) == [("Ana", "2019-03-21T08:09:10", "bom dia", "text"), ("Bia", "2019-03-21T08:09:11", "oi", "text")]


def test_undecidable_dates_use_default_with_warning(ingest):
    (conv,) = ingest("a.txt", "1/2/21, 10:00 - Ana: hi\n1/2/21, 10:01 - Ben: yo\n")
    assert conv.messages[0].time.month == 2
    assert "day/month" in ingest.manifest["warnings"][0]
    (conv,) = ingest("a.txt", "1/2/21, 10:00 - Ana: hi\n1/2/21, 10:01 - Ben: yo\n", date_order="mdy")
    assert conv.messages[0].time.month == 1


def test_zip_as_exported(ingest, tmp_path):
    path = tmp_path / "WhatsApp Chat - Ana.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("_chat.txt", "[13/01/22, 10:00:00] Ana: hi\n[13/01/22, 10:00:05] Ben: hey\n")
        z.writestr("00000003-PHOTO-2022-01-13-10-00-00.jpg", b"\xff\xd8")
    (conv,) = ingest("WhatsApp Chat - Ana.zip", path.read_bytes())
    assert conv.title == "Ana"
    assert rows(conv) == [("Ana", "2022-01-13T10:00:00", "hi", "text"), ("Ben", "2022-01-13T10:00:05", "hey", "text")]


def test_text_before_first_header_is_an_error(ingest):
    with pytest.raises(InputError, match="expected a WhatsApp message header") as e:
        ingest("chat.txt", "\nExported from my phone\n1/2/21, 10:00 - Ana: hi\n")
    assert e.value.line == 2 and e.value.path.endswith("chat.txt")


def test_conflicting_day_and_month_first_is_an_error(ingest):
    with pytest.raises(InputError, match="day-first") as e:
        ingest("chat.txt", "13/1/21, 10:00 - Ana: hi\n1/13/21, 10:00 - Ana: hi\n")
    assert e.value.line == 2


def test_signal_text_export(ingest):
    (conv,) = ingest("signal-chat.txt", "[2024-01-02, 10:00] Ana: hi\nsecond line\n[2024-01-02, 10:01] Ben: yo: ok\n")
    assert conv.source == "signal" and conv.id == "signal-signal-chat"
    assert rows(conv) == [("Ana", "2024-01-02T10:00:00", "hi\nsecond line", "text"), ("Ben", "2024-01-02T10:01:00", "yo: ok", "text")]


def test_more_layouts_and_names(ingest):
    text = ("[03-02-2021, 10:15:00] Ana: hoi\n"  # nl iOS: dashed, so day first
            "[03-02-2021, 10:16:00] \u202a+00 11111 22222: nummer\n"  # U+202C missing
            "[03-02-2021, 10:17:00] Jose\u0301: nfc\n"
            "[03-02-2021, 10:18:00] Ana: link https://exa\ufeffmple.org/\n"
            "[03-02-2021, 10:19")  # cut off mid-header: belongs to the message before
    (conv,) = ingest("nl.txt", text)
    assert rows(conv) == [("Ana", "2021-02-03T10:15:00", "hoi", "text"),
                          ("+00 11111 22222", "2021-02-03T10:16:00", "nummer", "text"),
                          ("José", "2021-02-03T10:17:00", "nfc", "text"),
                          ("Ana", "2021-02-03T10:18:00", "link https://example.org/\n[03-02-2021, 10:19", "text")]
    (conv,) = ingest("us.txt", "[01/13/21 10:00] Ana: no comma, no seconds\n")
    assert rows(conv) == [("Ana", "2021-01-13T10:00:00", "no comma, no seconds", "text")]
    (conv,) = ingest("old.txt", "1/13/17, 10:00: Ana changed the subject to “Trip: 2017”\n1/13/17, 10:01: Ana: ok\n")
    assert rows(conv)[0] == ("", "2017-01-13T10:00:00", "Ana changed the subject to “Trip: 2017”", "system")


def test_utf16_export_from_a_windows_editor(ingest):
    (conv,) = ingest("chat.txt", "13/1/21, 10:00 - Ana: olá\r\n13/1/21, 10:01 - Ben: 👍\r\n".encode("utf-16"))
    assert rows(conv) == [("Ana", "2021-01-13T10:00:00", "olá", "text"), ("Ben", "2021-01-13T10:01:00", "👍", "text")]


@pytest.mark.parametrize("size", [1, 5, 64])
def test_block_boundaries_do_not_change_messages(ingest, monkeypatch, size):
    from simulacra.ingest import whatsapp

    expected = {name: rows(ingest(name, text)[0]) for name, text in (("a.txt", ANDROID), ("i.txt", IOS_12H))}
    blocks = whatsapp.TextSource.blocks
    monkeypatch.setattr(whatsapp.TextSource, "blocks", lambda self, part=0: blocks(self, part, size))
    for name, text in (("a.txt", ANDROID), ("i.txt", IOS_12H)):
        (conv,) = ingest(name, text)
        assert rows(conv) == expected[name]
        if name == "a.txt":  # source_id is the header's line number
            assert [m.source_id for m in conv.messages] == ["1", "2", "3", "7", "8", "9", "10", "12", "13", "14"]


def test_impossible_12h_hour_is_read_as_24h_with_a_warning(ingest):
    # As in a published sample file: '23:59 PM'. One warning names the first such line, one counts them.
    text = ("1/28/18, 11:58 PM - Ana: hi\n1/29/18, 23:59 PM - Ben: late\n1/29/18, 12:00 AM - Ana: midnight\n"
            "1/29/18, 13:05 AM - Ben: again\n")
    (conv,) = ingest("chat.txt", text)
    assert rows(conv) == [("Ana", "2018-01-28T23:58:00", "hi", "text"), ("Ben", "2018-01-29T23:59:00", "late", "text"),
                          ("Ana", "2018-01-29T00:00:00", "midnight", "text"),
                          ("Ben", "2018-01-29T13:05:00", "again", "text")]
    warnings = [w for w in ingest.manifest["warnings"] if "hour" in w]
    assert warnings[0].endswith("chat.txt:2: hour 23 with PM in a 12-hour header; read as 23:59")
    assert warnings[1].endswith("chat.txt: 2 headers have an hour of 13-23 with AM/PM; each was read as a 24-hour time")
    with pytest.raises(InputError, match="invalid time 24:00") as e:
        ingest("bad.txt", "1/28/18, 11:58 PM - Ana: hi\n1/29/18, 24:00 PM - Ben: no\n")
    assert e.value.line == 2


@pytest.mark.parametrize("size", [1, 2, 3, 7, 1 << 18])
def test_crlf_cr_bom_and_utf16_across_block_boundaries(ingest, monkeypatch, size):
    from simulacra.ingest import whatsapp

    blocks = whatsapp.TextSource.blocks
    monkeypatch.setattr(whatsapp.TextSource, "blocks", lambda self, part=0: blocks(self, part, size))
    text = "\ufeff[21/03/2019 08:09:10] Ana: bom dia\r\nsegunda ✓\r\n\r\n[21/03/2019 08:09:11] Bia: oi\rtrês\r\n"
    expected = [("Ana", "2019-03-21T08:09:10", "bom dia\nsegunda ✓", "text"),
                ("Bia", "2019-03-21T08:09:11", "oi\ntrês", "text")]
    for encoded in (text.encode("utf-8"), text.encode("utf-16")):
        (conv,) = ingest("pt.txt", encoded)
        assert rows(conv) == expected
        assert [m.source_id for m in conv.messages] == ["1", "4"]


@pytest.mark.parametrize("size", [1, 2, 3, 5, 1 << 18])
def test_date_order_scan_over_bytes_matches_the_text(ingest, monkeypatch, size):
    from simulacra.ingest import whatsapp

    byte_blocks = whatsapp.TextSource.byte_blocks
    monkeypatch.setattr(whatsapp.TextSource, "byte_blocks", lambda self: byte_blocks(self, size))
    # Day first is proven only by the last header, whose bracket holds a U+FEFF and whose time an NNBSP.
    text = (f"{LRM}[1/2/21, 10:00:00{NNBSP}AM] Ana: a\r\n[1/2/21, 10:01:00 AM] Bia: \ufeff\r\n"
            f"[\ufeff13/2/21, 10:02:00{NNBSP}PM] Ana: c\r\n")
    (conv,) = ingest("c.txt", "\ufeff" + text)
    assert [m.time.isoformat() for m in conv.messages] == ["2021-02-01T10:00:00", "2021-02-01T10:01:00",
                                                          "2021-02-13T22:02:00"]
    assert not ingest.manifest["warnings"]
    # Bare CR newlines: the byte scan gives way to the decoded text, which reads them as line breaks.
    (conv,) = ingest("cr.txt", "[1/2/21, 10:00:00] Ana: a\r[13/2/21, 10:01:00] Bia: b\r")
    assert rows(conv) == [("Ana", "2021-02-01T10:00:00", "a", "text"), ("Bia", "2021-02-13T10:01:00", "b", "text")]
