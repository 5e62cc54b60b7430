"""Who said it: a character n-gram classifier trained on every speaker's real training turns names the author
of each generated reply. A model that sounds like Ana gets its replies attributed to Ana.

    clf = train_attributor(["omg lol 😂", "The weather is lovely."] * 10, ["Ana", "Ben"] * 10)
    clf.predict(["lol omg"]) -> ["Ana"]
"""

from __future__ import annotations

from collections import Counter


def train_attributor(texts: list[str], speakers: list[str], seed: int = 0):
    """TF-IDF over character 1-4-grams within word boundaries, then balanced logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    if len(set(speakers)) < 2:
        raise ValueError("the classifier needs turns from at least two speakers")
    # Keep case and punctuation: capitals, full stops and emoji are exactly what tells people apart.
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), lowercase=False, sublinear_tf=True,
                                 min_df=1, max_features=50_000)
    model = make_pipeline(vectorizer, LogisticRegression(max_iter=2000, class_weight="balanced", random_state=seed))
    return model.fit(texts, speakers)


def attribution_share(classifier, texts: list[str], intended: list[str]) -> float | None:
    """Share of texts the classifier attributes to the speaker they were meant to be by."""
    if not texts:
        return None
    predicted = classifier.predict([t if t.strip() else " " for t in texts])
    return sum(p == s for p, s in zip(predicted, intended)) / len(texts)


def who_said_it(train_turns: list[tuple[str, str]], real: list[tuple[str, str]],
                generated: dict[str, list[tuple[str, str]]]) -> dict:
    """train_turns, real and each generated side: (speaker, text) pairs. Returns attribution shares.

    `real` (held-out real turns) gives the ceiling: how often the classifier recognises the person at all.
    """
    counts = Counter(s for s, _ in train_turns)
    if len(counts) < 2:
        return {"skipped": "only one speaker in the training split: nothing to tell apart"}
    clf = train_attributor([t for _, t in train_turns], [s for s, _ in train_turns])
    out = {"classes": dict(counts), "real": attribution_share(clf, [t for _, t in real], [s for s, _ in real])}
    for label, pairs in generated.items():
        out[label] = attribution_share(clf, [t for _, t in pairs], [s for s, _ in pairs])
    return out
