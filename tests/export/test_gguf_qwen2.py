"""GGUF export of a Qwen2 model (q/k/v biases, no q/k permutation): the same logits in transformers."""

from __future__ import annotations

import pytest

from conftest import build_tiny_tokenizer
from export.conftest import trained_run
from export.helpers import compare_logits, held_out_ids, load_gguf
from simulacra import export


@pytest.fixture(scope="module")
def qwen_run(tmp_path_factory):
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    model_dir = tmp_path_factory.mktemp("tiny-qwen2")
    tok = build_tiny_tokenizer()
    tok.save(str(model_dir / "tokenizer.json"))
    torch.manual_seed(0)
    config = Qwen2Config(vocab_size=tok.get_vocab_size(), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512,
                         bos_token_id=1, eos_token_id=2, pad_token_id=2, tie_word_embeddings=False)
    Qwen2ForCausalLM(config).save_pretrained(model_dir)
    return trained_run(tmp_path_factory.mktemp("run-qwen2"), model_dir, "roles")


def test_qwen2_f32_gives_the_merged_models_logits(qwen_run):
    from transformers import AutoModelForCausalLM

    merged = AutoModelForCausalLM.from_pretrained(export.run(export.ExportConfig(run_dir=qwen_run, merge=True))).eval()
    model, _ = load_gguf(export.run(export.ExportConfig(run_dir=qwen_run, format="gguf", quant="f32")))
    assert type(model).__name__ == "Qwen2ForCausalLM"
    worst, agree = compare_logits(merged, model, held_out_ids(qwen_run))
    assert worst < 1e-4 and agree == 1.0
