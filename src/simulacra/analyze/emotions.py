"""How a model represents emotion words after each speaker's header: cosine similarities, per speaker and the
difference between two speakers.

Model-free by design: it receives, per speaker, a callable `embed(words) -> array (len(words), hidden)`
(see analyze.model for the one wired to a run's tuned model), so tests can pass plain numpy functions.
"""

from __future__ import annotations

from typing import Callable

Embed = Callable[[list[str]], "object"]


def cosine_matrix(vectors) -> "object":
    """Pairwise cosine similarities of the rows."""
    import numpy as np

    x = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    x = x / np.where(norms == 0, 1, norms)
    return x @ x.T


def compare_emotions(embedders: dict[str, Embed], words: list[str]) -> dict:
    """{"words", "speakers": {name: matrix}, "difference": {"of": [a, b], "matrix", "mean_abs"}} (matrices as
    nested lists); the difference is first speaker minus second, present when there are two or more."""
    import numpy as np

    matrices = {who: cosine_matrix(embed(words)) for who, embed in embedders.items()}
    out = {"words": list(words), "speakers": {who: np.round(m, 4).tolist() for who, m in matrices.items()}}
    names = list(matrices)
    if len(names) >= 2:
        diff = matrices[names[0]] - matrices[names[1]]
        off_diagonal = diff[~np.eye(len(words), dtype=bool)]
        out["difference"] = {"of": names[:2], "matrix": np.round(diff, 4).tolist(),
                             "mean_abs": round(float(np.abs(off_diagonal).mean()), 4) if off_diagonal.size else 0.0}
    return out


def pick_speakers(requested: list[str], trained: list[str], by_activity: list[str]) -> list[str]:
    """The requested speakers, else the trained ones filled up to two with the most active."""
    if requested:
        return list(requested)
    chosen = list(dict.fromkeys(trained))
    for who in by_activity:
        if len(chosen) >= 2:
            break
        if who not in chosen:
            chosen.append(who)
    return chosen
