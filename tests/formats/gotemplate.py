"""A tiny Go text/template interpreter for exactly the constructs our Ollama templates use.

Covered: text, `{{- ... -}}` trimming, `if / else if / else / end`, `range / end` (dot becomes the
element), variables (`$x := ...`, `$x = ...`, block-scoped as in Go), fields (`.Role`), string
literals, parentheses and the functions `eq ne and or not print`. Anything else raises, so a template
that grows a new construct fails the tests instead of being half-understood.
"""

from __future__ import annotations

import json
import re

ACTION = re.compile(r"\{\{(-\s)?(.*?)(\s-)?\}\}", re.S)
ARG = re.compile(r'"(?:[^"\\]|\\.)*"|\(|\)|[^\s()]+')
FUNCS = {"eq", "ne", "and", "or", "not", "print"}


def _lex(template: str) -> list[tuple[str, str]]:
    """[("text", s) | ("action", s)] with Go's whitespace trimming applied."""
    items, pos, trim_next = [], 0, False
    for m in ACTION.finditer(template):
        text = template[pos:m.start()]
        if trim_next:
            text = text.lstrip(" \t\r\n")
        if m.group(1):
            text = text.rstrip(" \t\r\n")
        items.append(("text", text))
        items.append(("action", m.group(2).strip()))
        trim_next, pos = bool(m.group(3)), m.end()
    tail = template[pos:]
    items.append(("text", tail.lstrip(" \t\r\n") if trim_next else tail))
    return items


def _parse(items: list, i: int = 0, stops=()) -> tuple[list, int, str | None]:
    nodes = []
    while i < len(items):
        kind, s = items[i]
        i += 1
        if kind == "text":
            nodes.append(("text", s))
            continue
        word = s.split(None, 1)[0] if s else ""
        if word in stops:
            return nodes, i, s
        if word == "if":
            branches, otherwise, cond = [], [], s[3:]
            while True:
                body, i, stop = _parse(items, i, ("else", "end"))
                branches.append((cond, body))
                if stop == "end":
                    break
                if stop.startswith("else if "):
                    cond = stop[len("else if "):]
                    continue
                otherwise, i, _ = _parse(items, i, ("end",))
                break
            nodes.append(("if", branches, otherwise))
        elif word == "range":
            body, i, _ = _parse(items, i, ("end",))
            nodes.append(("range", s[6:], body))
        elif re.match(r"\$\w+\s*:?=", s):
            name, op, expr = re.match(r"(\$\w+)\s*(:?=)\s*(.*)", s, re.S).groups()
            nodes.append(("set", name, op == ":=", expr))
        elif word in ("with", "define", "template", "block", "break", "continue"):
            raise NotImplementedError(f"construct {word!r} is not interpreted")
        else:
            nodes.append(("out", s))
    return nodes, i, None


class _Scope:
    def __init__(self, parent=None):
        self.vars, self.parent = {}, parent

    def get(self, name):
        scope = self
        while scope is not None:
            if name in scope.vars:
                return scope.vars[name]
            scope = scope.parent
        raise NameError(f"undefined variable {name}")

    def assign(self, name, value):
        scope = self
        while scope is not None:
            if name in scope.vars:
                scope.vars[name] = value
                return
            scope = scope.parent
        raise NameError(f"assignment to undeclared {name}")


def _truth(value) -> bool:
    return bool(value)


def _eval(expr: str, dot, scope: _Scope):
    tokens = ARG.findall(expr)
    value, rest = _command(tokens, dot, scope)
    if rest:
        raise SyntaxError(f"unexpected {rest!r} in {expr!r}")
    return value


def _command(tokens: list[str], dot, scope):
    head, *rest = tokens
    if head in FUNCS:
        args = []
        while rest and rest[0] != ")":
            value, rest = _operand(rest, dot, scope)
            args.append(value)
        return _call(head, args), rest
    return _operand(tokens, dot, scope)


def _operand(tokens: list[str], dot, scope):
    head, *rest = tokens
    if head == "(":
        value, rest = _command(rest, dot, scope)
        if not rest or rest[0] != ")":
            raise SyntaxError("missing )")
        return value, rest[1:]
    if head.startswith('"'):
        return json.loads(head), rest
    if head.startswith("$"):
        return scope.get(head), rest
    if head.startswith("."):
        value = dot
        for field in filter(None, head.split(".")):
            value = value[field]
        return value, rest
    raise SyntaxError(f"unknown operand {head!r}")


def _call(name: str, args: list):
    if name == "eq":
        return any(args[0] == a for a in args[1:])
    if name == "ne":
        return args[0] != args[1]
    if name == "not":
        return not _truth(args[0])
    if name == "and":
        for a in args:
            if not _truth(a):
                return a
        return args[-1]
    if name == "or":
        for a in args:
            if _truth(a):
                return a
        return args[-1]
    if any(not isinstance(a, str) for a in args):
        raise NotImplementedError("print of non-strings")
    return "".join(args)  # fmt.Sprint puts no space between string operands


def _run(nodes: list, dot, scope: _Scope, out: list[str]) -> None:
    for node in nodes:
        kind = node[0]
        if kind == "text":
            out.append(node[1])
        elif kind == "out":
            out.append(str(_eval(node[1], dot, scope)))
        elif kind == "set":
            _, name, declare, expr = node
            value = _eval(expr, dot, scope)
            if declare:
                scope.vars[name] = value
            else:
                scope.assign(name, value)
        elif kind == "if":
            for cond, body in node[1]:
                if _truth(_eval(cond, dot, scope)):
                    _run(body, dot, _Scope(scope), out)
                    break
            else:
                _run(node[2], dot, _Scope(scope), out)
        elif kind == "range":
            for item in _eval(node[1], dot, scope):
                _run(node[2], item, _Scope(scope), out)


def render(template: str, data: dict) -> str:
    """Execute `template` with `data` as dot, the way Go's text/template would for these constructs."""
    nodes, _, stop = _parse(_lex(template))
    if stop is not None:
        raise SyntaxError(f"unexpected {{{{{stop}}}}}")
    out: list[str] = []
    root = _Scope()
    root.vars["$"] = data
    _run(nodes, data, root, out)
    return "".join(out)
