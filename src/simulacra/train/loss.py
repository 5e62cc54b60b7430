"""The training loss on supervised positions only, with the LM head and cross-entropy fused in chunks.

Most chat tokens carry no loss, so the LM head (576 x 49152 for SmolLM2, a fifth of the model's
matmuls) should only run where one does: a forward pre-hook on the head keeps the supervised
positions. Where the model uses the head's logits unchanged (plain Llama-family heads), the loss goes
one step further and applies the head itself, a chunk of positions at a time, computing each chunk's
cross-entropy and its gradients at once (the fused linear cross-entropy of Liger and Cut Cross-Entropy),
so the (positions x vocabulary) logits and their gradient are never held whole: on the sample chat a
step is 6-8 % faster on CPU (`bench/train_ab.py`) and the logits' memory is gone. Other models keep
the head in the model.
"""

from __future__ import annotations

import contextlib

import torch
import torch.nn.functional as F
from torch import nn

from simulacra.train.collate import IGNORE_INDEX

# CausalLM heads whose logits leave the model untouched (no soft-capping or scaling), so the loss may
# apply the head weight itself. Gemma 2 soft-caps, Cohere and Granite scale: they keep the head.
PLAIN_HEAD_MODEL_TYPES = frozenset({"llama", "mistral", "qwen2", "qwen3"})
CHUNK_ROWS = 256  # positions per chunk: best of 32-256 on the 2-core reference machine (49k vocabulary)


class HeadInput:
    """While active, the LM head sees only the hidden states at selected positions: (B, T, H) -> (K, H).

    With `capture`, those hidden states are kept in `captured` and the head gets none, so it does no work
    and the loss applies the head weight itself."""

    def __init__(self, model):
        self.selected: torch.Tensor | None = None
        self.capture = False
        self.captured: torch.Tensor | None = None
        self.head = unwrap(model).get_output_embeddings()
        self.handle = self.head.register_forward_pre_hook(self._hook)

    def _hook(self, module, args):
        if self.selected is None:
            return None
        picked = args[0][self.selected]
        if not self.capture:
            return (picked,) + tuple(args[1:])
        self.captured = picked
        return (picked[:0],) + tuple(args[1:])

    @contextlib.contextmanager
    def only(self, selected: torch.Tensor, capture: bool = False):
        self.selected, self.capture, self.captured = selected, capture, None
        try:
            yield self
        finally:
            self.selected, self.capture = None, False


def unwrap(model):
    """The transformers model inside DDP and PEFT wrappers."""
    model = getattr(model, "module", model)  # DDP
    return model.get_base_model() if hasattr(model, "get_base_model") else model


def fusable_head(model) -> nn.Linear | None:
    """The LM head when the loss may apply it itself: a plain bias-free Linear of a model that uses its
    logits unchanged, with the whole weight in this process (not sharded by FSDP or ZeRO-3)."""
    inner = unwrap(model)
    head = inner.get_output_embeddings()
    config = getattr(inner, "config", None)
    if (type(head) is not nn.Linear or head.bias is not None or getattr(inner, "_simulacra_unsloth", False)
            or getattr(config, "model_type", None) not in PLAIN_HEAD_MODEL_TYPES):
        return None
    weight = head.weight
    whole = weight.shape == (head.out_features, head.in_features) and type(weight.data) is torch.Tensor
    return head if whole and not hasattr(weight, "ds_id") else None


class LinearCrossEntropy(torch.autograd.Function):
    """Summed cross-entropy of `hidden @ weight.T` against `targets`, chunk by chunk; the gradients are
    computed in the forward pass, while each chunk's logits are at hand, and scaled in the backward."""

    @staticmethod
    def forward(ctx, hidden, weight, targets, chunk):
        need_weight = ctx.needs_input_grad[1]
        grad_hidden = torch.empty_like(hidden)
        grad_weight = torch.zeros(weight.shape, dtype=torch.float32, device=weight.device) if need_weight else None
        total = torch.zeros((), dtype=torch.float32, device=hidden.device)
        for start in range(0, hidden.shape[0], chunk):
            part, wanted = hidden[start:start + chunk], targets[start:start + chunk]
            logits = (part @ weight.t()).float()
            norm = torch.logsumexp(logits, dim=-1)
            total += (norm - logits.gather(1, wanted[:, None])[:, 0]).sum()
            # d(loss)/d(logits) = softmax - one-hot, built in place over the logits.
            probs = logits.sub_(norm[:, None]).exp_()
            probs[torch.arange(probs.shape[0], device=probs.device), wanted] -= 1
            probs = probs.to(weight.dtype)
            torch.mm(probs, weight, out=grad_hidden[start:start + chunk])
            if need_weight:
                grad_weight.addmm_(probs.t().float(), part.float())
        ctx.weight_dtype = weight.dtype
        ctx.save_for_backward(grad_hidden, grad_weight)
        return total

    @staticmethod
    def backward(ctx, grad_total):
        grad_hidden, grad_weight = ctx.saved_tensors
        weight_grad = None if grad_weight is None else (grad_weight * grad_total).to(ctx.weight_dtype)
        return grad_hidden * grad_total.to(grad_hidden.dtype), weight_grad, None, None


def linear_cross_entropy(hidden: torch.Tensor, weight: torch.Tensor, targets: torch.Tensor,
                         chunk: int = CHUNK_ROWS) -> torch.Tensor:
    """Summed cross-entropy of `hidden @ weight.T` (K x V logits, never held whole) against `targets` (K)."""
    if torch.is_grad_enabled() and (hidden.requires_grad or weight.requires_grad):
        return LinearCrossEntropy.apply(hidden, weight, targets, chunk)
    total = torch.zeros((), dtype=torch.float32, device=hidden.device)
    for start in range(0, hidden.shape[0], chunk):
        logits = (hidden[start:start + chunk] @ weight.t()).float()
        total += F.cross_entropy(logits, targets[start:start + chunk], reduction="sum")
    return total


def supervised_loss(model, inputs: dict, head_input: HeadInput, num_items=None, fused: bool = False) -> torch.Tensor:
    """Cross-entropy over supervised positions; a sum divided by `num_items` (tokens in the whole
    accumulated step) when given, so gradient accumulation and several processes weigh every token once.
    `fused` (only for a `fusable_head`): the loss applies the head in chunks instead of the model."""
    shift = inputs["shift_labels"]
    selected = shift != IGNORE_INDEX
    kwargs = {k: inputs[k] for k in ("input_ids", "position_ids", "attention_mask") if k in inputs}
    targets = shift[selected]
    with head_input.only(selected, capture=fused):
        logits = model(**kwargs, use_cache=False).logits
        if fused:
            total = linear_cross_entropy(head_input.captured, head_input.head.weight, targets)
    if not fused:
        total = F.cross_entropy(logits.float(), targets, reduction="sum")
    return total / (num_items if num_items is not None else max(targets.numel(), 1))
