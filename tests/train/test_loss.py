"""The fused LM head + cross-entropy: same loss and gradients as logits-then-cross-entropy, and only where safe."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from transformers import AutoModelForCausalLM

from simulacra.train.collate import PackingCollator
from simulacra.train.loss import HeadInput, fusable_head, linear_cross_entropy, supervised_loss


def test_chunked_loss_and_gradients_equal_the_whole_logits_path():
    torch.manual_seed(0)
    hidden = torch.randn(10, 8, requires_grad=True)
    weight = torch.randn(50, 8, requires_grad=True)
    targets = torch.randint(0, 50, (10,))
    reference = F.cross_entropy(hidden @ weight.t(), targets, reduction="sum")
    (2 * reference).backward()
    want_hidden, want_weight = hidden.grad.clone(), weight.grad.clone()
    hidden.grad = weight.grad = None
    ours = linear_cross_entropy(hidden, weight, targets, chunk=4)  # chunks of 4, 4 and 2 rows
    (2 * ours).backward()
    assert torch.allclose(ours, reference, atol=1e-5)
    assert torch.allclose(hidden.grad, want_hidden, atol=1e-5)
    assert torch.allclose(weight.grad, want_weight, atol=1e-5)
    with torch.no_grad():
        assert torch.allclose(linear_cross_entropy(hidden, weight, targets, chunk=3), reference, atol=1e-5)


def test_frozen_head_gets_no_gradient():
    hidden = torch.randn(5, 8, requires_grad=True)
    weight = torch.randn(20, 8)
    linear_cross_entropy(hidden, weight, torch.randint(0, 20, (5,)), chunk=2).backward()
    assert hidden.grad is not None and weight.grad is None


def rows():
    return [{"input_ids": [5, 6, 7, 8, 9, 10], "mask": [0, 0, 1, 1, 0, 1]},
            {"input_ids": [11, 12, 13, 14], "mask": [0, 1, 1, 1]}]


def test_fused_training_loss_gives_the_model_the_same_gradients(tiny_model_dir):
    """Full fine-tune of the tiny Llama (tied head): every parameter's gradient matches the unfused loss."""
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    assert fusable_head(model) is model.lm_head
    head_input = HeadInput(model)
    batch = PackingCollator(pad_id=2, pack_len=16)(rows())
    grads = []
    for fused in (False, True):
        model.zero_grad()
        supervised_loss(model, batch, head_input, num_items=7, fused=fused).backward()
        grads.append({n: p.grad.clone() for n, p in model.named_parameters()})
    assert grads[0].keys() == grads[1].keys()
    for name in grads[0]:
        assert torch.allclose(grads[0][name], grads[1][name], atol=1e-6), name


def test_heads_that_transform_their_logits_stay_in_the_model():
    """Gemma 2 soft-caps its logits: the loss must see them capped, so its head is not fused."""
    from transformers import Gemma2Config, Gemma2ForCausalLM

    config = Gemma2Config(vocab_size=64, hidden_size=16, intermediate_size=32, num_hidden_layers=1,
                          num_attention_heads=2, num_key_value_heads=1, head_dim=8, final_logit_softcapping=0.05)
    model = Gemma2ForCausalLM(config).eval()
    assert fusable_head(model) is None
    head_input = HeadInput(model)
    batch = PackingCollator(pad_id=0, pack_len=16)(rows())
    with torch.no_grad():
        ours = supervised_loss(model, batch, head_input)
        logits = model(input_ids=batch["input_ids"], position_ids=batch["position_ids"], use_cache=False).logits
    selected = batch["shift_labels"] != -100
    assert logits.abs().max() <= 0.05  # capped
    capped = F.cross_entropy(logits[selected], batch["shift_labels"][selected])
    assert torch.allclose(ours, capped, atol=1e-5)
    with torch.no_grad():  # what fusing it anyway would get wrong
        assert not torch.allclose(supervised_loss(model, batch, head_input, fused=True), capped, atol=1e-2)
