"""Training speed-ups that keep the maths exact: attention per packed example, and LoRA's update inside one matmul.

Packed attention: with several examples in a row, transformers' SDPA path builds a block-diagonal
(T x T) mask and computes every block, most of them masked away. `packed_sdpa` instead runs causal
SDPA on each example's own span (found where `position_ids` restart at 0), so the work is the sum of
the examples' squared lengths, halved by causality. Without restarts, or with a KV cache, it is
transformers' SDPA unchanged.

LoRA: PEFT computes `base(x) + lora_B(lora_A(x)) * scaling`: the product, then a scaled copy, then a
sum, three passes over a (tokens x out) tensor. `fast_lora_forward` adds the low-rank product into the
base output inside one `addmm_`, which is the same sum without the two extra passes.

Allocator: each step allocates gigabytes of activations; glibc hands large blocks back to the kernel
when they are freed, so the next step page-faults them in again. `keep_freed_memory` stops that.
"""

from __future__ import annotations

import ctypes
import sys
import types

import torch
from torch import nn

PACKED_SDPA = "simulacra_packed_sdpa"


def packed_sdpa(module, query, key, value, attention_mask, dropout=0.0, scaling=None, **kwargs):
    """Causal SDPA per packed example; (B, H, T, D) in, (B, T, H, D) out as transformers expects."""
    from transformers.integrations.sdpa_attention import sdpa_attention_forward

    position_ids = kwargs.pop("position_ids", None)
    spans = _packed_spans(position_ids, query.shape[2], key.shape[2])
    if spans is None:
        return sdpa_attention_forward(module, query, key, value, attention_mask, dropout=dropout, scaling=scaling,
                                      **kwargs)
    rows = []
    for b, row_spans in enumerate(spans):
        lengths = [e - s for s, e in row_spans]
        # One split per tensor, not a slice per span: a slice's backward writes a zero-filled full-size
        # gradient for every span, split's backward concatenates the span gradients once.
        pieces = zip(*(t[b:b + 1].split(lengths, dim=2) for t in (query, key, value)))
        parts = [sdpa_attention_forward(module, q, k, v, None, dropout=dropout, scaling=scaling, is_causal=True,
                                        **kwargs)[0] for q, k, v in pieces]
        rows.append(torch.cat(parts, dim=1) if len(parts) > 1 else parts[0])
    return torch.cat(rows, dim=0), None


def _packed_spans(position_ids, q_len: int, kv_len: int) -> list[list[tuple[int, int]]] | None:
    """[(start, end), ...] per row where positions restart at 0; None when nothing is packed."""
    if position_ids is None or q_len != kv_len or q_len < 2 or position_ids.shape[-1] != q_len:
        return None
    starts = (position_ids == 0).nonzero().tolist()  # one small host copy per layer call
    if len(starts) <= position_ids.shape[0]:
        return None  # one sequence per row: plain causal attention already fits
    spans: list[list[int]] = [[] for _ in range(position_ids.shape[0])]
    for row, at in starts:
        spans[row].append(at)
    return [list(zip(s, s[1:] + [q_len])) if s and s[0] == 0 else [(0, q_len)] for s in spans]


def use_packed_attention(model) -> bool:
    """Switch a model that uses SDPA to per-example packed attention; False when it uses something else."""
    from transformers import AttentionInterface
    from transformers.masking_utils import ALL_MASK_ATTENTION_FUNCTIONS, sdpa_mask

    config = getattr(model, "config", None)
    if config is None or getattr(config, "_attn_implementation", None) != "sdpa":
        return False
    AttentionInterface.register(PACKED_SDPA, packed_sdpa)
    # Padding and cached generation (validation samples) still get SDPA's usual masks.
    ALL_MASK_ATTENTION_FUNCTIONS.register(PACKED_SDPA, sdpa_mask)
    model.set_attn_implementation(PACKED_SDPA)
    return True


def attention_per_example(model) -> bool:
    """True when packed examples cost attention only over their own spans (so a row may be any length)."""
    impl = getattr(getattr(model, "config", None), "_attn_implementation", None) or ""
    return impl == PACKED_SDPA or impl.startswith("flash_attention")


def fast_lora_forward(self, x, *args, **kwargs):
    """PEFT's lora.Linear forward for the plain case (one vanilla adapter, unmerged, float Linear base)."""
    adapter = self.active_adapters[0] if len(self.active_adapters) == 1 else None
    if (args or kwargs or self.disable_adapters or self.merged or adapter not in self.lora_A
            or adapter in getattr(self, "lora_variant", {}) or type(self.base_layer) is not nn.Linear):
        return type(self).forward(self, x, *args, **kwargs)
    lora_a, lora_b = self.lora_A[adapter], self.lora_B[adapter]
    if not (x.dtype == lora_a.weight.dtype == self.base_layer.weight.dtype):
        return type(self).forward(self, x, *args, **kwargs)
    flat = x.reshape(-1, x.shape[-1])
    # 2-D from the start: an in-place update of a view would make autograd copy the whole gradient.
    result = self.base_layer(flat)
    low = lora_a(self.lora_dropout[adapter](flat))
    # In place is safe: the base Linear's backward needs its input and weight, never its output.
    result.addmm_(low, lora_b.weight.t(), alpha=self.scaling[adapter])
    return result.view(*x.shape[:-1], result.shape[-1])


def use_fast_lora(model) -> int:
    """Bind `fast_lora_forward` to every PEFT lora.Linear; returns how many layers got it."""
    try:
        from peft.tuners.lora.layer import Linear as LoraLinear
    except ImportError:
        return 0
    count = 0
    for module in model.modules():
        if type(module) is LoraLinear:
            module.forward = types.MethodType(fast_lora_forward, module)
            count += 1
    return count


def keep_freed_memory() -> bool:
    """Ask glibc to reuse freed blocks instead of returning them to the kernel (Linux only; else a no-op).

    Measured on the sample (8 steps, 2 cores): 5x fewer page faults and ~3.5 % less time per step
    (with `THP_MEM_ALLOC_ENABLE=1`, which `simulacra` sets before torch loads).
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False  # not glibc (musl has no mallopt)
    m_trim_threshold, m_mmap_threshold = -1, -3
    # 32 MiB is glibc's largest mmap threshold: blocks below it come from the heap; -1 never trims the heap.
    return bool(mallopt(m_mmap_threshold, 32 << 20)) and bool(mallopt(m_trim_threshold, -1))
