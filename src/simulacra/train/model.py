"""The model to train: loaded (optionally 4/8-bit or through Unsloth), speaker tokens initialised, LoRA applied.

GPU-only libraries are imported here lazily, with an error naming the extra to install.
"""

from __future__ import annotations

from simulacra.errors import SimulacraError
from simulacra.formats.tokenizer import ChatTokenizer
from simulacra.train.config import TrainConfig


def load_for_training(name: str | None, config: TrainConfig):
    """The base model in fp32 (CPU) / bf16 (GPU), or quantised for QLoRA, or via Unsloth."""
    if config.backend == "unsloth":
        return _load_unsloth(name, config)
    if config.quantization != "none":
        return _load_quantized(name, config)
    from simulacra.models.load import load_base_model

    return load_base_model(name)


def _load_quantized(name: str | None, config: TrainConfig):
    try:
        import bitsandbytes  # noqa: F401
    except ImportError:
        raise SimulacraError(f"--set quantization={config.quantization} needs bitsandbytes: "
                             "pip install 'simulacra[qlora]'") from None
    if config.method != "lora":
        raise SimulacraError("quantization works with method=lora only (QLoRA)")
    import torch
    from transformers import AutoModelForCausalLM, BitsAndBytesConfig

    from simulacra.models.embedded import resolve_model

    compute = torch.bfloat16 if torch.cuda.is_available() and torch.cuda.is_bf16_supported() else torch.float32
    quant = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
                               bnb_4bit_compute_dtype=compute) if config.quantization == "4bit" else \
        BitsAndBytesConfig(load_in_8bit=True)
    model = AutoModelForCausalLM.from_pretrained(resolve_model(name), quantization_config=quant, dtype=compute,
                                                 device_map={"": 0} if torch.cuda.is_available() else {"": "cpu"})
    from peft import prepare_model_for_kbit_training

    return prepare_model_for_kbit_training(model, use_gradient_checkpointing=config.gradient_checkpointing)


def _load_unsloth(name: str | None, config: TrainConfig):
    import importlib.util

    import torch

    if not torch.cuda.is_available():
        raise SimulacraError("--backend unsloth needs a CUDA GPU; use the default backend on this machine")
    if importlib.util.find_spec("unsloth") is None:
        raise SimulacraError("--backend unsloth needs Unsloth: pip install 'simulacra[unsloth]'")
    from unsloth import FastLanguageModel

    from simulacra.models.embedded import resolve_model

    model, _ = FastLanguageModel.from_pretrained(resolve_model(name), max_seq_length=config.pack_len,
                                                 load_in_4bit=config.quantization == "4bit", dtype=None)
    model._simulacra_unsloth = True
    return model


def init_speaker_tokens(model, tokenizer: ChatTokenizer, speaker_tokens: dict[str, str]) -> list[int]:
    """Each new `[Name]` row (input and output embedding) starts as the mean of the name's own tokens' rows."""
    import torch

    ids = []
    inputs, outputs = model.get_input_embeddings().weight, model.get_output_embeddings().weight
    tied = inputs.data_ptr() == outputs.data_ptr()
    with torch.no_grad():
        for name, token in speaker_tokens.items():
            token_id = tokenizer.token_id(token)
            parts = tokenizer.encode(name)
            if token_id is None or not parts:
                continue
            inputs[token_id] = inputs[parts].mean(0)
            if not tied:
                outputs[token_id] = outputs[parts].mean(0)
            ids.append(token_id)
    return ids


def wrap(model, config: TrainConfig, added_tokens: bool, new_token_ids: list[int] | None = None):
    """Apply LoRA (added token rows trained too) or unfreeze everything; returns (model, trainable count).

    `new_token_ids` are all rows the tokenizer added beyond the base vocabulary. They are trained with
    PEFT's `trainable_token_indices` (only those rows are stored: the SmolLM2 adapter stays ~19 MB
    instead of ~133 MB with `modules_to_save`, which copies the whole 49k x 576 matrix). Unsloth gets
    `modules_to_save`, which its kernels support.
    """
    if config.method == "full":
        _use_fast_paths(model, config)
        return model, sum(p.numel() for p in model.parameters())
    from peft import LoraConfig, get_peft_model

    extra = {}
    if added_tokens:
        extra["trainable_token_indices"] = {"embed_tokens": list(new_token_ids or [])}
        extra["ensure_weight_tying"] = True
    lora = LoraConfig(r=config.lora_r, lora_alpha=config.lora_alpha, lora_dropout=config.lora_dropout,
                      target_modules=config.target_modules, use_rslora=config.use_rslora, task_type="CAUSAL_LM",
                      **extra)
    if getattr(model, "_simulacra_unsloth", False):
        from unsloth import FastLanguageModel

        model = FastLanguageModel.get_peft_model(model, r=config.lora_r, lora_alpha=config.lora_alpha,
                                                 lora_dropout=config.lora_dropout, use_rslora=config.use_rslora,
                                                 target_modules=config.target_modules,
                                                 modules_to_save=["embed_tokens", "lm_head"] if added_tokens else None)
    else:
        model = get_peft_model(model, lora)
        _use_fast_paths(model, config)
    return model, sum(p.numel() for p in model.parameters() if p.requires_grad)


def _use_fast_paths(model, config: TrainConfig) -> None:
    """Exact speed-ups (see `simulacra.train.fast`); Unsloth has its own kernels. A full fine-tune has no
    LoRA layers, so only the attention changes there."""
    if not config.fast_paths:
        return
    from simulacra.train.fast import use_fast_lora, use_packed_attention

    if config.packing:
        use_packed_attention(model)
    use_fast_lora(model)
