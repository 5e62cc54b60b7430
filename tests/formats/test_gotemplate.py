"""The test-side Go template interpreter follows Go's rules for the constructs it accepts."""

from __future__ import annotations

import pytest

from formats.gotemplate import render


def test_trimming_variables_and_scopes():
    tpl = '{{- $a := "x" }}\n  {{- range .L }}{{ $b := . }}{{ $a = print $a $b }}{{ end -}}\n {{ $a }}'
    assert render(tpl, {"L": ["1", "2"]}) == "x12"


def test_if_else_if_and_functions():
    tpl = '{{ range .L }}{{ if eq . "a" }}A{{ else if and (ne . "b") (not "") }}C{{ else }}B{{ end }}{{ end }}'
    assert render(tpl, {"L": ["a", "b", "c"]}) == "ABC"


def test_unknown_constructs_are_refused():
    with pytest.raises(NotImplementedError):
        render("{{ with .X }}{{ end }}", {"X": "1"})
