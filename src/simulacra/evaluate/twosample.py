"""Classifier two-sample test: can a classifier tell the person's real replies from a model's replies?

A classifier (character and word n-grams plus the style features) is trained with cross-validation to
separate the real held-out replies from a model's replies to the same contexts. Its held-out accuracy
is the verdict: 50 % means indistinguishable, 100 % means every reply gives itself away. No model
judges its own samples here, so a model cannot win by flattering itself.

    two_sample_accuracy(["omg lol", ...], ["Certainly! Here is ...", ...])  ->  {"accuracy": 0.98, "low": 0.94, ...}

Each context's real and generated reply stay in the same fold (grouped cross-validation), so the
classifier never sees one half of a pair while being tested on the other.
"""

from __future__ import annotations

import math

FOLDS = 5


def style_vectors(texts: list[str]):
    """Per reply: the mean of each per-message style feature, plus message count (a numeric matrix)."""
    import numpy as np

    from simulacra.evaluate.style import message_features, messages

    rows = []
    for text in texts:
        msgs = messages(text) or [""]
        per = [message_features(m) for m in msgs]
        rows.append([len(msgs)] + [sum(f[k] for f in per) / len(per) for k in sorted(per[0])])
    return np.asarray(rows, dtype=float)


def _classifier(seed: int):
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    features = ColumnTransformer([
        # Keep case and punctuation: capitals, full stops and emoji are what give a model away.
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), lowercase=False, sublinear_tf=True), 0),
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                  token_pattern=r"(?u)\b\w+\b"), 0),
        ("style", make_pipeline(FunctionTransformer(lambda col: style_vectors(list(col.ravel()))),
                                StandardScaler()), [0]),
    ])
    return make_pipeline(features, LogisticRegression(max_iter=2000, C=1.0, random_state=seed))


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95 % Wilson score interval of a proportion."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def two_sample_accuracy(real: list[str], generated: list[str], seed: int = 0) -> dict:
    """Cross-validated accuracy telling `real[i]` from `generated[i]` (paired by context), with a 95 % interval.

    Needs at least FOLDS pairs; with fewer, returns {"skipped": reason}."""
    import numpy as np
    from sklearn.model_selection import GroupKFold, cross_val_predict

    pairs = [(r, g) for r, g in zip(real, generated)]
    if len(pairs) < FOLDS:
        return {"skipped": f"{len(pairs)} pairs; the test needs at least {FOLDS}"}
    texts = [t if t.strip() else " " for pair in pairs for t in pair]
    labels = np.array([1, 0] * len(pairs))  # 1 = real
    groups = np.repeat(np.arange(len(pairs)), 2)
    X = np.array(texts, dtype=object).reshape(-1, 1)
    predicted = cross_val_predict(_classifier(seed), X, labels, groups=groups, cv=GroupKFold(n_splits=FOLDS))
    correct = int((predicted == labels).sum())
    low, high = wilson(correct, len(labels))
    return {"accuracy": correct / len(labels), "low": low, "high": high, "pairs": len(pairs), "chance": 0.5}


def two_sample_report(moments, sides: tuple[str, ...], seed: int = 0) -> dict:
    """The test for each side's replies against the real ones, over the same moments."""
    real = [m.real for m in moments]
    return {side: two_sample_accuracy(real, [m.replies[side] for m in moments], seed) for side in sides}
