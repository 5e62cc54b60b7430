"""The engine's tests use the evaluate folder's trained tiny run (prepare, 3 LoRA steps)."""

from tests.evaluate.conftest import trained_run  # noqa: F401  (a fixture)
