"""Each detector on the cases the privacy issue lists: cards and IBANs inside text, secret URLs, regions."""

import pytest

from simulacra.prepare.pii import Scrubber, infer_regions
from simulacra.prepare.pii.regions import guess_languages


@pytest.mark.parametrize("text, expected", [
    ("card 4111 1111 1111 1111 12/26 thx", "card <CARD> thx"),        # the expiry goes with the card
    ("4111.1111.1111.1111", "<CARD>"),
    ("4111-1111-1111-1111 exp 01/28", "<CARD> exp 01/28"),
    ("amex 3782 822463 10005", "amex <CARD>"),
    ("IBAN DE89370400440532013000 BIC COBADEFFXXX", "IBAN <IBAN> BIC COBADEFFXXX"),
    ("pay NL91ABNA0417164300 Thanks", "pay <IBAN> Thanks"),
    ("lower de89370400440532013000 ok", "lower <IBAN> ok"),
    ("dashed NL91-ABNA-0417-1643-00 ok", "dashed <IBAN> ok"),
    ("go https://x.example/login?email=a@b.com&token=f3A9kL2mQ8zR now", "go <URL> now"),
    ("https://api.telegram.org/bot123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11/sendMessage", "<URL>"),
    ("see example.com/reset?token=Zx81kLm3Qw9pTr4v.", "see <URL>."),
    ("www.example.org/confirm/a8Fk29LmQz71Xc0pVb4N", "<URL>"),
])
def test_cards_ibans_and_secret_urls_inside_text(text, expected):
    assert Scrubber().scrub(text) == expected


@pytest.mark.parametrize("text", [
    "https://www.nytimes.com/2024/05/12/us/politics/senate-vote-2024.html",
    "https://www.bbc.co.uk/news/uk-politics-68234512",
    "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC",       # a content id, not a credential
    "the router is at 192.168.1.254 if you need it",
    "Treffen am 14.03.2025 um 18:30 Uhr",
    "order 7788 9900 1122 3344 confirmed",                # 16 digits but no card brand starts with 7
    "Bestellnummer 0302 1234567 kommt morgen",              # a valid German number, but an order number
    "12345678 is a terrible password",
])
def test_ordinary_numbers_and_links_stay(text):
    scrubber = Scrubber.for_chat([text, "ich bin morgen da und du?"])
    assert scrubber.scrub(text) == text


def test_regions_come_from_plus_numbers_language_and_names():
    german = ["ruf mich an, ich bin da", "das ist nicht gut"]
    assert guess_languages(german) == ["de"]
    assert infer_regions(german)[:1] == ["DE"]
    assert infer_regions(["call me maybe"], names=["+254 712 345680"])[0] == "KE"
    assert infer_regions(["ok", "+33 6 12 34 56 78"])[0] == "FR"
    assert infer_regions(["👍"]) == ["US", "GB"]               # nothing to go on: the old default


def test_national_numbers_follow_the_chat_and_phone_regions_overrides():
    chat = ["ruf mich an unter 0151 23456789", "bin ab 18 Uhr da"]
    assert Scrubber.for_chat(chat).scrub(chat[0]) == "ruf mich an unter <PHONE>"
    assert Scrubber.for_chat(chat, phone_regions=["US"]).scrub(chat[0]) == chat[0]
    assert Scrubber.for_chat(chat, phone_regions=["US"]).scrub("+49 151 23456789") == "<PHONE>"


def test_unknown_region_is_an_error_naming_the_flag(tmp_path):
    from simulacra.config import build_config
    from simulacra.errors import SimulacraError
    from simulacra.prepare import PrepareConfig

    with pytest.raises(SimulacraError, match="--phone-region.*'XX'"):
        build_config(PrepareConfig, overrides={"run_dir": tmp_path, "speakers": ["Ana"], "phone_regions": ["XX"]})
    cfg = build_config(PrepareConfig, overrides={"run_dir": tmp_path, "speakers": ["Ana"], "phone_regions": ["de"]})
    assert cfg.phone_regions == ["DE"]


@pytest.mark.parametrize("text, expected", [
    ("I paid him, call 0712 345678", "I paid him, call <PHONE>"),     # "paid" is no "id"
    ("order #0712 345678", "order #0712 345678"),
    ("load 80 85 90 92 95 kg", "load 80 85 90 92 95 kg"),           # valid in the US, but not typed like one
    ("my number 1-201-555-0199", "my number <PHONE>"),
])
def test_context_words_and_digit_groups(text, expected):
    assert Scrubber.for_chat(["you and the rest of it"]).scrub(text) == expected
