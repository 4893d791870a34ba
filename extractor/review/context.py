"""Source context for the review queue: evidence offsets → the normalised text around them, and
for HTML and Word documents the table around the cell as a grid.

The source is read again through ``record.path``; when it is gone, changed or
unreadable, the context is what the evidence itself holds. Tables are read as tab rows,
so the grid is the table's rows split at the tabs: plain strings, never the page's HTML.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from ..errors import InputError
from ..parse.normalise import normalise
from ..read.load import load_path
from ..records import Evidence, Record

log = logging.getLogger(__name__)

LINES_AROUND = 4
"""Whole lines shown before and after the evidence …"""
CHARS_AROUND = 300
"""… but at most this many characters on each side."""

ELLIPSIS = " … "
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


@dataclass(frozen=True)
class Context:
    """The text a reviewer reads around one cell's evidence."""

    text: str
    """A window of the normalised text (or the evidence text when the source is gone)."""
    evidence: tuple[int, int] | None
    """The evidence span inside ``text``."""
    number: tuple[int, int] | None
    """The number inside ``text``, to highlight (None for a blank cell)."""
    offset: int | None
    """Where ``text`` starts in the document's normalised text (None when not from the source)."""
    page: int | None
    """PDF page of the evidence."""
    source: Literal["document", "evidence", "none"]
    grid: TableGrid | None = None
    """HTML and Word documents: the table the cell is in, its cell marked."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Context:
        ev, num = data.get("evidence"), data.get("number")
        return cls(text=data["text"], evidence=(ev[0], ev[1]) if ev else None,
                   number=(num[0], num[1]) if num else None, offset=data.get("offset"),
                   page=data.get("page"), source=data["source"],
                   grid=TableGrid.from_json(data["grid"]) if data.get("grid") else None)


@dataclass(frozen=True)
class TableGrid:
    """A table as its rows of cell texts, with the reviewed cell at ``row``, ``column``."""

    rows: list[list[str]]
    row: int
    column: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TableGrid:
        return cls(rows=[list(r) for r in data["rows"]], row=data["row"], column=data["column"])


GRID_FORMATS = ("html", "docx")
MAX_GRID_ROWS = 40
"""Rows of the table shown around the cell at most (a 25-row table 三 fits)."""


def source_text(record: Record) -> str | None:
    """The normalised text of the record's document, if its source is still there unchanged."""
    if not record.path or not Path(record.path).is_file():
        return None
    try:
        doc = load_path(Path(record.path))
    except (InputError, OSError) as exc:
        log.info("cannot re-read %s for review context: %s", record.path, exc)
        return None
    if record.sha256 and doc.sha256 != record.sha256:
        log.info("%s changed since it was extracted; review context from the evidence only",
                 record.path)
        return None
    return normalise(doc).text


def context_for(evidence: Evidence | None, text: str | None, format: str | None = None) -> Context:
    """The window around the evidence, from the source text when it matches the evidence."""
    if evidence is None:
        return Context("", None, None, None, None, "none")
    if text is None or not _matches(evidence, text):
        number = _number_in(evidence.text, 0, len(evidence.text), evidence.text)
        return Context(evidence.text, (0, len(evidence.text)), number, None, evidence.page,
                       "evidence")
    start = _window_start(text, evidence.start)
    end = _window_end(text, evidence.end)
    number = _number_in(evidence.text, evidence.start, evidence.end, text)

    def shift(span: tuple[int, int]) -> tuple[int, int]:
        return (span[0] - start, span[1] - start)

    grid = None
    if format in GRID_FORMATS:
        grid = table_grid(text, number[0] if number else evidence.end - 1)
    return Context(text[start:end], shift((evidence.start, evidence.end)),
                   None if number is None else shift(number), start, evidence.page, "document", grid)


def table_grid(text: str, offset: int) -> TableGrid | None:
    """The run of tab rows around ``offset`` (a table as read), split into cells; None outside a table."""
    lines = text.split("\n")
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line) + 1
    here = next((i for i, s in enumerate(starts) if s <= offset <= s + len(lines[i])), None)
    if here is None or "\t" not in lines[here]:
        return None
    first = last = here
    while first > 0 and "\t" in lines[first - 1] and here - first < MAX_GRID_ROWS // 2:
        first -= 1
    while last + 1 < len(lines) and "\t" in lines[last + 1] and last - first < MAX_GRID_ROWS - 1:
        last += 1
    column = lines[here][:offset - starts[here]].count("\t")
    return TableGrid([[c.strip() for c in line.split("\t")] for line in lines[first:last + 1]],
                     here - first, column)


def _matches(evidence: Evidence, text: str) -> bool:
    if not 0 <= evidence.start <= evidence.end <= len(text):
        return False
    span = text[evidence.start:evidence.end].replace("\n", " ").replace("\t", " ")
    head = evidence.text.split(ELLIPSIS, 1)[0]
    return span == evidence.text or span.startswith(head)


def _number_in(shown: str, start: int, end: int, text: str) -> tuple[int, int] | None:
    """The span of the value inside ``text[start:end]``: the token after ' … ', or the last number."""
    if shown.endswith("(blank)"):
        return None
    segment = text[start:end]
    if ELLIPSIS in shown:
        token = shown.rsplit(ELLIPSIS, 1)[1]
        if token and segment.endswith(token):
            return (end - len(token), end)
    found = list(_NUMBER.finditer(segment))
    if found:
        return (start + found[-1].start(), start + found[-1].end())
    return (start, end) if segment else None


def _window_start(text: str, offset: int) -> int:
    """Back to the start of the LINES_AROUND-th non-blank line before the evidence."""
    start = text.rfind("\n", 0, offset) + 1
    lines = 0
    while start > 0 and lines < LINES_AROUND and offset - start < CHARS_AROUND:
        start = text.rfind("\n", 0, start - 1) + 1
        lines += bool(text[start:text.find("\n", start)].strip())
    return max(start, offset - CHARS_AROUND)


def _window_end(text: str, offset: int) -> int:
    """On to the end of the LINES_AROUND-th non-blank line after the evidence."""
    end = text.find("\n", offset)
    end = len(text) if end < 0 else end
    lines = 0
    while end < len(text) and lines < LINES_AROUND and end - offset < CHARS_AROUND:
        nxt = text.find("\n", end + 1)
        nxt = len(text) if nxt < 0 else nxt
        lines += bool(text[end + 1:nxt].strip())
        end = nxt
    return min(end, offset + CHARS_AROUND)
