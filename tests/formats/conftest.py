"""Fixtures for the format layer: a renderer per style on the tiny tokenizer, with a persona line."""

from __future__ import annotations

import pytest

from conftest import build_tiny_tokenizer
from simulacra.formats import ChatTokenizer, make_renderer

STYLES = ["roles", "speaker-tokens", "instruct", "segments", "completion"]


@pytest.fixture(params=STYLES)
def renderer(request):
    tok = ChatTokenizer(build_tiny_tokenizer())
    return make_renderer(request.param, tok, speakers=["Ben", "Ana"], personas={"Ana": "29, nurse in Porto"})
