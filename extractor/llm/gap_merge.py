"""A gap answer joins the drafts only as far as the text and the identities bear it out.

- Every number must stand as a cell of its own in the question's window, in a
  token no read cell already took (a neighbour's row copied is not an answer);
  a 0 needs a "0" there or a grounded number beside it (blanks read as 0). A
  row with one number not found fills nothing.
- An answer whose identities still failed after its re-ask fills nothing.
- A filled cell that no identity reaching beyond its own row confirms is
  flagged ``llm_unconfirmed``; so is a pick the identities do not single out.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..document import GridCell
from ..identities import check_all
from ..parse.draft import Draft
from ..records import Alignment, Flag, Method, Value
from ..template import is_amount
from ..values import parse_value
from .client import TableReply
from .gaps import CELL_NUMBER, Gap
from .schemas import reply_values, row_layout


@dataclass
class GapReport:
    filled: int = 0
    unconfirmed: int = 0
    rejected: str | None = None
    """Why nothing was filled, if so."""


def merge_gap(drafts: dict[str, Draft], gap: Gap, reply: TableReply, text: str, edition: str,
              prompt: str) -> GapReport:
    """Join one gap's answer into the drafts (in place)."""
    if gap.kind == "pick":
        return _merge_pick(drafts, gap, reply, edition, prompt)
    if gap.kind == "line":
        return _merge_line(drafts, gap, reply, edition, prompt)
    report = GapReport()
    if not reply.valid:
        report.rejected = "its numbers still broke an identity after the re-ask"
        return report
    answer = reply_values(_Rows(reply.rows), gap.table, edition)
    claimed = {d.token.start for d in drafts.values() if d.token is not None and d.value is not None}
    layout = row_layout(gap.table, edition)
    placed: dict[str, tuple[Value, GridCell | None]] = {}
    for key in gap.rows:
        row = [c for c in layout[key] if c in answer]
        if not row:
            continue
        tokens = _ground_row(text, gap.start, gap.end, [(c, answer[c]) for c in row], claimed)
        if tokens is None:
            report.rejected = f"a number of {key} is not in the text"
            continue
        claimed |= {t.start for t in tokens.values() if t is not None}
        placed.update({c: (answer[c], tokens[c]) for c in row if c in gap.fill})
    for cell, (value, token) in placed.items():
        rule = drafts.get(cell) or Draft(value=None)
        d = Draft(value=value, method=Method.LLM, alignment=Alignment.LLM, token=token, label=rule.label,
                  prompt=prompt, note=f"filled by the LLM ({prompt}): {gap.reason}")
        if rule.value is not None:
            d.alternatives = {"rule": rule.value, "llm": value}
        drafts[cell] = d
        report.filled += 1
    report.unconfirmed = _confirm(drafts, set(placed), gap, edition)
    if not placed and report.rejected is None:
        report.rejected = "the model found no such row in the text"
    return report


def _choice(gap: Gap, reply: TableReply, report: GapReport) -> int:
    """The reading picked (1…), or 0 with why in ``report``."""
    choice = (reply.rows.get("choice") or [0])[0]
    if not isinstance(choice, int | float) or not 1 <= int(choice) <= len(gap.readings):
        report.rejected = "the model picked none" if choice == 0 else f"no reading {choice}"
        return 0
    return int(choice)


def _merge_line(drafts: dict[str, Draft], gap: Gap, reply: TableReply, edition: str,
                prompt: str) -> GapReport:
    """The line picked fills the row: its numbers are in the text by construction; identities confirm."""
    report = GapReport()
    choice = _choice(gap, reply, report)
    if not choice:
        return report
    values = dict(gap.readings[choice - 1])
    if _breaks(_trusted(drafts) | values, set(values), edition):
        report.rejected = f"line {choice} breaks an identity"
        return report
    for (cell, value), token in zip(gap.readings[choice - 1], gap.tokens[choice - 1], strict=True):
        rule = drafts.get(cell) or Draft(value=None)
        drafts[cell] = Draft(value=value, method=Method.LLM, alignment=Alignment.LLM, token=token,
                             label=rule.label, prompt=prompt,
                             note=f"line {choice} of {len(gap.readings)} in the window, picked by the LLM ({prompt})")
        report.filled += 1
    report.unconfirmed = _confirm(drafts, set(values), gap, edition)
    return report


def _merge_pick(drafts: dict[str, Draft], gap: Gap, reply: TableReply, edition: str,
                prompt: str) -> GapReport:
    report = GapReport()
    choice = _choice(gap, reply, report)
    if not choice:
        return report
    picked = dict(gap.readings[int(choice) - 1])
    values = _trusted(drafts)
    fitting = [n for n, r in enumerate(gap.readings, 1) if not _breaks(values | dict(r), set(dict(r)), edition)]
    single = fitting == [int(choice)]
    for cell, value in picked.items():
        d = drafts[cell]
        if Flag.AMBIGUOUS_ALIGNMENT not in d.flags and all(dict(r).get(cell) == value for r in gap.readings):
            continue  # a cell every reading gives alike was read, not picked
        d.value, d.method, d.prompt = value, Method.LLM, prompt
        d.flags.discard(Flag.AMBIGUOUS_ALIGNMENT)
        d.alignment = Alignment.LLM
        d.note = f"reading {int(choice)} of {len(gap.readings)}, picked by the LLM ({prompt})"
        if not single:
            d.flags.add(Flag.LLM_UNCONFIRMED)
            d.note += "; the identities do not rule out the others"
            report.unconfirmed += 1
        report.filled += 1
    return report


def _ground_row(text: str, start: int, end: int, row: list[tuple[str, Value]],
                claimed: set[int]) -> dict[str, GridCell | None] | None:
    """Each number's token in the window (each token used once), or None if one is not there."""
    used = set(claimed)
    out: dict[str, GridCell | None] = {}
    zeros: list[str] = []
    for cell, value in row:
        if not isinstance(value, int | float):
            return None
        if value == 0:
            zeros.append(cell)
            continue
        token = _find(text, start, end, value, is_amount(cell), used)
        if token is None:
            return None
        used.add(token.start)
        out[cell] = token
    for cell in zeros:
        token = _find(text, start, end, 0, is_amount(cell), used)
        if token is None and not out:
            return None  # a row of zeros with no "0" in the text: nothing bears it out
        if token is not None:
            used.add(token.start)
        out[cell] = token
    return out


def _find(text: str, start: int, end: int, value: float, amount: bool, used: set[int]) -> GridCell | None:
    for m in CELL_NUMBER.finditer(text, start, end):
        if m.start() in used:
            continue
        try:
            v = parse_value(m.group(0), amount=amount)
        except ValueError:
            continue
        if v is not None and abs(float(v) - float(value)) < 1e-6:
            s = m.group(0).strip()
            return GridCell(s, m.start(), m.start() + len(s))
    return None


def _confirm(drafts: dict[str, Draft], filled: set[str], gap: Gap, edition: str) -> int:
    """Flag ``llm_unconfirmed`` on each filled cell no identity beyond its own row holds for."""
    if not filled:
        return 0
    layout = row_layout(gap.table, edition)
    own = {c for key in gap.rows for c in layout[key]}
    values = _trusted(drafts) | {c: drafts[c].value for c in filled}
    results = check_all(edition, values)
    count = 0
    for cell in filled:
        mine = [r for r in results if cell in r.identity.cells]
        confirmed = (not any(r.holds is False for r in mine)
                     and any(r.holds and set(r.identity.cells) - own for r in mine))
        if not confirmed:
            drafts[cell].flags.add(Flag.LLM_UNCONFIRMED)
            drafts[cell].note = f"{drafts[cell].note}; no identity confirms it"
            count += 1
    return count


def _trusted(drafts: dict[str, Draft]) -> dict[str, Value]:
    """The values an identity may confirm with: cells with no doubt on them (a derived 总计 is the
    sum of its row, no doubt about the others); a doubtful one counts as unknown."""
    return {c: d.value for c, d in drafts.items() if not d.flags - {Flag.DERIVED_TOTAL}}


def _breaks(values: dict[str, Value], cells: set[str], edition: str) -> bool:
    return any(r.holds is False and cells & set(r.identity.cells) for r in check_all(edition, values))


class _Rows:
    def __init__(self, rows: dict[str, list[float] | None]):
        self._rows = rows

    def __getattr__(self, name: str) -> list[float] | None:
        return self._rows.get(name)
