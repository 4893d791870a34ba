"""A fast reader of PDF content streams: pdfminer's interpreter with the tokenising done by one regex.

pdfminer parses a page's content stream one character state at a time in
Python (``psparser``), half the time of reading a PDF. ``FastInterpreter``
tokenises each stream with a regular expression instead — numbers, names,
keywords, literal and hex strings, arrays, dictionaries, comments — into the
very objects pdfminer's ``PDFContentParser`` would yield, and runs them
through the same operator methods, so the device sees the same calls. A
stream holding anything else (an inline image, a ``#`` escape in a name, a
procedure, a stray delimiter, a stream cut inside a token) is handed to
pdfminer's own parser whole, as are content streams over ``STREAM_LIMIT``
bytes (read in pdfminer's buffered way rather than tokenised in memory).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from pdfminer import settings
from pdfminer.pdfinterp import PDFInterpreterError, PDFPageInterpreter
from pdfminer.pdftypes import PDFStream, stream_value
from pdfminer.psparser import KWD, LIT, PSKeyword, literal_name

log = logging.getLogger("pdfminer.pdfinterp")

STREAM_LIMIT = 1 << 20
"""Content streams of more bytes than this (a page's together) go to pdfminer's streaming parser."""

_NUM = rb"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)"
_KW = rb"[A-Za-z][^#/%\[\]()<>{}\s\x00]*"
_NAME = rb"/[^#/%\[\]()<>{}\s\x00]+"
_TOKEN = re.compile(
    rb"(?P<run>(?:[ \t\n\r\f\v]*(?:" + _NUM + rb"|" + _KW + rb"|" + _NAME + rb")(?=[ \t\n\r\f\v]|\Z))+)"
    rb"|[ \t\n\r\f\v]*(?:"
    rb"(?P<num>" + _NUM + rb")"
    rb"|(?P<kw>" + _KW + rb")"
    rb"|\((?P<str>[^()\\]*)\)"
    rb"|(?P<name>" + _NAME + rb")"
    rb"|(?P<aopen>\[)|(?P<aclose>\])"
    rb"|(?P<hex><[0-9A-Fa-f \t\n\r\f\v]*>)"
    rb"|(?P<dopen><<)|(?P<dclose>>>)"
    rb"|(?P<quote>['\"])"
    rb"|(?P<lstr>\()"
    rb"|(?P<comment>%[^\r\n]*)"
    rb"|(?P<end>\Z))")
"""One token after optional white space, or a run of numbers, names and keywords each followed by white
space (split in one go); ``end`` matches the white space closing a stream. What no branch matches
(``\\x00``, ``{``, a lone ``-`` …) sends the stream to pdfminer."""
_SPACE = re.compile(rb"\s")
_HEX_PAIR = re.compile(rb"[0-9a-fA-F]{2}|.")
_STRING_STOP = re.compile(rb"[()\\]")
_ESCAPES = {ord("b"): 8, ord("t"): 9, ord("n"): 10, ord("f"): 12, ord("r"): 13, ord("("): 40, ord(")"): 41,
            ord("\\"): 92}
_OCTAL = frozenset(b"01234567")
_UNSEEN = object()
_NUMBER_START = frozenset(b"+-.0123456789")
_INLINE_IMAGE = (KWD(b"BI"), KWD(b"ID"))
"""Inline image operators: pdfminer's parser reads the image data between them."""


class _Unsupported(Exception):
    """The stream holds something only pdfminer's parser reads as pdfminer does."""


def content_objects(streams: Sequence[bytes]) -> list[Any] | None:
    """The objects pdfminer's ``PDFContentParser`` yields for these streams, in order: operands (numbers,
    names, strings, arrays, dictionaries) and operator keywords; None where it must read them itself."""
    try:
        return _objects(streams)
    except _Unsupported:
        return None


def _objects(streams: Sequence[bytes]) -> list[Any]:
    top: list[Any] = []
    cur = top
    context: list[tuple[str, list[Any]]] = []
    simple: dict[bytes, Any] = {}
    match = _TOKEN.match
    for data in streams:
        pos = 0
        while True:
            m = match(data, pos)
            if m is None:
                raise _Unsupported
            pos = m.end()
            kind = m.lastgroup
            if kind == "run":
                for token in m.group("run").split():
                    obj = simple.get(token)
                    if obj is None:
                        obj = simple[token] = _simple(token)
                    cur.append(obj)
            elif kind == "num" or kind == "kw" or kind == "name":
                token = m.group(kind)
                obj = simple.get(token)
                if obj is None:
                    obj = simple[token] = _simple(token)
                cur.append(obj)
            elif kind == "str":
                cur.append(m.group("str"))
            elif kind == "end":
                break
            elif kind == "aopen" or kind == "dopen":
                context.append((kind, cur))
                cur = []
            elif kind == "aclose" or kind == "dclose":
                if not context or context[-1][0] != ("aopen" if kind == "aclose" else "dopen"):
                    raise _Unsupported
                _, outer = context.pop()
                outer.append(cur if kind == "aclose" else _dict(cur))
                cur = outer
            elif kind == "hex":
                token = m.group("hex")
                obj = simple.get(token)
                if obj is None:
                    obj = simple[token] = _HEX_PAIR.sub(_hex_byte, _SPACE.sub(b"", token[1:-1]))
                cur.append(obj)
            elif kind == "quote":
                cur.append(KWD(m.group("quote")))
            elif kind == "lstr":
                text, pos = _literal_string(data, pos)
                cur.append(text)
            # a comment is skipped
    if context:  # an array or dictionary left open: pdfminer drops it
        raise _Unsupported
    return top


def _hex_byte(m: re.Match[bytes]) -> bytes:
    return bytes((int(m.group(0), 16),))


def _simple(token: bytes) -> Any:
    """A number, name or keyword token's object (a shared one: all are immutable)."""
    first = token[0]
    if first == 0x2F:  # /
        return _literal(token[1:])
    if first in _NUMBER_START:
        return float(token) if b"." in token else int(token)
    if token == b"true":
        return True
    if token == b"false":
        return False
    kw = KWD(token)
    if kw in _INLINE_IMAGE:
        raise _Unsupported
    return kw


def _literal(name: bytes) -> Any:
    try:
        return LIT(str(name, "utf-8"))
    except UnicodeDecodeError:
        return LIT(name)


def _dict(objs: list[Any]) -> dict[str, Any]:
    if len(objs) % 2:
        raise _Unsupported  # pdfminer raises here: its own parser reports it
    return {literal_name(k): v for k, v in zip(objs[::2], objs[1::2], strict=True) if v is not None}


def _literal_string(data: bytes, pos: int) -> tuple[bytes, int]:
    """A literal string opened just before ``pos`` with escapes or nested parentheses, decoded as
    pdfminer decodes it (an unknown escape drops the character after the backslash); its end."""
    out = bytearray()
    depth = 1
    while True:
        m = _STRING_STOP.search(data, pos)
        if m is None:
            raise _Unsupported  # runs on past the stream
        stop = m.start()
        out += data[pos:stop]
        c = data[stop]
        pos = stop + 1
        if c == 0x5C:  # backslash
            if pos >= len(data):
                raise _Unsupported
            e = data[pos]
            if e in _OCTAL:
                end = pos
                while end < len(data) and end - pos < 3 and data[end] in _OCTAL:
                    end += 1
                code = int(data[pos:end], 8)
                if code >= 256 or end >= len(data):
                    raise _Unsupported
                out.append(code)
                pos = end
            elif e in _ESCAPES:
                out.append(_ESCAPES[e])
                pos += 1
            elif e == 0x0D and data[pos + 1:pos + 2] == b"\n":
                pos += 2
            else:
                pos += 1
        elif c == 0x28:  # (
            depth += 1
            out.append(c)
        else:
            depth -= 1
            if not depth:
                return bytes(out), pos
            out.append(c)


class FastInterpreter(PDFPageInterpreter):
    """``PDFPageInterpreter`` reading content streams with ``content_objects`` (pdfminer's parser where
    it cannot); Form XObjects are read by the same class (``dup``)."""

    _operators: dict[PSKeyword, Any] = {}
    """Operator keyword → (method, operand count) or None, per class."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._operators = {}

    def execute(self, streams: Sequence[object]) -> None:
        valid = self._valid_streams(streams)
        datas = [s.get_data() for s in valid]
        objs = content_objects(datas) if sum(len(d) for d in datas) <= STREAM_LIMIT else None
        if objs is None:
            super().execute(streams)  # the checks above run again: their warnings may show twice
            return
        operators = self._operators
        stack = self.argstack
        keyword = PSKeyword
        for obj in objs:
            if type(obj) is not keyword:
                stack.append(obj)  # ``push``
                continue
            found = operators.get(obj, _UNSEEN)
            if found is _UNSEEN:
                found = operators[obj] = _operator(type(self), obj)
            if found is None:
                if settings.STRICT:
                    raise PDFInterpreterError(f"Unknown operator: {str(obj.name, 'utf-8', 'ignore')!r}")
                continue
            func, nargs = found
            if nargs:
                args = stack[-nargs:]  # ``pop``, in place
                del stack[-nargs:]
                if len(args) == nargs:
                    func(self, *args)
            else:
                func(self)
            stack = self.argstack  # an operator may pop operands itself (``pop`` makes a new list)

    def _valid_streams(self, streams: Sequence[object]) -> list[PDFStream]:
        """The streams pdfminer's ``execute`` reads: those with an object id not already being read
        further up (a circular Form XObject); it logs the others."""
        valid: list[PDFStream] = []
        self.stream_ids.clear()
        for obj in streams:
            stream = stream_value(obj)
            if stream.objid is None:
                log.warning("Execute called on non-indirect object (inline image?) %r", stream)
                continue
            if stream.objid in self.parent_stream_ids:
                log.warning("Refusing to execute circular reference to content stream %d", stream.objid)
                continue
            valid.append(stream)
            self.stream_ids.add(stream.objid)
        return valid


def _operator(cls: type, keyword: PSKeyword) -> tuple[Any, int] | None:
    """The method pdfminer calls for an operator and how many operands it takes."""
    name = str(keyword.name, "utf-8", "ignore")
    method = "do_" + name.replace("*", "_a").replace('"', "_w").replace("'", "_q")
    func = getattr(cls, method, None)
    if func is None:
        return None
    return func, func.__code__.co_argcount - 1
