"""Model weights and hyper-parameters as GGUF: llama.cpp's architecture keys and tensor names.

Llama-family models (Llama, SmolLM2, Mistral: llama.cpp's `llama` architecture) store q/k projections
with llama.cpp's rotary layout, so those rows are permuted as its converter does; Qwen2 keeps them.
Tensor names come from the `gguf` package's own maps (TensorNameMap), weights from gguf.quants.
"""

from __future__ import annotations

from simulacra.errors import SimulacraError

# transformers model_type -> (llama.cpp architecture, permute q/k rows)
ARCHS = {"llama": ("llama", True), "mistral": ("llama", True), "qwen2": ("qwen2", False)}
QUANT_TYPES = {"f32": "F32", "f16": "F16", "q8_0": "Q8_0", "q4_0": "Q4_0"}
FILE_TYPES = {"f32": "ALL_F32", "f16": "MOSTLY_F16", "q8_0": "MOSTLY_Q8_0", "q4_0": "MOSTLY_Q4_0"}


def gguf_arch(config) -> tuple[str, bool]:
    found = ARCHS.get(config.model_type)
    if found is None:
        raise SimulacraError(f"export --format gguf: {config.model_type} models are not written here "
                             f"(supported: {', '.join(sorted(ARCHS))}); export --format merged and use "
                             "llama.cpp's convert_hf_to_gguf.py")
    rope = getattr(config, "rope_parameters", None) or getattr(config, "rope_scaling", None) or {}
    if rope.get("rope_type", "default") != "default":
        raise SimulacraError(f"export --format gguf: rope scaling {rope.get('rope_type')!r} is not written here; "
                             "export --format merged and use llama.cpp's convert_hf_to_gguf.py")
    return found


def head_dim(config) -> int:
    return getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads


def add_hparams(writer, config, n_vocab: int, quant: str) -> None:
    import gguf

    rope = getattr(config, "rope_parameters", None) or {}
    theta = rope.get("rope_theta", getattr(config, "rope_theta", 10000.0))
    writer.add_context_length(config.max_position_embeddings)
    writer.add_embedding_length(config.hidden_size)
    writer.add_block_count(config.num_hidden_layers)
    writer.add_feed_forward_length(config.intermediate_size)
    writer.add_head_count(config.num_attention_heads)
    writer.add_head_count_kv(config.num_key_value_heads)
    writer.add_key_length(head_dim(config))
    writer.add_value_length(head_dim(config))
    writer.add_rope_dimension_count(head_dim(config))
    writer.add_rope_freq_base(float(theta))
    writer.add_layer_norm_rms_eps(float(config.rms_norm_eps))
    writer.add_vocab_size(n_vocab)
    writer.add_file_type(getattr(gguf.LlamaFileType, FILE_TYPES[quant]))


def permute_rows(w, n_head: int):
    """llama.cpp's q/k layout: within each head, the two rotary halves interleaved."""
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


# Tensors a quant type keeps at a higher type (GGUF name part -> type), like llama.cpp's --token-embedding-type.
# q8_0 keeps none: on the demo run (SmolLM2-135M) the tied embedding is already on the Q8_0 grid (the base
# ships as Q8_0 there), so keeping it at f16 changes nothing, and no mix of linear layers reaches 99 % top-1
# agreement short of f16 for nearly all of them (docs/benchmarks.md, Export).
KEEP = {"q8_0": {}, "q4_0": {"token_embd": "Q8_0"}}  # q4_0: the tied embedding is the output head too


def tensor_type(name: str, shape: tuple, quant: str):
    """Norms and biases stay f32; matrices take the asked type, or the quant's KEEP type for its sensitive
    tensors (rows not a multiple of 32 fall back to f16)."""
    import gguf

    if len(shape) < 2 or quant == "f32":
        return gguf.GGMLQuantizationType.F32
    if quant == "f16" or shape[-1] % 32:
        return gguf.GGMLQuantizationType.F16
    part = name.split(".")[-2] if name.startswith("blk.") else name.split(".")[0]
    return getattr(gguf.GGMLQuantizationType, KEEP[quant].get(part, QUANT_TYPES[quant]))


def add_tensors(writer, model, arch: str, permute: bool, quant: str) -> int:
    """Write every weight under its GGUF name; returns the number of tensors."""
    import gguf
    import numpy as np

    config = model.config
    arch_enum = next(a for a, n in gguf.MODEL_ARCH_NAMES.items() if n == arch)
    names = gguf.TensorNameMap(arch_enum, config.num_hidden_layers)
    tied = getattr(config, "tie_word_embeddings", False)
    count = 0
    for hf_name, tensor in model.state_dict().items():
        if tied and hf_name == "lm_head.weight":
            continue  # llama.cpp reuses token_embd when there is no output tensor
        name = names.get_name(hf_name, try_suffixes=(".weight", ".bias"))
        if name is None:
            raise SimulacraError(f"export --format gguf: no GGUF name for weight {hf_name!r}")
        data = tensor.detach().float().cpu().numpy()
        if permute and hf_name.endswith("q_proj.weight"):
            data = permute_rows(data, config.num_attention_heads)
        elif permute and hf_name.endswith("k_proj.weight"):
            data = permute_rows(data, config.num_key_value_heads)
        qtype = tensor_type(name, data.shape, quant)
        writer.add_tensor(name, gguf.quants.quantize(np.ascontiguousarray(data), qtype), raw_dtype=qtype)
        count += 1
    return count
