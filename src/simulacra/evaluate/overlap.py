"""Next-turn overlap: ROUGE-1/2/L (F1), BLEU and chrF of generated turns against the real ones, in 0-1 units.

ROUGE is computed here (the reference package's tokenizer drops every non-ASCII character, and emoji
matter in chat); BLEU and chrF come from sacrebleu. Tokens are lower-cased words and single symbols:

    tokens("Omg LOL 😂!!") -> ["omg", "lol", "😂", "!", "!"]
    rouge_n("a b c", "a b d", 1) -> 2/3      rouge_l("a b c d", "a c d") -> 6/7
"""

from __future__ import annotations

import re
from collections import Counter

_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _f1(overlap: int, n_hyp: int, n_ref: int) -> float:
    if not overlap:
        return 0.0
    p, r = overlap / n_hyp, overlap / n_ref
    return 2 * p * r / (p + r)


def _ngrams(toks: list[str], n: int) -> Counter:
    return Counter(tuple(toks[i:i + n]) for i in range(len(toks) - n + 1))


def rouge_n(hypothesis: str, reference: str, n: int) -> float:
    """ROUGE-N F1: clipped n-gram overlap, harmonic mean of precision and recall."""
    hyp, ref = _ngrams(tokens(hypothesis), n), _ngrams(tokens(reference), n)
    if not hyp and not ref:
        return 1.0  # two empty texts agree perfectly
    return _f1(sum((hyp & ref).values()), sum(hyp.values()), sum(ref.values()))


def _lcs(a: list[str], b: list[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def rouge_l(hypothesis: str, reference: str) -> float:
    """ROUGE-L F1 from the longest common subsequence of tokens."""
    hyp, ref = tokens(hypothesis), tokens(reference)
    if not hyp and not ref:
        return 1.0
    return _f1(_lcs(hyp, ref), len(hyp), len(ref))


def overlap_scores(hypotheses: list[str], references: list[str]) -> dict:
    """Mean sentence-level ROUGE-1/2/L, corpus BLEU and corpus chrF, all in 0-1 (1: identical)."""
    from sacrebleu.metrics import BLEU, CHRF

    if len(hypotheses) != len(references):
        raise ValueError("one hypothesis per reference")
    if not hypotheses:
        return {k: None for k in ("rouge1", "rouge2", "rougeL", "bleu", "chrf", "n")}
    n = len(hypotheses)
    # Newlines separate a turn's messages; sacrebleu treats each segment as one line of text.
    hyps = [h.replace("\n", " ") for h in hypotheses]
    refs = [r.replace("\n", " ") for r in references]
    bleu = BLEU(effective_order=True).corpus_score(hyps, [refs]).score / 100
    chrf = CHRF().corpus_score(hyps, [refs]).score / 100
    return {
        "rouge1": sum(rouge_n(h, r, 1) for h, r in zip(hyps, refs)) / n,
        "rouge2": sum(rouge_n(h, r, 2) for h, r in zip(hyps, refs)) / n,
        "rougeL": sum(rouge_l(h, r) for h, r in zip(hyps, refs)) / n,
        "bleu": bleu, "chrf": chrf, "n": n,
    }


def other_real_replies(speakers: list[str], real: list[str]) -> tuple[list[str], list[str]]:
    """(hypotheses, references): each real reply scored against the same speaker's next held-out reply
    (cyclically; speakers with one reply are left out).

    The floor a reply in the person's own voice but not to this context reaches: on Friends (Ross) and on
    the demo it is below base's chrF, which grows with length (chrF weighs recall twice; base rambles).
    """
    by_speaker: dict[str, list[int]] = {}
    for i, who in enumerate(speakers):
        by_speaker.setdefault(who, []).append(i)
    hypotheses, references = [], []
    for indices in by_speaker.values():
        if len(indices) < 2:
            continue
        for k, i in enumerate(indices):
            hypotheses.append(real[indices[(k + 1) % len(indices)]])
            references.append(real[i])
    return hypotheses, references
