"""The exact speed-ups: LoRA's update inside one matmul, and per-example packed attention, change no number."""

from __future__ import annotations

import json

import torch
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM

from simulacra.train.collate import PackingCollator
from simulacra.train.fast import PACKED_SDPA, _packed_spans, use_fast_lora, use_packed_attention


def lora_model(tiny_model_dir, dropout=0.0):
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir, attn_implementation="sdpa")
    # init_lora_weights=False: B starts random, so the low-rank path really contributes.
    lora = LoraConfig(r=4, lora_alpha=8, lora_dropout=dropout, target_modules="all-linear", init_lora_weights=False)
    return get_peft_model(model, lora)


def loss_and_grads(model, batch):
    model.zero_grad(set_to_none=True)
    out = model(input_ids=batch["input_ids"], position_ids=batch["position_ids"], use_cache=False)
    loss = out.logits.float().pow(2).mean()
    loss.backward()
    grads = {n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad}
    return out.logits.detach(), grads


def batch():
    rows = [{"input_ids": [5, 6, 7, 8, 9, 10], "mask": [0, 0, 1, 1, 0, 1]},
            {"input_ids": [11, 12, 13], "mask": [0, 1, 1]},
            {"input_ids": [14, 15, 16, 17], "mask": [0, 0, 0, 1]}]
    return PackingCollator(pad_id=2, pack_len=10)(rows)


def test_fast_lora_gives_peft_logits_and_gradients(tiny_model_dir):
    model = lora_model(tiny_model_dir)
    reference_logits, reference_grads = loss_and_grads(model, batch())
    assert use_fast_lora(model) == 14  # 2 layers x (q, k, v, o, gate, up, down)
    logits, grads = loss_and_grads(model, batch())
    assert torch.allclose(logits, reference_logits, atol=1e-6)
    assert reference_grads.keys() == grads.keys() and len(grads) == 28
    for name, grad in grads.items():
        assert torch.allclose(grad, reference_grads[name], atol=1e-6, rtol=1e-5), name


def test_fast_lora_respects_a_disabled_adapter_and_dropout(tiny_model_dir):
    model = lora_model(tiny_model_dir, dropout=0.5)
    use_fast_lora(model)
    ids = batch()["input_ids"]
    model.eval()  # dropout off: the adapter's effect is deterministic
    with torch.no_grad():
        tuned = model(input_ids=ids).logits
        with model.disable_adapter():
            base = model(input_ids=ids).logits
        plain = AutoModelForCausalLM.from_pretrained(tiny_model_dir)(input_ids=ids).logits
    assert torch.allclose(base, plain, atol=1e-6)
    assert not torch.allclose(tuned, base, atol=1e-3)
    model.train()
    torch.manual_seed(1)
    first = model(input_ids=ids).logits
    torch.manual_seed(2)
    assert not torch.allclose(first, model(input_ids=ids).logits)  # dropout is applied on the low-rank path


def test_packed_attention_gives_the_block_mask_gradients(tiny_model_dir):
    model = lora_model(tiny_model_dir)
    reference_logits, reference_grads = loss_and_grads(model, batch())
    assert use_packed_attention(model)
    logits, grads = loss_and_grads(model, batch())
    assert torch.allclose(logits, reference_logits, atol=1e-5)
    for name, grad in grads.items():
        assert torch.allclose(grad, reference_grads[name], atol=1e-5, rtol=1e-4), name


def test_spans_follow_position_restarts_and_plain_rows_are_left_alone():
    positions = torch.tensor([[0, 1, 2, 0, 1, 0], [0, 1, 2, 3, 0, 1]])
    assert _packed_spans(positions, 6, 6) == [[(0, 3), (3, 5), (5, 6)], [(0, 4), (4, 6)]]
    assert _packed_spans(torch.arange(6)[None], 6, 6) is None  # one sequence per row
    assert _packed_spans(positions, 1, 7) is None  # a decoding step with a KV cache


def test_saved_full_model_does_not_name_the_training_attention(tiny_model_dir, tmp_path):
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir, attn_implementation="sdpa")
    use_packed_attention(model)
    assert model.config._attn_implementation == PACKED_SDPA
    model.save_pretrained(tmp_path)
    assert PACKED_SDPA not in json.dumps(json.loads((tmp_path / "config.json").read_text()))
    AutoModelForCausalLM.from_pretrained(tmp_path)  # loads in a process that never registered it
