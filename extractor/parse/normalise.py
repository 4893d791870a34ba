"""Normalise: ``Document`` → ``Text``, one simplified, half-width text with a map back to the raw text.

Steps: line endings and invisible characters; full-width forms, NBSP and
ideographic spaces; pinyin annotations (堅(jiān)持 → 堅持); traditional →
simplified (opencc); spaces between CJK characters (自 然 人 → 自然人).
Every step keeps ``raw_index`` so evidence can point back into the input.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import opencc

from ..document import Document, Text

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_PINYIN = re.compile(rf"(?<=[{_CJK}])\((?=[a-z{_TONED}]*[{_TONED}])[a-z{_TONED}]{{1,7}}\)")
_CJK_SPACES = re.compile(rf"(?<=[{_CJK}]) +(?=[{_CJK}])")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\r\x00-\x08\x0b\x0c\x0e-\x1f]")


@cache
def _width_table() -> dict[int, str]:
    table = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
    table.update({0x3000: " ", 0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ",
                  0x202F: " ", 0x2212: "-", 0x2014: "-", 0x2013: "-", 0xFF0D: "-",
                  0x3001: "、", 0xFF0E: ".", 0x2010: "-", 0x2011: "-", 0x00B7: "·"})
    return table


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalise(doc: Document) -> Text:
    text = doc.raw.replace("\r\n", "\n")
    index = _crlf_index(doc.raw)
    text, index = _sub(_INVISIBLE, lambda m: "", text, index)
    text = text.translate(_width_table())
    text, index = _sub(_PINYIN, lambda m: "", text, index)
    text, index = _to_simplified(text, index)
    text, index = _sub(_CJK_SPACES, lambda m: "", text, index)
    return Text(text=text, raw_index=index)


def _crlf_index(raw: str) -> list[int]:
    if "\r\n" not in raw:
        return list(range(len(raw)))
    index: list[int] = []
    i = 0
    n = len(raw)
    while i < n:
        index.append(i)
        i += 2 if raw.startswith("\r\n", i) else 1
    return index


def _sub(pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str], text: str,
         index: list[int]) -> tuple[str, list[int]]:
    """``pattern.sub`` that also rewrites the offset map; replacement chars map to the match."""
    out: list[str] = []
    out_index: list[int] = []
    last = 0
    for m in pattern.finditer(text):
        out.append(text[last:m.start()])
        out_index.extend(index[last:m.start()])
        new = repl(m)
        out.append(new)
        anchor = index[m.start()] if m.start() < len(index) else (index[-1] if index else 0)
        out_index.extend([anchor] * len(new))
        last = m.end()
    if last == 0:
        return text, index
    out.append(text[last:])
    out_index.extend(index[last:])
    return "".join(out), out_index


def _to_simplified(text: str, index: list[int]) -> tuple[str, list[int]]:
    conv = _converter()
    converted = conv.convert(text)
    if len(converted) == len(text):
        return converted, index
    # A phrase conversion changed the length somewhere: convert line by line, and
    # character by character on the lines whose length changed, to keep the map exact.
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        c = conv.convert(line)
        if len(c) != len(line):
            c = "".join(conv.convert(ch) if len(conv.convert(ch)) == 1 else ch for ch in line)
        out.append(c)
    return "\n".join(out), index
