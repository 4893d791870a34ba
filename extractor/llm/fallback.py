"""The LLM fallback: which tables go to the model, and how its answer joins the rule cells.

A table is routed when its rows cannot be mapped, an identity fails, rows are
missing or alignment is ambiguous (or always, with ``--llm force``). Only that
table's section is sent. The answer is evidence to be checked, not truth:
each number must be found near its row label (else ``not_in_source`` and it
fills nothing), disagreements with the rules are flagged ``llm_disagrees``
with both values kept, and the merged table is validated again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..document import GridCell
from ..parse.draft import Draft
from ..records import Alignment, Flag, Method, Value
from .client import TableReply, TableRequest
from .ground import ground_table
from .prompts import load_prompt
from .schemas import SCHEMA_VERSION, reply_values, row_layout
from .text import compact

if TYPE_CHECKING:
    from .gaps import Gap

ROUTING_FLAGS = {Flag.CHECKSUM_FAILED, Flag.AMBIGUOUS_ALIGNMENT, Flag.MISSING_IN_SOURCE,
                 Flag.EXTRA_VALUES, Flag.SECTION_HEADING_MISSING, Flag.BLANK_TABLE}
_RESOLVABLE = {Flag.AMBIGUOUS_ALIGNMENT, Flag.EXTRA_VALUES}


@dataclass
class TablePlan:
    table: str
    reason: str
    start: int
    end: int
    request: TableRequest
    gap: Gap | None = None
    """A gap question (``gaps.py``); None: the whole table is asked."""


@dataclass
class MergeReport:
    filled: int = 0
    agreed: int = 0
    disagreed: int = 0
    ungrounded: int = 0
    notes: list[str] = field(default_factory=list)


def table_cells(table: str, edition: str) -> list[str]:
    return [c for cells in row_layout(table, edition).values() for c in cells]


def route(drafts: Mapping[str, Draft], edition: str, force: bool) -> dict[str, str]:
    """Table → why it goes to the LLM whole: every table with ``--llm force``; otherwise only
    section 三 when the rules read none of it (other gaps are asked as gap questions, ``gaps.py``)."""
    out: dict[str, str] = {}
    for table in ("t2", "t3", "t4"):
        cells = [drafts[c] for c in table_cells(table, edition) if c in drafts]
        if force:
            out[table] = "forced"
            continue
        flags = {f for d in cells for f in d.flags} & ROUTING_FLAGS
        if flags and table == "t3" and all(d.value is None for d in cells) \
                and not any(Flag.TRUNCATED in d.flags for d in cells):
            out[table] = ", ".join(sorted(f.value for f in flags))
    return out


def build_request(document: str, table: str, edition: str, section_text: str, *, endpoint: str,
                  model: str, prompt_version: str, max_reasks: int) -> TableRequest:
    prompt = load_prompt(table, prompt_version)
    section_text = compact(section_text)
    return TableRequest(document=document, table=table, edition=edition, section_text=section_text,
                        endpoint=endpoint, model=model, prompt_id=prompt.id,
                        prompt_version=prompt.version, schema_version=SCHEMA_VERSION,
                        messages=prompt.render(table, edition, section_text), max_reasks=max_reasks)


def merge(drafts: dict[str, Draft], plan: TablePlan, reply: TableReply, text: str, edition: str,
          force: bool) -> MergeReport:
    """Join one table's LLM answer into the drafts (in place)."""
    report = MergeReport()
    table = plan.table
    prompt = plan.request.prompt
    model_values = reply_values(_Rows(reply.rows), table, edition)
    grounding = ground_table(table, edition, text, plan.start, plan.end, model_values)
    for cell in table_cells(table, edition):
        rule = drafts.get(cell) or Draft(value=None, alignment=Alignment.ABSENT)
        if cell not in model_values:
            if force:
                drafts[cell] = _llm_draft(None, rule, prompt, None, {Flag.MISSING_IN_SOURCE})
                if rule.value is not None:
                    _disagree(drafts[cell], rule.value, None)
                    report.disagreed += 1
            continue
        llm_value = model_values[cell]
        g = grounding.get(cell)
        grounded = bool(g and g.found)
        same = _same(rule.value, llm_value)
        if force:
            if g is not None and g.label is None and not grounded:
                # the row is not in the text at all: the number comes from nowhere and stays out
                new = _llm_draft(None, rule, prompt, None, {Flag.MISSING_IN_SOURCE, Flag.NOT_IN_SOURCE})
                new.alternatives = {"rule": rule.value, "llm": llm_value}
                new.note = f"the row is not in the text; the LLM ({prompt}) gave {llm_value}"
                drafts[cell] = new
                report.ungrounded += 1
                continue
            new = _llm_draft(llm_value, rule, prompt, g.token if g else None,
                             set() if grounded else {Flag.NOT_IN_SOURCE})
            if not same:
                _disagree(new, rule.value, llm_value)
                report.disagreed += 1
            else:  # the rules' doubts stand unless a table that adds up settles a placement
                settled = _RESOLVABLE if grounded and reply.valid else set()
                new.flags |= rule.flags - settled - {Flag.DERIVED_TOTAL}
            drafts[cell] = new
            report.ungrounded += not grounded
            continue
        if same:
            report.agreed += 1
            if grounded and reply.valid and rule.flags and rule.flags <= _RESOLVABLE:
                rule.flags.clear()
                rule.alignment = Alignment.SOLVED
                rule.note = f"placement confirmed by the LLM ({prompt}), whose table adds up"
            continue
        if not grounded:
            report.ungrounded += 1
            rule.note = _join(rule.note, f"the LLM ({prompt}) proposed {llm_value}, not found in the text")
            continue
        if rule.value is None:
            drafts[cell] = _llm_draft(llm_value, rule, prompt, g.token if g else None, set())
            report.filled += 1
            continue
        report.disagreed += 1
        if rule.flags and reply.valid:
            new = _llm_draft(llm_value, rule, prompt, g.token if g else None, set())
            _disagree(new, rule.value, llm_value)
            drafts[cell] = new
        else:
            _disagree(rule, rule.value, llm_value)
    return report


class _Rows:
    """Adapter: a reply's rows dict read like a reply model."""
    def __init__(self, rows: Mapping[str, list[float] | None]):
        self._rows = rows

    def __getattr__(self, name: str) -> list[float] | None:
        return self._rows.get(name)


def _llm_draft(value: Value, rule: Draft, prompt: str, token: object, flags: set[Flag]) -> Draft:
    d = Draft(value=value, method=Method.LLM, alignment=Alignment.LLM, flags=set(flags),
              token=token if isinstance(token, GridCell) else None, label=rule.label)
    d.prompt = prompt
    if Flag.NOT_IN_SOURCE in flags:
        d.note = f"the LLM ({prompt}) gave {value}, which is not found near the row label"
    return d


def _disagree(d: Draft, rule_value: Value, llm_value: Value) -> None:
    d.flags.add(Flag.LLM_DISAGREES)
    d.alternatives = {"rule": rule_value, "llm": llm_value}
    d.note = _join(d.note, f"rule path read {rule_value}, the LLM {llm_value}")


def _same(a: Value, b: Value) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) < 1e-6
    return a == b


def _join(a: str | None, b: str) -> str:
    return f"{a}; {b}" if a else b
