"""Show examples with trained tokens highlighted, so a user can see exactly what the loss covers."""

from __future__ import annotations

from itertools import groupby

from rich.text import Text

from simulacra.formats.tokenizer import ChatTokenizer
from simulacra.schema import Example

TRAINED_STYLE = "bold black on green"
MASKED_STYLE = "dim"


def render_preview(example: Example, tokenizer: ChatTokenizer) -> Text:
    """Decode runs of equal mask value together (a lone byte-level token can be half an emoji)."""
    text = Text()
    pairs = list(zip(example.input_ids, example.mask))
    for trained, run in groupby(pairs, key=lambda p: p[1]):
        piece = tokenizer.decode([i for i, _ in run])
        text.append(piece, style=TRAINED_STYLE if trained else MASKED_STYLE)
    return text


def print_preview(examples: list[Example], tokenizer: ChatTokenizer, n: int) -> None:
    from simulacra.ui import console

    console.print(f"[{TRAINED_STYLE}]trained[/] vs [{MASKED_STYLE}]masked[/] tokens:")
    for i, ex in enumerate(examples[:n]):
        console.rule(f"example {i} · {ex.conversation_id} session {ex.session} · "
                     f"{sum(ex.mask)}/{len(ex.mask)} tokens trained")
        console.print(render_preview(ex, tokenizer), highlight=False, markup=False)
