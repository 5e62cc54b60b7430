"""The run's tokenizer as GGUF metadata: byte-level BPE tokens, merges, token types and special ids.

Every added special token (ChatML markers, each `[Name]` speaker token) is written as one CONTROL
token, so llama.cpp and transformers match it whole instead of spelling it in pieces; the end-of-turn
token is the EOS (so generation stops at the end of the persona's turn), and no BOS is added because
training prompts have none.
"""

from __future__ import annotations

import json

from simulacra.errors import SimulacraError

NORMAL, CONTROL, USER_DEFINED, UNUSED = 1, 3, 4, 5
# the GPT-2 split, which ByteLevel(use_regex=True) applies, is llama.cpp's "gpt-2" pre-tokenizer
QWEN2_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
LLAMA3_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"


def pre_tokenizer_name(spec: dict | None) -> str:
    """llama.cpp's name for the way this tokenizer splits text before BPE."""
    steps = spec.get("pretokenizers", []) if spec and spec.get("type") == "Sequence" else [spec] if spec else []
    kinds = [s.get("type") for s in steps]
    if kinds == ["ByteLevel"] and steps[0].get("use_regex", True) and not steps[0].get("add_prefix_space"):
        return "gpt-2"
    if kinds == ["Digits", "ByteLevel"] and steps[0].get("individual_digits"):
        return "smollm"
    if kinds and kinds[0] == "Split":
        regex = (steps[0].get("pattern") or {}).get("Regex")
        found = {QWEN2_SPLIT: "qwen2", LLAMA3_SPLIT: "llama-bpe"}.get(regex)
        if found:
            return found
    raise SimulacraError(f"export --format gguf: this tokenizer's pre-tokenizer ({kinds}) has no llama.cpp "
                         "name here; export --format merged and use llama.cpp's convert_hf_to_gguf.py")


def vocab_metadata(chat_tokenizer, n_vocab: int) -> dict:
    """tokens, token types, merges and pre-tokenizer name, padded to the model's `n_vocab` rows."""
    spec = json.loads(chat_tokenizer.tokenizer.to_str())
    model = spec["model"]
    if model.get("type") != "BPE" or model.get("byte_fallback") or spec.get("decoder", {}).get("type") != "ByteLevel":
        raise SimulacraError("export --format gguf: only byte-level BPE vocabularies (SmolLM2, Qwen2, Llama 3) "
                             "are written here; export --format merged and use llama.cpp's convert_hf_to_gguf.py")
    size = max(n_vocab, len(chat_tokenizer))
    tokens: list[str | None] = [None] * size
    types = [NORMAL] * size
    for token, i in model["vocab"].items():
        tokens[i] = token
    for added in spec.get("added_tokens", []):
        tokens[added["id"]] = added["content"]
        types[added["id"]] = CONTROL if added["special"] else USER_DEFINED
    for i, token in enumerate(tokens):
        if token is None:  # rows the model has beyond the tokenizer (padded vocabularies)
            tokens[i], types[i] = f"[PAD{i}]", UNUSED
    merges = [m if isinstance(m, str) else " ".join(m) for m in model.get("merges", [])]
    return {"tokens": tokens, "types": types, "merges": merges, "pre": pre_tokenizer_name(spec.get("pre_tokenizer"))}


def add_vocab(writer, chat_tokenizer, n_vocab: int, eos_id: int, bos_id: int | None, chat_template: str) -> None:
    meta = vocab_metadata(chat_tokenizer, n_vocab)
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre(meta["pre"])
    writer.add_token_list(meta["tokens"])
    writer.add_token_types(meta["types"])
    writer.add_token_merges(meta["merges"])
    writer.add_eos_token_id(eos_id)
    writer.add_pad_token_id(eos_id)
    if bos_id is not None:
        writer.add_bos_token_id(bos_id)
    writer.add_add_bos_token(False)  # training prompts start without BOS
    writer.add_add_eos_token(False)
    writer.add_chat_template(chat_template)
