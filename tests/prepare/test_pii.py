"""PII scrubbing: typed placeholders only where the data is real (checksums, secrets), counted by type."""

import orjson
import pytest

from conftest import make_chat
from datetime import datetime
from simulacra.prepare import PrepareConfig, run
from simulacra.rundir import RunDir
from simulacra.prepare.pii import Scrubber, iban_ok, luhn_ok
from simulacra.schema import write_conversations


@pytest.mark.parametrize("text, expected", [
    ("mail ana.b@example.co.uk now", "mail <EMAIL> now"),
    ("call +44 20 7946 0958 or (415) 555-0132", "call <PHONE> or <PHONE>"),
    ("pay DE89 3704 0044 0532 0130 00 please", "pay <IBAN> please"),
    ("GB82WEST12345698765432", "<IBAN>"),
    ("card 4111 1111 1111 1111 ok", "card <CARD> ok"),
    ("reset https://x.io/r?token=abc123&u=1 now", "reset <URL> now"),
    ("file https://d.io/s/Ab3kd9Qz8Lm2Np4Rt6Vw", "file <URL>"),
])
def test_each_kind_is_replaced_by_its_placeholder(text, expected):
    assert Scrubber().scrub(text) == expected


@pytest.mark.parametrize("text", [
    "order 1234 5678 9012 3456 shipped",            # fails Luhn
    "not an iban DE00 1234 5678 9012 3456 78",      # fails mod 97
    "see https://example.com/flats/best-dumplings",  # a URL with no secret stays
    "we met at 10:30 on 12/05/2024 in room 1204",    # dates, times, short numbers
    "omg 😂 lol",
])
def test_ordinary_text_is_left_alone(text):
    scrubber = Scrubber()
    assert scrubber.scrub(text) == text
    assert not scrubber.counts


def test_block_words_are_whole_words_case_insensitive_and_counted():
    scrubber = Scrubber(block_words=["Porto", "Biscuit"])
    assert scrubber.scrub("biscuit lives in PORTO; biscuits too") == "<REDACTED> lives in <REDACTED>; biscuits too"
    assert scrubber.counts == {"blocked": 2}


def test_checksums():
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert iban_ok("DE89 3704 0044 0532 0130 00") and not iban_ok("DE88 3704 0044 0532 0130 00")


def chat_with_pii(run_dir):
    plan = [("Ben", "what's your number?", 0), ("Ana", "+44 20 7946 0958 or ana@example.com", 1),
            ("Ben", "thanks", 1), ("Ana", "my card is 4111 1111 1111 1111 lol", 1)]
    write_conversations(run_dir / "conversations.jsonl", [make_chat(datetime(2024, 1, 1), plan)] + [
        make_chat(datetime(2024, 1, 2 + d), [("Ben", "hi", 0), ("Ana", "hey", 1)], conv_id=f"c{d}") for d in range(4)])


def test_prepare_scrubs_by_default_and_reports_counts(tmp_path, tiny_model_dir):
    chat_with_pii(tmp_path)
    out = run(PrepareConfig(run_dir=tmp_path, speakers=["Ana"], model=str(tiny_model_dir), val_fraction=0))
    text = " ".join(t.text for split in ("train", "test") for ex in RunDir(tmp_path).examples(split) for t in ex.turns)
    assert "<PHONE> or <EMAIL>" in text and "<CARD>" in text
    assert "4111" not in text and "example.com" not in text
    counts = orjson.loads((out / "manifest.json").read_bytes())["counts"]
    assert (counts["pii_phone"], counts["pii_email"], counts["pii_card"]) == (1, 1, 1)


def test_scrubbing_can_be_turned_off(tmp_path, tiny_model_dir):
    chat_with_pii(tmp_path)
    run(PrepareConfig(run_dir=tmp_path, speakers=["Ana"], model=str(tiny_model_dir), val_fraction=0, scrub=[]))
    text = " ".join(t.text for split in ("train", "test") for ex in RunDir(tmp_path).examples(split) for t in ex.turns)
    assert "ana@example.com" in text


def test_unknown_kind_is_an_error_naming_the_flag(tmp_path):
    from simulacra.config import build_config
    from simulacra.errors import SimulacraError

    with pytest.raises(SimulacraError, match="--scrub"):
        build_config(PrepareConfig, overrides={"run_dir": tmp_path, "speakers": ["Ana"], "scrub": ["ssn"]})
