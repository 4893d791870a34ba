"""Read the narrative: the numbers sections 一–四 state in sentences → ``Statement``s, each mapped to a cell
or a sum of cells, with its offsets in the normalised text.

"本年度共收到政府信息公开申请70件" states ``t3.new.total`` = 70; "未发生行政诉讼案件" states the two
litigation totals sum to 0. Only what the template has a cell for is read: 主动公开 counts and 信息处理费
have none, so they are left alone. A statement is a second witness for the table, never a value for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from ..template import t3_rows
from .numerals import CHINESE_NUMERAL, arabic_number, chinese_number

OUTCOME_ROWS = ("granted", "partial", "denied_", "unavailable_", "not_processed_", "other")
"""The 办理结果 rows of table 三 (by key prefix): what a report counts as 办结."""


def _rows(edition: str, *prefixes: str) -> tuple[str, ...]:
    return tuple(f"t3.{r.key}.total" for r in t3_rows(edition) if r.key.startswith(prefixes))


@dataclass(frozen=True)
class Quantity:
    """One thing a sentence can state, and the cells whose sum it equals."""

    name: str
    keyword: re.Pattern[str]
    cells: Callable[[str], tuple[str, ...]]
    """Edition → the cells whose sum the stated number is."""
    about_requests: bool = False
    """Only in a sentence about disclosure requests (申请, 答复): 予以公开 elsewhere is 主动公开, 办结 may be
    of 人大建议."""
    negatable: bool = False
    """"未收到…" / "无…" with no number states 0."""
    counted: re.Pattern[str] | None = None
    """The other word order, the number before the thing counted ("出台…等5篇行政规范性文件"): group ``n``."""


QUANTITIES = (
    Quantity("new", re.compile(r"(?:收到|受理|新收|接收|接到)"
                               r"(?:(?!复议|诉讼|咨询|建议|提案|投诉)[^,，。；;、\d]){0,12}?申请"),
             lambda e: ("t3.new.total",), negatable=True),
    Quantity("carried_over", re.compile(r"上一?年度?(?:结转|转结)"), lambda e: ("t3.carried_over.total",),
             negatable=True),
    Quantity("carried_forward", re.compile(r"(?:结转|转入|转至)(?:至|到|入)?下一?年度?"),
             lambda e: ("t3.carried_forward.total",), negatable=True),
    Quantity("done", re.compile(r"办结(?!率)"), lambda e: _rows(e, *OUTCOME_ROWS), about_requests=True),
    Quantity("granted", re.compile(r"(?<!不)予以公开|同意公开"), lambda e: ("t3.granted.total",),
             about_requests=True),
    Quantity("partial", re.compile(r"部分公开"), lambda e: ("t3.partial.total",), about_requests=True),
    Quantity("denied", re.compile(r"不予公开"), lambda e: _rows(e, "denied_"), about_requests=True),
    Quantity("unavailable", re.compile(r"无法提供"), lambda e: _rows(e, "unavailable_"), about_requests=True),
    Quantity("not_processed", re.compile(r"不予处理"), lambda e: _rows(e, "not_processed_"),
             about_requests=True),
    Quantity("review", re.compile(r"行政复议"), lambda e: ("t4.review.total",), negatable=True),
    Quantity("litigation", re.compile(r"行政诉讼"),
             lambda e: ("t4.litigation_direct.total", "t4.litigation_after_review.total"), negatable=True),
    Quantity("normative_issued", re.compile(r"(?:制发|印发|出台|制定)了?(?:行政)?规范性文件"),
             lambda e: ("t2.normative.issued",) if e == "2021" else ("t2.normative.new_made",),
             counted=re.compile(rf"(?:制发|印发|出台|制定)[^。；;]{{0,60}}?(?P<n>\d+|{CHINESE_NUMERAL})\s*"
                                r"(?:篇|件|个|份)(?:行政)?规范性文件")),
)

_ANY_KEYWORD = re.compile("|".join(f"(?:{q.keyword.pattern})" for q in QUANTITIES))
"""Whether a clause names any quantity: most clauses name none, and one search tells."""
_SENTENCE = re.compile(r"[^。！？!?\n]+")
_CLAUSE = re.compile(r"(?:[^,，;；:：()（）]|(?<=\d),(?=\d{3}))+")
"""A clause ends at a comma, semicolon, colon or bracket; a thousands separator (1,351) is no comma."""
_NUMBER = re.compile(rf"(\d[\d,]*|{CHINESE_NUMERAL})\s*(?:件|条|个|起|宗|项|例|份)")
_NEGATION = re.compile(r"(?:未|没有|无)(?!法|正当)")
_ABOUT_REQUESTS = re.compile(r"(?<!复议)申请|答复")
_EACH = re.compile(r"各|均|分别")
_LOOKAHEAD = 20
"""How far after its keyword a clause may state the number ("收到…申请" … "共计70件")."""


@dataclass(frozen=True)
class Statement:
    """A number the narrative states, and where."""

    quantity: str
    cells: tuple[str, ...]
    """The cells whose sum the number is (one cell for most)."""
    value: int
    start: int
    end: int
    """The keyword … number span in the normalised text."""
    sentence: str
    """The sentence it is in, as a reviewer reads it."""

    def quote(self) -> str:
        return f"「{self.sentence}」 (chars {self.start}–{self.end}) states {self.value}"


def read_statements(text: str, edition: str, regions: Sequence[tuple[int, int]]) -> list[Statement]:
    """Every statement in the given regions of the normalised text (the narrative, tables left out)."""
    out: list[Statement] = []
    for start, end in regions:
        for sentence in _SENTENCE.finditer(text, start, end):
            if "\t" in sentence.group() or "|" in sentence.group():
                continue  # a table row, however the segmenter bounded the table
            out.extend(_sentence_statements(sentence, edition))
    return out


def _sentence_statements(sentence: re.Match[str], edition: str) -> Iterator[Statement]:
    shown = sentence.group().strip()
    about_requests = bool(_ABOUT_REQUESTS.search(shown))
    for clause in _CLAUSE.finditer(sentence.string, sentence.start(), sentence.end()):
        hits = sorted(((m, q) for q in QUANTITIES for m in q.keyword.finditer(clause.string, clause.start(),
                                                                               clause.end())
                       if about_requests or not q.about_requests), key=lambda h: h[0].start()) if (
            _ANY_KEYWORD.search(clause.string, clause.start(), clause.end())) else []
        hits = _drop_overlaps(hits)
        if len(hits) > 1 and _EACH.search(clause.group()):
            continue  # "行政复议、行政诉讼各1件": one number for several quantities
        yield from _counted(clause, edition, shown, {q.name for _, q in hits})
        for i, (m, q) in enumerate(hits):
            stop = hits[i + 1][0].start() if i + 1 < len(hits) else clause.end()
            value, end = _number_after(clause.string, m.end(), min(stop, m.end() + _LOOKAHEAD))
            if value is None and q.negatable and _negated(clause.string, clause.start(), m):
                value, end = 0, m.end()
            if value is None:
                continue
            yield Statement(q.name, q.cells(edition), value, m.start(), end, shown)


def _counted(clause: re.Match[str], edition: str, shown: str, found: set[str]) -> Iterator[Statement]:
    """Statements in the number-first order, for quantities the clause does not state the other way."""
    for q in QUANTITIES:
        if q.counted is None or q.name in found:
            continue
        m = q.counted.search(clause.string, clause.start(), clause.end())
        if m is None:
            continue
        raw = m.group("n")
        value = arabic_number(raw) if raw[0].isdigit() else chinese_number(raw)
        if value is not None:
            yield Statement(q.name, q.cells(edition), value, m.start(), m.end(), shown)


def _drop_overlaps(hits: list[tuple[re.Match[str], Quantity]]) -> list[tuple[re.Match[str], Quantity]]:
    kept: list[tuple[re.Match[str], Quantity]] = []
    for m, q in hits:
        if kept and m.start() < kept[-1][0].end():
            continue
        kept.append((m, q))
    return kept


def _number_after(text: str, start: int, stop: int) -> tuple[int | None, int]:
    """The first counted number (digits or Chinese numerals before a unit such as 件) in ``text[start:stop]``."""
    m = _NUMBER.search(text, start, stop)
    if m is None or any(ch.isdigit() for ch in text[start:m.start()]):
        return None, start
    raw = m.group(1)
    value = arabic_number(raw) if raw[0].isdigit() else chinese_number(raw)
    return value, m.end()


def _negated(text: str, clause_start: int, keyword: re.Match[str]) -> bool:
    """A negation shortly before the keyword in its clause: "未收到…申请", "无上年结转"."""
    window = text[max(clause_start, keyword.start() - 12):keyword.start()]
    return bool(_NEGATION.search(window))
