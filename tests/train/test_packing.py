"""Packing: examples share a row without seeing each other, and the loss covers exactly the supervised tokens."""

from __future__ import annotations

import pytest
import torch
from transformers import AutoModelForCausalLM

from simulacra.train.collate import IGNORE_INDEX, PackingCollator, pack_groups
from simulacra.train.fast import use_packed_attention


def rows():
    return [{"input_ids": [5, 6, 7, 8, 9, 10], "mask": [0, 0, 1, 1, 0, 1]},
            {"input_ids": [11, 12, 13], "mask": [0, 1, 1]},
            {"input_ids": [14, 15, 16, 17], "mask": [0, 0, 0, 1]}]


def test_collator_packs_restarts_positions_and_never_predicts_across_examples():
    batch = PackingCollator(pad_id=0, pack_len=16)(rows())
    assert batch["input_ids"].tolist() == [[5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 11, 12, 13]]
    assert batch["position_ids"].tolist() == [[0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 0, 1, 2]]
    x = IGNORE_INDEX
    assert batch["shift_labels"].tolist() == [[x, 7, 8, x, 10, x, x, x, 17, x, 12, 13, x]]
    assert "attention_mask" not in batch


def test_best_fit_rows_respect_the_capacity():
    groups = pack_groups([6, 3, 4, 2, 5], capacity=8)
    assert sorted(sorted(g) for g in groups) == [[0, 3], [1, 4], [2]] or all(
        sum([6, 3, 4, 2, 5][i] for i in g) <= 8 for g in groups)
    assert sorted(i for g in groups for i in g) == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("attention", ["sdpa", "packed"])
def test_packed_logits_equal_each_example_alone(tiny_model_dir, attention):
    """transformers' block-diagonal SDPA mask, and Simulacra's attention per example, give each example's own logits."""
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir, attn_implementation="sdpa").eval()
    if attention == "packed":
        assert use_packed_attention(model)
    batch = PackingCollator(pad_id=2, pack_len=10)(rows())  # two rows: [6 + padding] and [4 + 3]
    assert batch["input_ids"].shape[0] == 2
    with torch.no_grad():
        packed = model(input_ids=batch["input_ids"], position_ids=batch["position_ids"], use_cache=False).logits
        for r, row in enumerate(batch["input_ids"].tolist()):
            at = 0
            for pos in _segments(batch["position_ids"][r].tolist()):
                ids = torch.tensor([row[at:at + pos]])
                alone = model(input_ids=ids).logits[0]
                assert torch.allclose(packed[r, at:at + pos], alone, atol=1e-5), (r, at)
                at += pos


def _segments(positions):
    lengths, n = [], 0
    for p in positions:
        if p == 0 and n:
            lengths.append(n)
            n = 0
        n += 1
    return lengths + [n]


@pytest.mark.parametrize("fused", [False, True])
def test_supervised_loss_equals_the_plain_masked_loss(tiny_model_dir, fused):
    from simulacra.train.collate import MaskedCollator
    from simulacra.train.loss import HeadInput, supervised_loss

    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir).eval()
    head_input = HeadInput(model)
    packed = PackingCollator(pad_id=2, pack_len=16)(rows())
    plain = MaskedCollator(pad_id=2)(rows())
    with torch.no_grad():
        ours = supervised_loss(model, packed, head_input, fused=fused)
        reference = model(**plain).loss  # transformers' own shifted, masked mean
    assert torch.allclose(ours, reference, atol=1e-5)
