"""Hub-ready folder: weights, tokenizer and a model card with metadata, results and a privacy warning."""

from __future__ import annotations

import json

import yaml

from simulacra import export
from simulacra.io import write_json

REPORT = {"headline": [{"metric": "Perplexity of the real held-out turns", "better": "down", "base": 31.234,
                        "tuned": 12.5, "real": None, "fmt": "{:.2f}"}],
          "memorisation": {"tuned": {"train": {"n": 20, "exact": 0.05, "near": 0.1},
                                     "held_out": {"n": 20, "exact": 0.0, "near": 0.05}},
                           "pii": {"leaked_values": 0}}}


def _front_matter(card: str) -> dict:
    _, block, _ = card.split("---\n", 2)
    return yaml.safe_load(block)


def test_adapter_folder_with_card_and_results(tiny_run):
    write_json(tiny_run / "report" / "report.json", REPORT)
    folder = export.run(export.ExportConfig(run_dir=tiny_run, format="hub"))
    assert folder == tiny_run / "export" / "hub"
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["README.md", "adapter_config.json", "adapter_model.safetensors", "chat_template.jinja",
                     "tokenizer.json", "tokenizer_config.json"]
    card = (folder / "README.md").read_text(encoding="utf-8")
    meta = _front_matter(card)
    assert meta["library_name"] == "peft" and "lora" in meta["tags"] and "simulacra" in meta["tags"]
    assert meta["base_model"].startswith("FILL-IN") and meta["license"] is None  # a local base; user fills in
    assert "trained on private chat messages" in card
    assert "| Perplexity of the real held-out turns | 31.23 | 12.50 | – |" in card
    assert "| tuned | train | 20 | 5.0% | 10.0% |" in card and "training chats: **0**" in card
    assert "| lora_r | 16 |" in card and "huggingface-cli upload --private" in card
    assert "--format gguf --quant f16|q8_0" in card and "q8_0 on 98.3 %" in card and "token boundaries" not in card


def test_merged_weights_and_no_report(tiny_run):
    (tiny_run / "report" / "report.json").unlink(missing_ok=True)
    folder = export.run(export.ExportConfig(run_dir=tiny_run, format="hub", hub_weights="merged",
                                            out=tiny_run / "hub-merged"))
    assert (folder / "config.json").is_file() and not (folder / "adapter_config.json").exists()
    card = (folder / "README.md").read_text(encoding="utf-8")
    assert _front_matter(card)["library_name"] == "transformers"
    assert "Not evaluated yet" in card and "memorisation audit was not run" in card


def test_embedded_base_is_named_by_its_hub_id(tmp_path):
    from simulacra.export.card import front_matter, hub_base_id

    assert hub_base_id("smollm2-135m") == "HuggingFaceTB/SmolLM2-135M-Instruct"
    assert hub_base_id("Qwen/Qwen2.5-0.5B") == "Qwen/Qwen2.5-0.5B" and hub_base_id(str(tmp_path)) is None
    cfg = tmp_path / "adapter_config.json"
    cfg.write_text(json.dumps({"base_model_name_or_path": "/root/.cache/x"}))
    from simulacra.export.hub import _point_adapter_at_hub_base

    _point_adapter_at_hub_base(cfg, "HuggingFaceTB/SmolLM2-135M-Instruct")
    assert json.loads(cfg.read_text())["base_model_name_or_path"] == "HuggingFaceTB/SmolLM2-135M-Instruct"
    assert yaml.safe_load(front_matter("smollm2-135m", "adapter", "roles").split("---\n")[1])["base_model"] == \
        "HuggingFaceTB/SmolLM2-135M-Instruct"
