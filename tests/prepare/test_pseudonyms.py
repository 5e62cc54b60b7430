"""Speakers named by a phone number or e-mail: stable pseudonyms everywhere in dataset/, original names accepted."""

import re
from datetime import datetime

import orjson
import pytest
import yaml

from conftest import make_chat
from simulacra import pseudonyms
from simulacra.errors import SimulacraError
from simulacra.prepare import PrepareConfig, run
from simulacra.rundir import RunDir
from simulacra.schema import write_conversations

NUMBER = "\u202a+44 7911 123456\u202c"   # as WhatsApp writes a saved number
ORIGINALS = ("7911 123456", "7911123456", "7911-123456", "ben@example.com")


def test_contacts_are_numbered_in_order_of_first_appearance_and_aliases_win():
    table = pseudonyms.build(["Ana", "+44 7911 123456", "ben@example.com", "Contact 1", "+1 415 555 0132"],
                             aliases={"+14155550132": "Sam"})
    assert table.mapping == {"+44 7911 123456": "Contact 2", "ben@example.com": "Contact 3",
                             "+1 415 555 0132": "Sam"}   # "Contact 1" is a real speaker's name already
    assert pseudonyms.is_contact(NUMBER) and not pseudonyms.is_contact("Ana 2") and not pseudonyms.is_contact("2024")


def test_saved_table_holds_no_original_and_maps_any_spelling(tmp_path):
    table = pseudonyms.build(["+44 7911 123456", "Ana"])
    pseudonyms.save(tmp_path, table)
    text = (tmp_path / pseudonyms.FILE).read_text()
    assert not any(o in text for o in ORIGINALS) and "Contact 1" in text
    loaded = pseudonyms.load(tmp_path)
    assert [loaded.lookup(n) for n in ("+447911123456", "+44 (7911) 123-456", "Contact 1", "Ana")] == \
        ["Contact 1", "Contact 1", "Contact 1", "Ana"]


def whatsapp_run(run_dir, speaker=NUMBER):
    plan = [(speaker, "hi it's me, save this number", 0), ("Ana", "hey! who's this", 1),
            (speaker, f"lol it's {speaker} from the party, mail ben@example.com", 1), ("Ana", "ahh ok", 1)]
    conv = make_chat(datetime(2024, 1, 1), plan, conv_id="whatsapp-44-7911-123456")
    conv.title = speaker
    later = [make_chat(datetime(2024, 1, 2 + d), [(speaker, "hi", 0), ("Ana", "hey", 1)], conv_id=f"c{d}")
             for d in range(4)]
    write_conversations(run_dir / "conversations.jsonl", [conv] + later)


def dataset_text(run_dir) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in sorted((run_dir / "dataset").rglob("*")) if p.is_file())


@pytest.mark.parametrize("style", ["roles", "speaker-tokens"])
def test_prepare_leaves_no_original_number_in_any_dataset_file(tmp_path, tiny_model_dir, style, capsys):
    whatsapp_run(tmp_path)
    run(PrepareConfig(run_dir=tmp_path, speakers=["+447911123456"], model=str(tiny_model_dir), val_fraction=0,
                      style=style))
    text = dataset_text(tmp_path)
    assert not any(o in text for o in ORIGINALS + ("44-7911",))
    config = yaml.safe_load((tmp_path / "dataset" / "config.yaml").read_text())
    assert config["speakers"] == ["Contact 1"] and config["pseudonyms"] == {}
    examples = RunDir(tmp_path).examples("train") + RunDir(tmp_path).examples("test")
    assert {ex.conversation_id for ex in examples} >= {"whatsapp-contact-1"}
    assert all(ex.speakers == ["Contact 1"] for ex in examples)
    assert {t.speaker for ex in examples for t in ex.turns} == {"Contact 1", "Ana"}
    assert "<PHONE>\u202c from the party" in " ".join(t.text for ex in examples for t in ex.turns)
    assert "+44 7911 123456 → Contact 1" in " ".join(capsys.readouterr().out.split())
    assert pseudonyms.resolve_name(tmp_path, "+44 7911 123456") == "Contact 1"


def test_an_alias_is_used_and_kept_when_prepare_runs_again(tmp_path, tiny_model_dir):
    whatsapp_run(tmp_path)
    settings = dict(run_dir=tmp_path, model=str(tiny_model_dir), val_fraction=0)
    run(PrepareConfig(speakers=["Ana"], pseudonyms={"+44 7911 123456": "Sam"}, **settings))
    assert "Sam" in dataset_text(tmp_path) and "7911" not in dataset_text(tmp_path)
    run(PrepareConfig(speakers=["Sam"], **settings))          # the saved table remembers the alias
    examples = RunDir(tmp_path).examples("train")
    assert {t.speaker for ex in examples for t in ex.turns} == {"Sam", "Ana"}
    with pytest.raises(SimulacraError, match="--pseudonyms 'Nobody'"):
        run(PrepareConfig(speakers=["Ana"], pseudonyms={"Nobody": "X"}, **settings))


def test_turning_scrubbing_off_keeps_the_names(tmp_path, tiny_model_dir):
    whatsapp_run(tmp_path, speaker="+44 7911 123456")
    run(PrepareConfig(run_dir=tmp_path, speakers=["Ana"], model=str(tiny_model_dir), val_fraction=0, scrub=[]))
    manifest = orjson.loads((tmp_path / "dataset" / "manifest.json").read_bytes())
    assert "+44 7911 123456" in dataset_text(tmp_path) and "pii_phone" not in manifest["counts"]
    assert not (tmp_path / "dataset" / pseudonyms.FILE).exists()


def test_with_scrubbing_off_only_aliased_names_change(tmp_path, tiny_model_dir):
    whatsapp_run(tmp_path, speaker="+44 7911 123456")
    run(PrepareConfig(run_dir=tmp_path, speakers=["Ana"], model=str(tiny_model_dir), val_fraction=0, scrub=[],
                      pseudonyms={"+447911123456": "Sam"}))
    examples = RunDir(tmp_path).examples("train")
    assert {t.speaker for ex in examples for t in ex.turns} == {"Sam", "Ana"}
    assert "ben@example.com" in dataset_text(tmp_path)      # the text is not scrubbed


def test_a_phone_or_email_left_in_an_id_becomes_a_stable_hash():
    from simulacra.prepare.pii.contacts import clean_id

    table = pseudonyms.build([])
    cleaned = clean_id("whatsapp-447911123499", table)
    assert cleaned.startswith("whatsapp-phone-") and "7911" not in cleaned
    assert clean_id("whatsapp-447911123499", table) == cleaned != clean_id("whatsapp-447911123498", table)
    assert re.fullmatch(r"records-email-[0-9a-f]{8}-3", clean_id("records-ana.b@example.com-3", table))
    assert clean_id("telegram-2024", table) == "telegram-2024"


def test_chat_accepts_the_original_name_of_a_pseudonymised_persona(tmp_path, tiny_model_dir):
    from simulacra.chat import pick_speakers
    from simulacra.chat.config import ChatConfig

    whatsapp_run(tmp_path)
    run(PrepareConfig(run_dir=tmp_path, speakers=["all"], model=str(tiny_model_dir), val_fraction=0))
    config = ChatConfig(run_dir=tmp_path, persona="+44 7911 123456", user="Ana")
    assert pick_speakers(config, ["Ana", "Contact 1"]) == ("Contact 1", "Ana")
    with pytest.raises(SimulacraError, match="--as '\\+44 7911 000000'"):
        pick_speakers(ChatConfig(run_dir=tmp_path, persona="+44 7911 000000"), ["Ana", "Contact 1"])
