"""Time-ordered split by session: test holds the most recent sessions, validation the ones just before.

Sessions that overlap a later split's start (possible only across several chats) are dropped and
counted, so every test session is later than every training session.
"""

from __future__ import annotations

from datetime import datetime

from simulacra.prepare.sessions import Session

SPLITS = ("train", "validation", "test")


def _key(s: Session) -> datetime:
    return (s.start or datetime.min).replace(tzinfo=None)


def _end(s: Session) -> datetime:
    return (s.end or datetime.min).replace(tzinfo=None)


def split_by_time(sessions: list[Session], val_fraction: float, test_fraction: float) -> tuple[dict[str, list[Session]], int]:
    """Return {split: sessions} and the number of sessions dropped for overlapping a later split."""
    ordered = sorted(sessions, key=_key)  # stable: sessions of one chat keep their order
    n = len(ordered)
    n_test = max(1, round(n * test_fraction)) if n >= 3 else 0
    n_val = max(1, round(n * val_fraction)) if n >= 3 and val_fraction > 0 else 0
    test = ordered[n - n_test:] if n_test else []
    val = ordered[n - n_test - n_val:n - n_test]
    train = ordered[:n - n_test - n_val]
    dropped = 0
    for later in (test, val):
        if not later:
            continue
        cutoff = min(_key(s) for s in later)
        keep_train = [s for s in train if _end(s) < cutoff]
        dropped += len(train) - len(keep_train)
        train = keep_train
        if later is test and val:
            keep_val = [s for s in val if _end(s) < cutoff]
            dropped += len(val) - len(keep_val)
            val[:] = keep_val
    return {"train": train, "validation": val, "test": test}, dropped
