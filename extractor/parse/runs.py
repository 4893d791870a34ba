"""Digit runs → readings: a row whose numbers ran together ("640020470") split by the table's arithmetic.

A crawler that flattens a table writes each row's cells with nothing between
them, so 64, 0, 0, 2, 0, 4, 70 becomes "640020470". Which split is meant is
decided by arithmetic, never by guessing:

- a number never starts with 0 unless it is 0 (so "00" is 0, 0);
- each group of the row's shape that ends in a 总计 must add up: the 总计 is
  then not enumerated but read off as the digits of the group's sum, which
  keeps the search small;
- the readings left are candidates for the table's solver, whose column
  identities settle most of what a row's own total cannot.

Spaces inside a run are ignored (stray spaces are common), except that a run
whose space-separated groups are exactly one number per column is read as
written. A run that fits no split is kept as one unreadable reading: its cells
are null and flagged, never filled with a guess; so is a run whose splits
are too many to weigh (``MAX_SPLITS``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from ..document import GridCell
from ..records import Alignment
from ..template import TYPICAL_SIZE, may_be_negative
from ..values import CellKind, classify, parse_value
from .readings import Candidate, Reader, Shape

MAX_SPLITS = 2000
"""Readings of one run at most; past it the run is unreadable (flagged), not enumerated further."""
MAX_DIGITS = 9
"""Digits of one number at most (a count over 999,999,999 is not a report's)."""
_PART = re.compile(r"(?:[-+]|增|减)?(?:0|[1-9]\d*)(?:\.\d+)?")


def is_run(cells: Sequence[GridCell]) -> bool:
    return len(cells) == 1 and classify(cells[0].text.replace(" ", "")) is CellKind.VALUE


def run_candidates(cells: Sequence[GridCell], shape: Shape, read: Reader) -> list[Candidate]:
    """Every reading of a flattened row: its one run of digits split into the shape's columns.

    The first reading is the most plausible (the smallest largest number);
    a row without a run is a row of blanks.
    """
    chars = [(ch, cell.start + i) for cell in cells for i, ch in enumerate(cell.text) if not ch.isspace()]
    if not chars:
        return [read((None,) * shape.n, Alignment.POSITIONAL, False)]
    found: dict[tuple[object, ...], Candidate] = {}
    words = [w for cell in cells for w in _words(cell)]
    if len(words) == shape.n and all(_PART.fullmatch(w.text) for w in words):
        as_written = read(tuple(words), Alignment.COMPACTED, False)
        if shape.totals and _adds_up(as_written, shape):
            return [as_written]
        if not shape.totals:  # a stray space may have made the words: the first reading, not the only one
            found[as_written.key()] = as_written
    text = "".join(ch for ch, _ in chars)
    for alignment, check_totals in ((Alignment.SPLIT, shape.totals), (Alignment.AMBIGUOUS, False)):
        # a source that does not add up: every split, flagged ambiguous
        for bounds in _splits(text, shape, check_totals=check_totals):
            cand = read(tuple(_cell(chars, i, j) for i, j in bounds), alignment, False)
            if _signs_fit(cand):
                found.setdefault(cand.key(), cand)
            if len(found) > MAX_SPLITS:
                return [unreadable(shape, read, cells)]
        if found or not shape.totals:
            break
    if not found:
        return [unreadable(shape, read, cells)]
    first = [c for c in found.values() if c.alignment is Alignment.COMPACTED]
    return first + sorted((c for c in found.values() if c.alignment is not Alignment.COMPACTED), key=_plausibility)


def unreadable(shape: Shape, read: Reader, cells: Sequence[GridCell]) -> Candidate:
    """The reading of a run no split explains: every cell null, every cell flagged."""
    base = read((None,) * shape.n, Alignment.AMBIGUOUS, False)
    return Candidate(dict.fromkeys(base.values), dict.fromkeys(base.values, cells[0] if cells else None),
                     frozenset(), Alignment.AMBIGUOUS, False)


def _adds_up(cand: Candidate, shape: Shape) -> bool:
    """Every group's last cell is the sum of the others (the reading's cells are in column order)."""
    values = list(cand.values.values())
    pos = 0
    for size in shape.groups:
        group = [float(v) for v in values[pos:pos + size] if isinstance(v, int | float)]
        pos += size
        if len(group) < size or abs(sum(group[:-1]) - group[-1]) > 1e-6:
            return False
    return True


def _signs_fit(cand: Candidate) -> bool:
    """Only a change (本年增/减) may be negative: a minus sign elsewhere starts no number."""
    return all(not (isinstance(v, int | float) and v < 0) or may_be_negative(c) for c, v in cand.values.items())


def _words(cell: GridCell) -> Iterator[GridCell]:
    for m in re.finditer(r"\S+", cell.text):
        yield GridCell(m.group(), cell.start + m.start(), cell.start + m.end())


def _cell(chars: Sequence[tuple[str, int]], i: int, j: int) -> GridCell:
    return GridCell("".join(ch for ch, _ in chars[i:j]), chars[i][1], chars[j - 1][1] + 1)


def _plausibility(cand: Candidate) -> tuple[float, float, tuple[float, ...]]:
    """Among splits the arithmetic cannot tell apart, the most typical first: each number weighed by
    the size its column usually has (``template.TYPICAL_SIZE``; 1 elsewhere), then the smallest
    largest number (5, 7, 19 before 57, 1, 9)."""
    numbers = tuple(abs(float(v)) for v in cand.values.values() if isinstance(v, int | float))
    unlikely = sum(math.log1p(abs(float(v)) / TYPICAL_SIZE.get(c.rsplit(".", 1)[-1], 1))
                   for c, v in cand.values.items() if isinstance(v, int | float))
    return (unlikely, max(numbers, default=0.0), numbers)


def _splits(text: str, shape: Shape, *, check_totals: bool) -> Iterator[list[tuple[int, int]]]:
    """Bounds of the numbers, group by group, every group's 总计 adding up when asked."""

    def groups(pos: int, g: int, acc: tuple[tuple[int, int], ...]) -> Iterator[list[tuple[int, int]]]:
        if g == len(shape.groups):
            if pos == len(text):
                yield list(acc)
            return
        size = shape.groups[g]
        later = sum(shape.groups[g + 1:])
        total = shape.totals and check_totals
        if total and not later and text.isdigit() and text.isascii():
            yield from (list(acc + parts) for parts in _last_group(text, pos, size - 1))
            return
        for parts, want in _parts(text, pos, size - 1 if total else size, later + (1 if total else 0), (), 0):
            end = parts[-1][1] if parts else pos
            if total:
                digits = _show(want)
                if not text.startswith(digits, end):
                    continue
                parts = (*parts, (end, end + len(digits)))
                end += len(digits)
            yield from groups(end, g + 1, acc + parts)

    yield from groups(0, 0, ())


def _last_group(text: str, pos: int, count: int) -> Iterator[tuple[tuple[int, int], ...]]:
    """The splits of a row's last group when its 总计 ends the run and the run is plain digits: the 总计
    is then the digits after the parts, so each place it may start gives the sum the parts must make,
    and a part larger than what is left of that sum ends the branch. The same splits as ``_parts``
    with the check of the sum, found without weighing the splits that overshoot (order aside: each
    split of plain digits reads as different numbers, so the caller's ranking is the same)."""
    for start in range(pos + count, len(text)):
        digits = text[start:]
        if digits[0] == "0" and digits != "0":
            continue
        for parts in _summing(text, pos, start, count, int(digits), ()):
            yield (*parts, (start, len(text)))


def _summing(text: str, pos: int, stop: int, count: int, want: int,
             acc: tuple[tuple[int, int], ...]) -> Iterator[tuple[tuple[int, int], ...]]:
    """Ways to cut ``text[pos:stop]`` into ``count`` numbers (as ``_parts`` cuts them) adding up to ``want``."""
    if count == 0:
        if pos == stop and want == 0:
            yield acc
        return
    if stop - pos < count:
        return
    if count == 1:  # the last part is what is left
        piece = text[pos:stop]
        if len(piece) <= MAX_DIGITS + 2 and (piece[0] != "0" or piece == "0") and int(piece) == want:
            yield (*acc, (pos, stop))
        return
    if text[pos] == "0":  # a number starting with 0 is 0
        yield from _summing(text, pos + 1, stop, count - 1, want, (*acc, (pos, pos + 1)))
        return
    for length in range(1, min(stop - pos - (count - 1), MAX_DIGITS + 2) + 1):
        value = int(text[pos:pos + length])
        if value > want:
            break
        yield from _summing(text, pos + length, stop, count - 1, want - value, (*acc, (pos, pos + length)))


_BREAK = math.inf
"""``_piece``'s answer for a piece that starts with 0 and is not 0: no longer piece is a number either."""


def _parts(text: str, pos: int, count: int, after: int, acc: tuple[tuple[int, int], ...],
           total: float) -> Iterator[tuple[tuple[tuple[int, int], ...], float]]:
    """Ways to cut ``count`` numbers from ``pos``, leaving room for ``after`` more (one char each), each
    with the sum of every number cut (``total`` carried in, added left to right)."""
    if count == 0:
        yield acc, total
        return
    room = len(text) - pos - after
    for length in range(1, min(room - (count - 1), MAX_DIGITS + 2) + 1):
        value = _piece(text[pos:pos + length])
        if value is None:
            continue
        if value is _BREAK:
            break
        yield from _parts(text, pos + length, count - 1, after, (*acc, (pos, pos + length)), total + value)


@lru_cache(maxsize=65536)  # pieces of digit runs repeat ("0", "1", "12"): most lookups are hits
def _piece(piece: str) -> float | None:
    """A piece's value as a number of the run; None when it is not one, ``_BREAK`` when no longer piece
    from the same place is one."""
    if not _PART.fullmatch(piece):
        digits = piece.lstrip("-+增减")
        if digits[:1] == "0" and digits != "0" and not digits.startswith("0."):
            return _BREAK
        return None
    return float(parse_value(piece) or 0)


def _show(x: float) -> str:
    """A group's sum as the report prints it (an integer without a point)."""
    return str(int(x)) if float(x).is_integer() else repr(round(x, 6))
