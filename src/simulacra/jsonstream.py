"""Walk a JSON document without loading it: enter containers key by key, decode only the leaves.

A 1 GB Telegram export is read in 1 MiB chunks and each message is decoded on its own by the C
decoder (`raw_decode`), so memory stays flat. Syntax errors name the line they were found on.
    stream = JsonStream(f, "result.json")
    for key in stream.members():          # {"name": ..., "messages": [...]}
        if key == "messages":
            for _ in stream.items(): msg = stream.value()
        else: stream.value()
"""

from __future__ import annotations

import json
import re
from typing import IO, Any, Callable, Iterator

from simulacra.errors import InputError

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER_TAIL = re.compile(r"[0-9.eE+\-]*")
CHUNK = 1 << 20
# An error this close to the end of the buffer may only mean the value continues in the next chunk.
MARGIN = 1 << 16
MAX_VALUE = 1 << 28


class JsonStream:
    def __init__(self, f: IO[str], label: str, on_chunk: Callable[[], None] | None = None):
        self.f, self.label, self.on_chunk = f, label, on_chunk
        self.buf, self.pos, self.eof, self.lines_before = "", 0, False, 0
        self.decoder = json.JSONDecoder()

    def _fill(self) -> bool:
        if self.eof:
            return False
        try:
            chunk = self.f.read(CHUNK)
        except UnicodeDecodeError as e:
            self.fail(f"expected UTF-8 text ({e.reason})")
        if not chunk:
            self.eof = True
            return False
        self.lines_before += self.buf.count("\n", 0, self.pos)
        self.buf, self.pos = self.buf[self.pos:] + chunk, 0
        if self.on_chunk:
            self.on_chunk()
        return True

    def line(self, pos: int | None = None) -> int:
        return self.lines_before + self.buf.count("\n", 0, self.pos if pos is None else pos) + 1

    def fail(self, message: str, pos: int | None = None):
        raise InputError(self.label, f"malformed JSON: {message}", line=self.line(pos))

    def peek(self) -> str:
        """The next non-blank character, or '' at the end of the file."""
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._fill():
                return ""

    def expect(self, char: str) -> None:
        found = self.peek()
        if found != char:
            self.fail(f"expected {char!r} but found {found!r}" if found else
                      f"file ends where {char!r} was expected (truncated?)")
        self.pos += 1

    def value(self) -> Any:
        """Decode the next whole value, reading more of the file while it may be cut by the buffer end."""
        if not self.peek():
            self.fail("file ends where a value was expected (truncated?)")
        while True:
            try:
                obj, end = self.decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as e:
                maybe_cut = e.pos >= len(self.buf) - MARGIN or e.msg.startswith("Unterminated string")
                if maybe_cut and len(self.buf) - self.pos < MAX_VALUE and self._fill():
                    continue
                truncated = self.eof and maybe_cut
                self.fail(f"{e.msg} at the end of the file (truncated?)" if truncated else e.msg, e.pos)
            except RecursionError:
                self.fail("nested too deeply")
            if self._may_go_on(obj, end) and self._fill():
                continue
            self.pos = end
            return obj

    def _may_go_on(self, obj: Any, end: int) -> bool:
        """A number cut by the chunk end ('-1.' of '-1.5e3') goes on in the next chunk."""
        if end == len(self.buf):
            return True
        return type(obj) in (int, float) and _NUMBER_TAIL.match(self.buf, end).end() == len(self.buf)

    def members(self) -> Iterator[str]:
        """Enter an object; yields each key, and the caller consumes its value before asking for the next."""
        self.expect("{")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            if self.peek() != '"':
                self.fail("expected a quoted key")
            key = self.value()
            self.expect(":")
            yield key
            self._after("}")
            if self.buf[self.pos - 1] == "}":
                return

    def items(self) -> Iterator[int]:
        """Enter an array; yields each index, and the caller consumes the element before the next."""
        self.expect("[")
        if self.peek() == "]":
            self.pos += 1
            return
        index = 0
        while True:
            yield index
            index += 1
            self._after("]")
            if self.buf[self.pos - 1] == "]":
                return

    def _after(self, close: str) -> None:
        found = self.peek()
        if found not in (",", close):
            self.fail(f"expected ',' or {close!r} but found {found!r}" if found
                      else "file ends inside a container (truncated?)")
        self.pos += 1

    def skip(self) -> None:
        """Consume the next value without keeping big containers in memory."""
        char = self.peek()
        if char == "{":
            for _ in self.members():
                self.skip()
        elif char == "[":
            for _ in self.items():
                self.skip()
        else:
            self.value()

    def end(self) -> None:
        if self.peek():
            self.fail("extra data after the JSON document")


def drained(conv: Any) -> Iterator[Any]:
    """Yield a conversation whose messages are read lazily from a stream, then finish reading them,
    so the stream is past them whatever the caller did."""
    yield conv
    for _ in conv.messages:
        pass
