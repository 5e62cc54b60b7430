"""Chat's tests use Ana's tiny trained run and the 3-person group run of the converse tests."""

from tests.converse.conftest import group_run  # noqa: F401  (fixtures)
from tests.evaluate.conftest import trained_run  # noqa: F401
