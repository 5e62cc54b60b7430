"""`export --merge`: a standalone model folder whose logits equal base + adapter."""

from __future__ import annotations

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from simulacra import export, prepare, train


@pytest.mark.parametrize("style", ["roles", "speaker-tokens"])
def test_merged_model_loads_without_peft_and_matches_the_adapter(small_run, tiny_model_dir, style):
    from simulacra.models.load import load_tuned_model

    prepare.run(prepare.PrepareConfig(run_dir=small_run, speakers=["Ana"], model=str(tiny_model_dir), style=style))
    train.run(train.TrainConfig(run_dir=small_run, max_steps=2, batch_size=4, learning_rate=5e-2, save_steps=100))
    out = export.run(export.ExportConfig(run_dir=small_run, merge=True))
    assert out == small_run / "export" / "merged"
    assert not (out / "adapter_config.json").exists() and (out / "config.json").is_file()

    merged = AutoModelForCausalLM.from_pretrained(out).eval()
    assert not hasattr(merged, "peft_config")
    tok = AutoTokenizer.from_pretrained(out)
    ids = torch.tensor([tok("where are you")["input_ids"] + [tok.eos_token_id]])
    reference = load_tuned_model(small_run, str(tiny_model_dir), len(tok)).eval()
    with torch.no_grad():
        assert torch.allclose(merged(ids).logits, reference(ids).logits, atol=1e-5)
    base = AutoModelForCausalLM.from_pretrained(tiny_model_dir).eval()
    if style == "roles":  # the adapter did change the model
        with torch.no_grad():
            assert not torch.allclose(merged(ids).logits, base(ids).logits, atol=1e-4)
    else:
        assert merged.get_input_embeddings().num_embeddings == len(tok) > base.get_input_embeddings().num_embeddings
    assert tok.eos_token == "<|im_end|>" and merged.generation_config.eos_token_id == tok.eos_token_id


def test_export_without_merge_says_what_to_do(small_run):
    from simulacra.errors import SimulacraError

    with pytest.raises(SimulacraError, match="--format .merged.gguf.ollama.hub.*--merge"):
        export.run(export.ExportConfig(run_dir=small_run))


def test_merge_contradicting_format_names_both_flags(small_run):
    from simulacra.errors import SimulacraError
    from simulacra.config import build_config

    with pytest.raises(SimulacraError, match="--merge"):
        build_config(export.ExportConfig, overrides={"run_dir": small_run, "merge": True, "format": "gguf"})
