"""Slow tier: the exported GGUF in real llama.cpp (node-llama-cpp's prebuilt binaries, no compiler needed).

Skipped unless `node` and the npm package node-llama-cpp are found ($NODE_LLAMA_CPP, ./node_modules or
npm's global root): `npm install node-llama-cpp`, or `npm install -g node-llama-cpp`.
"""

from __future__ import annotations

import pytest

from export.helpers import llamacpp_greedy, node_llama_cpp, reply_prompts, transformers_greedy
from simulacra import export

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(node_llama_cpp() is None, reason="node or the npm package node-llama-cpp is absent")]


@pytest.fixture(scope="module")
def merged(tokens_run):
    from transformers import AutoModelForCausalLM

    folder = export.run(export.ExportConfig(run_dir=tokens_run, format="merged"))
    return AutoModelForCausalLM.from_pretrained(folder).eval()


def test_llama_cpp_tokenizes_and_decodes_like_transformers(tokens_run, merged):
    from simulacra.rundir import RunDir

    folder = export.run(export.ExportConfig(run_dir=tokens_run, format="gguf", quant="f32"))
    tok = RunDir(tokens_run).tokenizer()
    end = tok.token_id("<|im_end|>")
    prompts = reply_prompts(tokens_run, limit=3)
    texts = ["[Ana]", "[Ben]", "<|im_end|>", tok.decode(prompts[0])]
    got = llamacpp_greedy(folder / "ana-f32.gguf", prompts, texts, max_new=12)
    assert got["eos"] == end
    assert got["tokenized"][:3] == [[tok.token_id("[Ana]")], [tok.token_id("[Ben]")], [end]]
    assert got["tokenized"][3] == prompts[0]  # llama.cpp's pre-tokenizer splits a real prompt the same way
    for prompt, ids in zip(prompts, got["generated"]):
        assert ids == transformers_greedy(merged, prompt, 12, end)
