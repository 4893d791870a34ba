"""Section headings and template labels as the reader sees them: raw page text, not yet normalised.

The segmenter (``parse/sections``) finds headings in normalised text; the
HTML reader must recognise the same lines earlier, in a page that may still
be traditional and full-width, so it folds a line just enough to apply the
template's own ``SECTION_HEADING`` pattern and keywords.
"""

from __future__ import annotations

import re
from functools import cache

import opencc

from ..template import SECTION_HEADING, heading_section

_WIDTH = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: " ", 0x00A0: " "})
_SHAPE = re.compile(r"^[ \t•·]*第?[一二三四五六][ \t]*[、.,:;\s]")
_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?$")
TABLE_LABELS = ("自然人", "法人或其他组织", "商业企业", "申请人", "本年新收", "上年结转", "予以公开",
                "部分公开", "不予公开", "无法提供", "不予处理", "结转下年", "行政复议", "行政诉讼",
                "维持", "纠正", "尚未审结", "规章", "规范性文件", "行政许可", "行政处罚", "行政强制",
                "行政事业性收费", "信息内容", "本年制发", "现行有效", "处理决定")
"""Words of the template's tables 二, 三 and 四 (simplified): a table holding them is the report's."""


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """Half-width, simplified text, as the segmenter will see it (opencc; lengths may change)."""
    return str(_t2s().convert(text.translate(_WIDTH)))


def heading_number(line: str) -> int | None:
    """The section (1–6) this line is the heading of, or None; tabs make a table row, never a heading."""
    if "\t" in line or len(line) > 80:
        return None
    half = line.translate(_WIDTH)
    if not _SHAPE.match(half):
        return None
    m = SECTION_HEADING.match(fold(half).strip(" "))
    return heading_section(m) if m else None


def label_hits(text: str) -> int:
    """How many distinct template table words the (whitespace-free, folded) text holds."""
    compact = re.sub(r"\s", "", fold(text))
    return sum(1 for label in TABLE_LABELS if label in compact)


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.translate(_WIDTH).strip()))
