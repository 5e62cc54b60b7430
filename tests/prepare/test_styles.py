"""Every prompt style states exactly which tokens are trained: the chosen speakers' words plus the end token."""

from __future__ import annotations

import pytest
import yaml

from tests.prepare.conftest import full_text, trained_spans

E = "<|im_end|>"
EOT = "<|endoftext|>"


def test_roles_is_the_default_and_trains_only_ana(prepared):
    examples, tok, _ = prepared()
    assert len(examples) == 1
    assert full_text(examples[0], tok) == (
        f"<|im_start|>system\nA chat between Ben and Ana.{E}\n<|im_start|>Ben\nwhere are you{E}\n"
        f"<|im_start|>Ana\non my way{E}\n<|im_start|>Ben\nhey how are you{E}\n<|im_start|>Ana\nngl i forgot{E}\n")
    assert trained_spans(examples[0], tok) == [f"on my way{E}", f"ngl i forgot{E}"]


def test_speaker_tokens_adds_one_token_per_speaker_and_records_them(prepared):
    examples, tok, run_dir = prepared(style="speaker-tokens")
    ex = examples[0]
    assert full_text(ex, tok) == (f"A chat between Ben and Ana.\n[Ben]where are you{E}\n[Ana]on my way{E}\n"
                                  f"[Ben]hey how are you{E}\n[Ana]ngl i forgot{E}\n")
    assert trained_spans(ex, tok) == [f"on my way{E}", f"ngl i forgot{E}"]
    ana, ben = tok.token_id("[Ana]"), tok.token_id("[Ben]")
    assert ana is not None and ben is not None and ex.input_ids.count(ana) == 2  # one token, never split
    saved = yaml.safe_load((run_dir / "dataset" / "config.yaml").read_text())
    assert saved["speaker_tokens"] == {"Ben": "[Ben]", "Ana": "[Ana]"}
    assert saved["style"] == "speaker-tokens"


def test_instruct_answers_each_run_of_the_speaker_with_the_history_as_user_message(prepared):
    examples, tok, _ = prepared(style="instruct")
    assert len(examples) == 2
    system = f"<|im_start|>system\nYou are a chat model trained to simulate conversations between Ben and Ana.{E}\n"
    assert full_text(examples[1], tok) == (
        f"{system}<|im_start|>user\nBen: where are you\nAna: on my way\nBen: hey how are you\n\n"
        f"How does the conversation continue?{E}\n<|im_start|>assistant\nAna: ngl i forgot{E}\n")
    assert [trained_spans(ex, tok) for ex in examples] == [[f"on my way{E}"], [f"ngl i forgot{E}"]]


def test_segments_is_template_free_with_an_editable_persona_file(prepared, tmp_path):
    persona = tmp_path / "persona.txt"
    persona.write_text("Ana is a nurse in Porto who texts in lowercase.\n", encoding="utf-8")
    examples, tok, run_dir = prepared(style="segments", persona_file=persona)
    assert full_text(examples[0], tok) == (
        f"Ana is a nurse in Porto who texts in lowercase.\n\nBen: where are you{EOT}\nAna: on my way{EOT}\n"
        f"Ben: hey how are you{EOT}\nAna: ngl i forgot{EOT}\n")
    assert trained_spans(examples[0], tok) == [f"on my way{EOT}", f"ngl i forgot{EOT}"]
    # The file's words are saved as the system prompt, so chat uses the same text.
    saved = yaml.safe_load((run_dir / "dataset" / "config.yaml").read_text())
    assert saved["system_prompt"] == "Ana is a nurse in Porto who texts in lowercase."


def test_completion_makes_prompt_response_pairs(prepared):
    examples, tok, _ = prepared(style="completion")
    assert [full_text(ex, tok) for ex in examples] == [
        f"Ben: where are you\nAna: on my way{EOT}", f"Ben: hey how are you\nAna: ngl i forgot{EOT}"]
    assert [trained_spans(ex, tok) for ex in examples] == [[f" on my way{EOT}"], [f" ngl i forgot{EOT}"]]


def test_per_speaker_persona_lines_join_the_system_text(prepared):
    examples, tok, _ = prepared(personas=["Ana: 29, nurse in Porto"])
    assert full_text(examples[0], tok).startswith(
        f"<|im_start|>system\nA chat between Ben and Ana.\nAna: 29, nurse in Porto{E}\n<|im_start|>Ben\n")
    assert trained_spans(examples[0], tok) == [f"on my way{E}", f"ngl i forgot{E}"]


def test_persona_for_an_unknown_speaker_is_an_error(prepared):
    from simulacra.errors import SimulacraError

    with pytest.raises(SimulacraError, match="Zed"):
        prepared(personas=["Zed: a stranger"])
