"""Where a WhatsApp chat's text comes from: a plain .txt or the .txt inside the app's zip, read in pieces."""

from __future__ import annotations

import codecs
import contextlib
import io
import re
import zipfile
from pathlib import Path
from typing import IO, Callable, Iterator

from simulacra.errors import InputError
from simulacra.ingest.common import file_encoding, progress

LRM = "\u200e"
_TITLE = re.compile(r"^WhatsApp[ _-]Chat(?: with| mit| con| com| met| avec| с)?(?: - |-| )?\s*(?P<t>.+)$", re.I)


class TextSource:
    """A chat text, plain or the `.txt` inside the app's zip, read as numbered lines, any number of times."""

    def __init__(self, path: Path, is_chat: Callable[[str], bool]):
        """`is_chat(head)` tells a chat text from the other .txt files a zip may hold."""
        self.path, self.member = path, zip_member(path, is_chat) if is_zip(path) else None
        if is_zip(path) and self.member is None:
            raise InputError(path, "expected a WhatsApp .zip holding a chat .txt file")
        self.label = f"{path}/{self.member}" if self.member else str(path)
        stem = Path(self.member).stem if self.member and self.member != "_chat.txt" else path.stem
        match = _TITLE.match(stem)
        self.title = match.group("t") if match else stem

    def lines(self, part: int = 0) -> Iterator[tuple[int, str]]:
        """Numbered lines; `part` (0 = scan, 1 = parse) places this pass on the progress bar."""
        lineno, size = 0, self.size()
        try:
            with self._open() as f:
                for lineno, line in enumerate(f, 1):
                    if not lineno % 50000:
                        progress(part * size + f.buffer.tell(), 2 * size)
                    line = line.rstrip("\n")
                    yield lineno, line.replace("\ufeff", "") if "\ufeff" in line else line
        except UnicodeDecodeError as e:
            raise InputError(self.label, f"expected UTF-8 text ({e.reason})", line=lineno + 1) from None

    def blocks(self, part: int = 0, size: int = 1 << 18) -> Iterator[str]:
        """The text in ~256 KiB pieces of whole lines, each line *led* by its newline: 'a\nb\n' is read as
        '\na\nb'. A regex that starts with '\n' then finds line starts by a fast scan for one character.
        U+FEFF is removed and CRLF/CR become LF (decoded here: a text file's newline translation is slow)."""
        total = self.size()
        try:
            with self._open_binary() as (raw, encoding):
                decoder = codecs.getincrementaldecoder(encoding)()
                carry, cr = "\n", False  # the first line is led by a newline too
                while True:
                    data = raw.read(size)
                    chunk = decoder.decode(data, final=not data)
                    if cr:
                        chunk, cr = "\r" + chunk, False
                    if "\r" in chunk:
                        if data and chunk[-1] == "\r":  # its "\n" may open the next chunk
                            chunk, cr = chunk[:-1], True
                        chunk = chunk.replace("\r\n", "\n").replace("\r", "\n")
                    if "\ufeff" in chunk:
                        chunk = chunk.replace("\ufeff", "")
                    text = carry + chunk
                    cut = text.rfind("\n")
                    if cut > 0:  # the text after the last newline may go on in the next chunk
                        yield text[:cut]
                        text = text[cut:]
                    carry = text
                    if not data:
                        break
                    progress(part * total + raw.tell(), 2 * total)
                if carry != "\n":  # a final newline ends the last line; it starts none
                    yield carry
        except UnicodeDecodeError as e:
            raise InputError(self.label, f"expected UTF-8 text ({e.reason})") from None

    def byte_blocks(self, size: int = 1 << 18) -> Iterator[bytes] | None:
        """The UTF-8 bytes, newline-led as in `blocks`, U+FEFF removed, undecoded (a scan that needs only
        ASCII digits skips decoding); None for UTF-16 files. Yields b"\r" once if a bare CR (a CR
        newline that is no CRLF) is met: the caller must then read `blocks` instead."""
        if self.member is None and file_encoding(self.path) != "utf-8-sig":
            return None
        return self._byte_blocks(size)

    def _byte_blocks(self, size: int) -> Iterator[bytes]:
        with self._open_binary() as (raw, _):
            carry = b"\n"
            while True:
                data = raw.read(size)
                text = carry + data
                if b"\r" in data and data.count(b"\r") - data.count(b"\r\n") - data.endswith(b"\r") > 0:
                    yield b"\r"
                    return
                if b"\xef\xbb\xbf" in text:
                    text = text.replace(b"\xef\xbb\xbf", b"")
                cut = text.rfind(b"\n")
                if cut > 0 and data:
                    yield text[:cut]
                    text = text[cut:]
                carry = text
                if not data:
                    break
            if carry != b"\n":
                yield carry

    def size(self) -> int:
        if self.member is None:
            return self.path.stat().st_size
        with zipfile.ZipFile(self.path) as archive:
            return archive.getinfo(self.member).file_size

    @contextlib.contextmanager
    def _open_binary(self) -> Iterator[tuple[IO[bytes], str]]:
        if self.member is None:
            with open(self.path, "rb") as f:
                yield f, file_encoding(self.path)
            return
        with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as raw:
            yield raw, "utf-8-sig"

    @contextlib.contextmanager
    def _open(self) -> Iterator[IO[str]]:
        if self.member is None:
            with open(self.path, encoding=file_encoding(self.path), newline=None) as f:
                yield f
            return
        with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as raw:
            yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline=None)


def is_zip(path: Path) -> bool:
    return path.is_file() and zipfile.is_zipfile(path)


def zip_member(path: Path, is_chat: Callable[[str], bool]) -> str | None:
    """The chat text inside a WhatsApp zip: `_chat.txt` (iOS) or `WhatsApp Chat with ….txt` (Android)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".txt") and "/" not in n.strip("/")]
            if not names:
                return None
            name = "_chat.txt" if "_chat.txt" in names else names[0]
            head = archive.open(name).read(4096).decode("utf-8", "replace").replace("\ufeff", "")
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return None
    return name if is_chat(head) else None




_BYTE_FORMS = {r"[\u200e\u200f]*": rb"(?:\xe2\x80[\x8e\x8f])*", r"\u200e*": rb"(?:\xe2\x80\x8e)*",
               r"[ \u202f\u00a0]": rb"(?: |\xe2\x80\xaf|\xc2\xa0)", r"[ \u202f]": rb"(?: |\xe2\x80\xaf)"}


def bytes_pattern(pattern: str) -> re.Pattern[bytes] | None:
    """The header regex over UTF-8 bytes: its few non-ASCII classes (bidi marks, narrow and
    no-break spaces) become byte sequences; None if it holds any other non-ASCII character."""
    text = "".join(c if ord(c) < 128 else f"\\u{ord(c):04x}" for c in pattern)
    raw = text.encode("ascii")
    for form, replacement in _BYTE_FORMS.items():
        raw = raw.replace(form.encode("ascii"), replacement)
    return None if b"\\u" in raw else re.compile(raw)
