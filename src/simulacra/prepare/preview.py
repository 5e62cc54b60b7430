"""Show examples with trained tokens highlighted, so a user can see exactly what the loss covers.

On a terminal trained text is green and masked text dim; piped to a file or a pager, trained spans are
wrapped in markers instead, so the distinction survives:  `Ben: where?⟦Ana: on my way<|im_end|>⟧`.
"""

from __future__ import annotations

from itertools import groupby

from rich.text import Text

from simulacra.formats.tokenizer import ChatTokenizer
from simulacra.schema import Example

TRAINED_STYLE = "bold black on green"
MASKED_STYLE = "dim"
OPEN, CLOSE = "⟦", "⟧"


def spans(example: Example, tokenizer: ChatTokenizer) -> list[tuple[bool, str]]:
    """(trained?, text) per run of equal mask value; runs are decoded whole (a lone byte token can be half an emoji)."""
    pairs = list(zip(example.input_ids, example.mask))
    return [(bool(trained), tokenizer.decode([i for i, _ in run])) for trained, run in groupby(pairs, key=lambda p: p[1])]


def render_preview(example: Example, tokenizer: ChatTokenizer) -> Text:
    text = Text()
    for trained, piece in spans(example, tokenizer):
        text.append(piece, style=TRAINED_STYLE if trained else MASKED_STYLE)
    return text


def plain_preview(example: Example, tokenizer: ChatTokenizer) -> str:
    return "".join(f"{OPEN}{piece}{CLOSE}" if trained else piece for trained, piece in spans(example, tokenizer))


def print_preview(examples: list[Example], tokenizer: ChatTokenizer, n: int) -> None:
    from simulacra.ui import console

    colour = console.is_terminal
    legend = (f"[{TRAINED_STYLE}]trained[/] vs [{MASKED_STYLE}]masked[/] tokens:" if colour
              else f"trained tokens are between {OPEN} and {CLOSE}; the rest is masked:")
    console.print(legend, highlight=False, markup=colour)
    for i, ex in enumerate(examples[:n]):
        header = f"example {i} · {ex.conversation_id} session {ex.session} · {sum(ex.mask)}/{len(ex.mask)} tokens trained"
        if colour:
            console.rule(header)
            console.print(render_preview(ex, tokenizer), highlight=False, markup=False)
        else:  # a rule would cut the header to the (unknown) width
            print(f"── {header} ──")
            print(plain_preview(ex, tokenizer))
