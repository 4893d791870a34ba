"""Bytes → text: BOMs, a declared ``<meta>`` charset, UTF-16 without a BOM, UTF-8 and GB18030/GBK.

Every encoding tried is named when none fits, with the option that overrides
detection (``--encoding``).
"""

from __future__ import annotations

import codecs
import re

from ..errors import UndecodableText

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes, *, path: str | None = None, encoding: str | None = None,
           html: bool = False) -> tuple[str, str]:
    """Decode bytes to text, naming every encoding tried when none fits."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise UndecodableText(f"cannot decode as {encoding}: {exc}", path=path,
                                  stage="load") from exc
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
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
            return text, enc
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


def _is_text(text: str) -> bool:
    """Reject decodings that are mostly control characters (binary junk)."""
    if not text:
        return False
    sample = text[:20000]
    return len(_CONTROL.findall(sample)) / len(sample) < 0.01
