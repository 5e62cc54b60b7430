"""A malformed --config file: one line naming the file, the line and what the YAML parser expected."""

from __future__ import annotations

import pytest

from tests.cli.test_cli import simulacra


@pytest.mark.parametrize("text, line, expected", [
    ("speakers: [Ana\nmodel: x\n", 2, "expected ',' or ']', but got ':'"),
    ("speakers:\n  - Ana\n model: x\n", 3, "expected <block end>, but found '<block mapping start>'"),
    ("\tspeakers: Ana\n", 1, "found character '\\t' that cannot start any token"),
])
def test_malformed_yaml_is_one_line_with_file_and_line(tmp_path, text, line, expected):
    config = tmp_path / "settings.yaml"
    config.write_text(text)
    result = simulacra("prepare", tmp_path, "--config", config)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == f"error: {config}:{line}: malformed YAML ({expected})"


def test_a_config_that_is_not_a_mapping(tmp_path):
    config = tmp_path / "settings.yaml"
    config.write_text("- Ana\n- Ben\n")
    result = simulacra("prepare", tmp_path, "--config", config)
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {config}: expected a mapping of settings at the top level"
