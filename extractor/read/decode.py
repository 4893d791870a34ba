"""Bytes → text: BOMs, a declared ``<meta>`` charset, UTF-16 without a BOM, UTF-8 and GB18030/GBK.

A clean file decodes strictly. A file with a few bad bytes — flipped or
inserted junk, a download cut in the middle of a character, a duplicated
range — is still a report: it is decoded with those bytes replaced by U+FFFD
(UTF-8 first, since random bytes rarely pass as UTF-8, then the declared
charset and GB18030), and the record says how many were replaced. Only what
is really binary (much replaced, or many control characters) is refused,
naming every encoding tried and the option that overrides detection
(``--encoding``).
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from ..errors import UndecodableText

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


MAX_DAMAGE = 0.05
"""Share of characters that may be replaced (or be control characters) for a file still to be text."""


class Decoded(NamedTuple):
    text: str
    encoding: str
    replaced: int = 0
    """Undecodable bytes replaced by U+FFFD (0 for a clean file)."""


def decode(data: bytes, *, path: str | None = None, encoding: str | None = None,
           html: bool = False) -> Decoded:
    """Decode bytes to text, naming every encoding tried when none fits."""
    if encoding:
        try:
            return Decoded(data.decode(encoding), encoding)
        except LookupError as exc:
            raise UndecodableText(f"unknown encoding {encoding!r}", path=path, stage="load") from exc
        except UnicodeDecodeError as exc:
            lenient = _lenient(data, encoding)
            if lenient is None:
                raise UndecodableText(f"cannot decode as {encoding}: {exc}", path=path, stage="load") from exc
            return lenient
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = data.decode(enc, errors="replace")
            return Decoded(text, enc, text.count("\ufffd"))
    tried: list[str] = []
    candidates: list[str] = []
    if html:
        m = _META_CHARSET.search(data[:4096])
        if m:
            candidates.append(m.group(1).decode("ascii").lower())
    if _nul_pattern_utf16(data):
        candidates.append("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be")
    # UTF-16 with no BOM and few ASCII characters shows no NUL pattern: tried after UTF-8,
    # only when it reads as Chinese text.
    candidates += ["utf-8", "utf-16-le", "utf-16-be", "gb18030"]
    for enc in dict.fromkeys(candidates):
        if enc.startswith("utf-16-") and enc not in candidates[:1] and not _plausible_utf16(data, enc):
            continue
        tried.append(enc)
        try:
            text = data.decode(_canonical(enc))
        except (UnicodeDecodeError, LookupError):
            continue
        if _is_text(text):
            return Decoded(text, enc)
    # a few bad bytes are not a binary file: UTF-8 first (random bytes rarely pass as UTF-8)
    for enc in dict.fromkeys(["utf-8", *candidates[:1], "gb18030"]):
        lenient = _lenient(data, enc)
        if lenient is not None:
            return lenient
    raise UndecodableText(
        f"not readable text (tried {', '.join(tried)}): binary data or an unknown encoding; "
        "pass --encoding to name it", path=path, stage="load")


def _canonical(enc: str) -> str:
    # A page that declares gb2312/gbk is very often really GB18030 (its superset).
    return "gb18030" if enc in ("gb2312", "gbk", "gb_2312-80", "x-gbk") else enc


def _nul_pattern_utf16(data: bytes) -> bool:
    sample = data[:4000]
    if len(sample) < 4:
        return False
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    return max(even_nuls, odd_nuls) > len(sample) // 8


def _plausible_utf16(data: bytes, enc: str) -> bool:
    """UTF-16 without a BOM: accept it when it decodes to Chinese text, ASCII and punctuation."""
    if len(data) % 2:
        return False
    try:
        text = data[:4000].decode(enc)
    except UnicodeDecodeError:
        return False
    if not text:
        return False
    good = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or " " <= ch <= "~" or ch in "\t\n\r"
               or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" or ch in "“”‘’…—·")
    return good / len(text) > 0.95


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")
_DAMAGE = re.compile("[\x01-\x08\x0b\x0e-\x1f\ufffd]")
"""Replaced or control characters; NUL is not counted (a NUL before each newline is junk to drop)."""


def _lenient(data: bytes, enc: str) -> Decoded | None:
    """The text with undecodable bytes replaced, if few enough are (else None: binary, or not ``enc``)."""
    try:
        text = data.decode(_canonical(enc), errors="replace")
    except LookupError:
        return None
    readable = text.replace("\x00", "")
    if not readable.strip() or len(readable) < 0.5 * len(text):
        return None
    if len(_DAMAGE.findall(readable)) > MAX_DAMAGE * len(readable):
        return None
    return Decoded(text, enc, text.count("\ufffd"))


def _is_text(text: str) -> bool:
    """Reject decodings that are mostly control characters (binary junk)."""
    if not text:
        return False
    sample = text[:20000]
    return len(_CONTROL.findall(sample)) / len(sample) < 0.01
