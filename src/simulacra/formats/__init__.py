"""The format layer: how turns become tokens (prompt styles, speaker tokens, system text, chat templates).

Every stage that turns a conversation into ids imports from here, so training, chat, evaluation,
serving and export all see exactly the same prompt.
"""

from simulacra.formats.render import STYLES, Renderer, make_renderer, renderer_for, speaker_token
from simulacra.formats.tokenizer import ChatTokenizer

__all__ = ["STYLES", "ChatTokenizer", "Renderer", "make_renderer", "renderer_for", "speaker_token"]
