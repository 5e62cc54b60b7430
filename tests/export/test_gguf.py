"""GGUF export: transformers loads the file and gives the merged model's logits; vocabulary and template intact."""

from __future__ import annotations

import pytest

from export.helpers import compare_logits, held_out_ids, load_gguf
from simulacra import export
from simulacra.errors import SimulacraError


@pytest.fixture(scope="module")
def merged(tokens_run):
    from transformers import AutoModelForCausalLM

    folder = export.run(export.ExportConfig(run_dir=tokens_run, format="merged"))
    return AutoModelForCausalLM.from_pretrained(folder).eval()


@pytest.fixture(scope="module")
def f32_folder(tokens_run):
    return export.run(export.ExportConfig(run_dir=tokens_run, format="gguf", quant="f32",
                                          out=tokens_run / "export" / "gguf-f32"))


def test_f32_gives_the_merged_models_logits(tokens_run, merged, f32_folder):
    assert [p.name for p in f32_folder.iterdir()] == ["ana-f32.gguf"]
    model, _ = load_gguf(f32_folder)
    worst, agree = compare_logits(merged, model, held_out_ids(tokens_run))
    assert worst < 1e-4 and agree == 1.0


def test_q8_0_keeps_the_top1_token(tokens_run, merged):
    folder = export.run(export.ExportConfig(run_dir=tokens_run, format="gguf", quant="q8_0"))
    assert folder == tokens_run / "export" / "gguf" and (folder / "ana-q8_0.gguf").is_file()
    model, _ = load_gguf(folder)
    _, agree = compare_logits(merged, model, held_out_ids(tokens_run))
    assert agree >= 0.99


def test_q4_0_writes_4bit_matrices(tokens_run):
    from gguf import GGMLQuantizationType as T, GGUFReader

    folder = export.run(export.ExportConfig(run_dir=tokens_run, format="gguf", quant="q4_0",
                                            out=tokens_run / "export" / "gguf-q4"))
    types = {t.name: t.tensor_type for t in GGUFReader(str(folder / "ana-q4_0.gguf")).tensors}
    assert types["blk.0.attn_q.weight"] == T.Q4_0 and types["blk.0.ffn_down.weight"] == T.Q4_0
    assert types["token_embd.weight"] == T.Q8_0 and types["blk.0.attn_norm.weight"] == T.F32
    load_gguf(folder)  # transformers reads it back


def test_speaker_tokens_stay_single_control_tokens_and_the_turn_end_is_eos(tokens_run, f32_folder):
    from gguf import GGUFReader

    from simulacra.rundir import RunDir

    run_tok = RunDir(tokens_run).tokenizer()
    _, tok = load_gguf(f32_folder)
    for name in ("[Ana]", "[Ben]", "<|im_end|>"):
        assert tok.encode(name, add_special_tokens=False) == [run_tok.token_id(name)]
    assert tok.eos_token == "<|im_end|>" and tok.encode("hi", add_special_tokens=True) == run_tok.encode("hi")
    reader = GGUFReader(str(f32_folder / "ana-f32.gguf"))
    types = reader.fields["tokenizer.ggml.token_type"]
    assert int(types.parts[types.data[run_tok.token_id("[Ana]")]][0]) == 3  # CONTROL


def test_the_embedded_template_renders_the_training_prefix(tokens_run, f32_folder):
    from simulacra.formats.render import renderer_for
    from simulacra.rundir import RunDir
    from simulacra.schema import Turn

    _, tok = load_gguf(f32_folder)
    renderer = renderer_for(RunDir(tokens_run).dataset_spec(), RunDir(tokens_run).tokenizer())
    chat = [{"role": "user", "content": "where are you?"}, {"role": "assistant", "content": "on my way"},
            {"role": "user", "content": "ok"}, {"role": "user", "content": "hurry"}]
    ids = tok.apply_chat_template(chat, add_generation_prompt=True, tokenize=True)
    ids = ids["input_ids"] if hasattr(ids, "keys") else ids
    history = [Turn("Ben", "where are you?"), Turn("Ana", "on my way"), Turn("Ben", "ok\nhurry")]
    assert list(ids) == renderer.prompt(renderer.system_text(None, ["Ben", "Ana"]), history, "Ana")


def test_unsupported_architectures_fail_clearly():
    from types import SimpleNamespace

    from simulacra.export.gguf.arch import gguf_arch

    with pytest.raises(SimulacraError, match="gemma3 models are not written here.*--format merged"):
        gguf_arch(SimpleNamespace(model_type="gemma3"))
    with pytest.raises(SimulacraError, match="rope scaling 'llama3'"):
        gguf_arch(SimpleNamespace(model_type="llama", rope_parameters={"rope_type": "llama3"}))
