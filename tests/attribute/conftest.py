from tests.evaluate.conftest import trained_run  # noqa: F401  (a fixture)
