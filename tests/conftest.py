"""Shared fixtures: a tiny random causal LM with a tokenizer trained here (no download), and small chats.

`tiny_model_dir` is a folder that both `ChatTokenizer.load` and `AutoModelForCausalLM.from_pretrained`
accept, so every stage can run with `model=str(tiny_model_dir)`.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from simulacra.schema import Conversation, Message, write_conversations

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def pytest_configure(config):
    """Library warnings and progress bars are hidden as the CLI hides them (`--verbose` shows them there)."""
    from simulacra.ui import quiet_libraries

    quiet_libraries()

CORPUS = [
    "hey how are you", "omg lol thats so funny 😂", "I am quite well, thank you for asking.",
    "where are you", "on my way", "Shall we meet at noon on Saturday?", "ngl i forgot", "The weather is lovely.",
    "biscuit the cat is asleep", "See you tomorrow; take care.", "A chat between Ana and Ben.",
]


def build_tiny_tokenizer():
    """A byte-level BPE with ChatML specials, trained on a handful of sentences in well under a second."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(CORPUS * 5, trainer)
    return tok


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    """Folder with tokenizer.json and a 2-layer, hidden-32 Llama, randomly initialised with a fixed seed."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    folder = tmp_path_factory.mktemp("tiny-model")
    tok = build_tiny_tokenizer()
    tok.save(str(folder / "tokenizer.json"))
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=tok.get_vocab_size(), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512,
                         bos_token_id=1, eos_token_id=2, pad_token_id=2, tie_word_embeddings=True)
    LlamaForCausalLM(config).save_pretrained(folder)
    return folder


def make_chat(start: datetime, plan: list[tuple[str, str, float]], conv_id: str = "chat-1") -> Conversation:
    """plan: (speaker, text, minutes after the previous message)."""
    t, messages = start, []
    for i, (speaker, text, gap) in enumerate(plan):
        t = t + timedelta(minutes=gap)
        messages.append(Message(speaker, text, t, source_id=str(i)))
    return Conversation(conv_id, "test", "test chat", sorted({m.speaker for m in messages}), messages)


def two_friend_sessions(n_sessions: int, start: datetime = datetime(2024, 1, 1, 9, 0)) -> Conversation:
    """`n_sessions` sessions a day apart, each: Ben asks, Ana answers in a burst of two, Ben, Ana."""
    plan = []
    for s in range(n_sessions):
        plan += [("Ben", f"Shall we meet at noon on Saturday? ({s})", 0 if s == 0 else 24 * 60),
                 ("Ana", "omg lol", 1), ("Ana", "on my way", 0.5),
                 ("Ben", "The weather is lovely.", 2), ("Ana", "ngl i forgot 😂", 1)]
    return make_chat(start, plan)


@pytest.fixture
def small_run(tmp_path) -> Path:
    """A run directory holding conversations.jsonl with 20 daily sessions between Ana and Ben."""
    write_conversations(tmp_path / "conversations.jsonl", [two_friend_sessions(20)])
    return tmp_path
