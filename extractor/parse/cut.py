"""Cut-off pages: the end of the text is never a blank cell.

A web page or a download cut off mid-table ends inside a row: after its label,
after some of its values, in the middle of a number. The rule "a blank cell in
a present row is 0" must not reach past the end: the row the text ends in keeps
the cells printed before the end (a blank counts only if the separator after it
is there too), the cells after it are null and flagged ``truncated``, and so
are the rows and tables the text never reaches. A tab, pipe or line break the
text ends with is a separator: the cell before it is whole (a blank there is
0). The values read in that row are flagged too where blanks may be dropped or
numbers run together (their columns are not known); in a table that prints every
column (between tabs or pipes, or one per line), only the number the text ends in
is flagged: it may be cut short ("64" of "640"; a count's 0 cannot be). A text
that ends in a row's label, or in labels after the last row read, printed
nothing of that row: its cells are surely unread in any layout, not a decision
for a person.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..document import GridCell, Row
from ..records import Alignment
from ..template import is_amount
from .readings import Candidate, Reader, Shape
from .runs import run_candidates


def text_end(text: str) -> int:
    """Where the text ends for its cells: trailing spaces are nothing, a trailing tab, pipe or line break
    is a separator that closes the cell before it."""
    return len(text.rstrip(" \r\u3000"))


def ends_with(row: Row, text: str) -> bool:
    """Whether the document ends with this row: nothing but spaces, pipes and line breaks after it."""
    cells = (*row.labels, *row.values)
    return bool(cells) and not text[max(c.end for c in cells):].strip(" \t\n|")


def is_cut_row(row: Row, text: str, layout: str) -> bool:
    """Whether the text ends inside this row. A tab or pipe row that the document ends with is whole
    when its line ends; a row of one cell per line, or a flattened row, is never known to be whole."""
    if not ends_with(row, text):
        return False
    tail = text[max(c.end for c in (*row.labels, *row.values)):]
    return not (layout in ("tab", "pipe") and "\n" in tail)


def printed_nothing(row: Row, text: str, end: int) -> bool:
    """Whether the text ends in the row's own (last) label, or just after it, before any cell of the row,
    blank or not: no digit run into the label, and no more than the one separator that closes it after
    it. Every cell of the row then lies past the end, whatever the layout does with blanks."""
    if not row.labels or any(c.end <= end and (c.text.strip() or c.end < end) for c in row.values):
        return False
    label = row.labels[-1]
    tail = text[label.end:end]
    return (not _DIGIT.search(_ORDINAL.sub("", label.text, count=1))
            and not tail.strip(" \t|\n\r\u3000") and sum(tail.count(s) for s in "\t|\n") <= 1)


def labels_only(tail: str) -> bool:
    """Whether the text after the last row read (``tail``) holds no cell of the row after it: the line of
    that row ends, then at most labels, cut anywhere, with no digit and no blank cell between separators.
    The next row then lies wholly past the end, even in a layout that drops blanks."""
    first, _, rest = tail.partition("\n")
    if first.strip(" \t|\r\u3000"):
        return False
    pieces = re.split(r"[\t|\n]", rest.lstrip(" |"))
    if not pieces[-1].strip(" \r\u3000"):
        pieces.pop()  # a separator the text ends with closes the label before it
    return all(p.strip(" \r\u3000") and not _DIGIT.search(_ORDINAL.sub("", p, count=1)) for p in pieces)


def _whole(text: str, cell_id: str) -> bool:
    """A number that no more digits can follow: 0 in a count (a count never starts with 0, and only an
    amount in 万元 can go on as 0.5)."""
    return text.strip() == "0" and not is_amount(cell_id)


_ORDINAL = re.compile(r"^\s*\d+\s*[.、．]")
"""The number a row label starts with (2.重复申请)."""
_DIGIT = re.compile(r"\d")


def cut_candidates(values: Sequence[GridCell], shape: Shape, read: Reader, end: int,
                   runs: bool, columns_known: bool = False) -> list[Candidate]:
    """The readings of the row the text ends in: what it printed, from the left; the rest null.
    ``columns_known``: the table prints every column (blanks too, between separators), so the values
    read keep their columns and only the number the text ends in may be cut short."""
    if runs:  # a run the text ends in: read only if it still splits so that its row adds up
        found = [c for c in run_candidates(values, shape, read) if c.alignment is not Alignment.AMBIGUOUS]
        if found:
            return [replace(c, cut_short=frozenset(c.values)) for c in found]
        base = read((None,) * shape.n, Alignment.ABSENT, False)
        return [Candidate(dict.fromkeys(base.values), dict.fromkeys(base.values, values[0] if values else None),
                          cut=frozenset(base.values), alignment=Alignment.ABSENT)]
    printed = [c for c in values if (c.text.strip() and c.end <= end) or c.end < end][:shape.n]
    slots = (*printed, *(None,) * (shape.n - len(printed)))
    cand = read(slots, Alignment.POSITIONAL, False)
    ids = list(cand.values)
    after = frozenset(ids[len(printed):])
    values_read = {c: (None if c in after else v) for c, v in cand.values.items()}
    short = frozenset(ids[:len(printed)])
    if columns_known:
        last = printed[-1] if printed else None
        short = frozenset(ids[len(printed) - 1:len(printed)] if last is not None and last.text.strip()
                          and last.end >= end and not _whole(last.text, ids[len(printed) - 1]) else ())
    return [Candidate(values_read, cand.tokens, cand.derived - after, Alignment.POSITIONAL, False,
                      cut=after, cut_short=short, columns_known=columns_known)]
