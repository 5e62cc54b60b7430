"""Sessions and turns live below the stages now (simulacra.sessions, shared with analyze); this keeps old imports."""

from simulacra.sessions import Session, merge_turns, split_sessions

__all__ = ["Session", "merge_turns", "split_sessions"]
