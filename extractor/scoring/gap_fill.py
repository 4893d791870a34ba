"""What the LLM's gap answers add: the gaps the rules left whose answer the golden knows, and what
became of each — filled right, filled wrong (caught by a flag, or silent), or left alone.

A gap is a cell of tables 二–四 that a gap answer filled (its ``prompt`` is ``gap@…``) or that is
still null or flagged as the rules leave a gap (missing, ambiguous, derived); cells the text ends
before (``truncated``) are not gaps the text can close, nor are cells whose golden value is null.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict

from ..records import Flag, Record
from .goldens import Golden
from .match import values_equal

GAP_FLAGS = frozenset(f.value for f in (
    Flag.MISSING_IN_SOURCE, Flag.AMBIGUOUS_ALIGNMENT, Flag.DERIVED_TOTAL, Flag.EXTRA_VALUES,
    Flag.LLM_UNCONFIRMED, Flag.LLM_FAILED, Flag.LLM_SKIPPED))
"""A cell flagged so was a gap of the rules (the LLM may have filled it since): named by the enum, so a
renamed flag cannot silently drop out of the count."""


class GapFill(BaseModel):
    """Gap cells of a configuration's records, and what the LLM cost per filled one."""

    model_config = ConfigDict(extra="forbid")

    gaps: int = 0
    filled_right: int = 0
    filled_right_unconfirmed: int = 0
    """Of those right, how many still carry ``llm_unconfirmed`` (they stay in the review queue)."""
    filled_wrong_caught: int = 0
    filled_wrong_silent: int = 0
    left_alone: int = 0
    fill_rate: float | None = None
    """filled right / gaps."""
    questions: int = 0
    """Gap questions asked (the records' notes)."""
    seconds_per_question: float | None = None
    seconds_per_filled: float | None = None
    tokens_per_filled: float | None = None


def gap_fill(records: Sequence[Record], goldens: Mapping[str, Golden]) -> GapFill:
    out = GapFill()
    for record in records:
        golden = goldens.get(record.document)
        if golden is None:
            continue
        out.questions += sum(1 for n in record.notes if n.startswith("LLM ") and "(gap " in n)
        for cell_id, want in golden.cells.items():
            cell = record.cells.get(cell_id)
            if cell is None or want is None or cell_id[:2] not in ("t2", "t3", "t4") or "truncated" in cell.flags:
                continue
            by_gap = (cell.prompt or "").startswith("gap@")
            if not by_gap and cell.value is not None and not set(cell.flags) & GAP_FLAGS:
                continue
            out.gaps += 1
            if not by_gap:
                out.left_alone += 1
            elif values_equal(cell_id, cell.value, want):
                out.filled_right += 1
                out.filled_right_unconfirmed += "llm_unconfirmed" in cell.flags
            elif cell.flags:
                out.filled_wrong_caught += 1
            else:
                out.filled_wrong_silent += 1
    usage = [r.usage for r in records if r.usage is not None and r.document in goldens]
    seconds = sum(u.latency_s for u in usage)
    tokens = sum(u.input_tokens + u.output_tokens for u in usage)
    out.fill_rate = out.filled_right / out.gaps if out.gaps else None
    out.seconds_per_question = seconds / out.questions if out.questions else None
    filled = out.filled_right + out.filled_wrong_caught + out.filled_wrong_silent
    if filled:
        out.seconds_per_filled = seconds / filled
        out.tokens_per_filled = tokens / filled
    return out
