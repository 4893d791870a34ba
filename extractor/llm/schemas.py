"""The reply models: one pydantic model per table and edition, built from the template.

A table's reply has one field per template row holding that row's numbers in
column order, or null when the row is not in the text. The strict variant
checks the table's arithmetic, so that instructor re-asks quoting the exact
identity that failed; the lenient one only checks the shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, create_model, model_validator

from ..identities import check_all
from ..records import Value
from ..template import T2_ROWS, T3_COLUMNS, T4_COLUMNS, T4_GROUPS, cell_specs, t3_rows

SCHEMA_VERSION = "1"

_COL_ZH = {"natural_person": "自然人", "commercial": "商业企业", "research": "科研机构",
           "social_welfare": "社会公益组织", "legal_service": "法律服务机构", "other_org": "其他",
           "total": "总计", "upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果",
           "pending": "尚未审结"}


def row_layout(table: str, edition: str) -> dict[str, tuple[str, ...]]:
    """Row key → the cell ids of its columns, in order, for one table of an edition."""
    if table == "t2":
        return {r.key: tuple(r.cell(c) for c in r.columns) for r in T2_ROWS[edition]}
    if table == "t3":
        return {r.key: tuple(r.cell(c) for c in T3_COLUMNS) for r in t3_rows(edition)}
    return {g: tuple(f"t4.{g}.{c}" for c in T4_COLUMNS) for g in T4_GROUPS}


def short_label(cells: tuple[str, ...]) -> str:
    """The row's own label (the last part of its path), as the schema's field description."""
    return cell_specs()[cells[0]].row_zh.split(" / ")[-1]


def describe_row(cells: tuple[str, ...]) -> str:
    spec = cell_specs()[cells[0]]
    cols = [cell_specs()[c].col_zh.split(" / ")[-1] or _COL_ZH.get(c.rsplit(".", 1)[1], "")
            for c in cells]
    unit = "; amounts in 万元" if any(cell_specs()[c].unit == "万元" for c in cells) else ""
    return f"{spec.row_zh}: [{', '.join(cols)}]{unit}; null if this row is not in the text"


class _Reply(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def rows(self) -> dict[str, list[float] | None]:
        return {k: v for k, v in self.__dict__.items()}


def _check_identities(self: Any, info: ValidationInfo) -> Any:
    context = info.context or {}
    if not context.get("check_identities"):
        return self
    table, edition = context["table"], context["edition"]
    values = reply_values(self, table, edition)
    failing = [r.describe() for r in check_all(edition, values)
               if r.holds is False and all(c in values for c in r.identity.cells)]
    if failing:
        raise ValueError("the table's arithmetic does not hold: " + "; ".join(failing[:6])
                         + ". Re-read the text: copy each number from its own row and column.")
    return self


@cache
def reply_model(table: str, edition: str, strict: bool) -> type[BaseModel]:
    """The response model for one table of one edition."""
    fields: dict[str, Any] = {}
    for key, cells in row_layout(table, edition).items():
        numeric = float if any(cell_specs()[c].type == "decimal" for c in cells) else int
        fields[key] = (list[numeric] | None,  # type: ignore[valid-type]
                       Field(default=None, min_length=len(cells), max_length=len(cells),
                             description=short_label(cells)))
    validators: dict[str, Any] = (
        {"identities": model_validator(mode="after")(_check_identities)} if strict else {})
    name = f"Table{table[1:]}Edition{edition}{'Checked' if strict else ''}"
    model: type[BaseModel] = create_model(name, __base__=_Reply, __validators__=validators, **fields)
    return model


def reply_values(reply: object, table: str, edition: str) -> dict[str, Value]:
    """Cell id → value from a reply; rows the reply gives as null are left out."""
    out: dict[str, Value] = {}
    for key, cells in row_layout(table, edition).items():
        row = getattr(reply, key, None)
        if row is None:
            continue
        for cell, v in zip(cells, row, strict=True):
            out[cell] = int(v) if isinstance(v, float) and v.is_integer() and cell_specs()[cell].type == "int" else v
    return out


@cache
def gap_model(table: str, edition: str, rows: tuple[str, ...], choices: int = 0) -> type[BaseModel]:
    """A gap question's answer, as short as it can be (a small model on a CPU writes a few tokens a
    second): ``choice``, the number (1…choices, 0 for none) of the reading or line the text
    supports; ``v``, one row's numbers in column order; or, for several rows, one field per row."""
    if choices:
        # an enum, which a server's grammar enforces (a range it may not)
        return create_model("GapChoice", __base__=_Reply,
                            choice=(Literal[tuple(range(choices + 1))], ...))  # type: ignore[arg-type]
    layout = row_layout(table, edition)
    fields: dict[str, Any] = {}
    for key in rows:
        cells = layout[key]
        numeric = float if any(cell_specs()[c].type == "decimal" for c in cells) else int
        kind = list[numeric] if len(rows) == 1 else list[numeric] | None  # type: ignore[valid-type]
        fields["v" if len(rows) == 1 else key] = (kind, Field(min_length=len(cells), max_length=len(cells)))
    model: type[BaseModel] = create_model(f"Gap{table[1:]}", __base__=_Reply, **fields)
    return model


def gap_rows(rows: tuple[str, ...], answer: dict[str, Any]) -> dict[str, Any]:
    """A gap answer keyed by row (a one-row answer's ``v`` is that row)."""
    return {rows[0]: answer["v"]} if len(rows) == 1 and "v" in answer else answer


def gap_failures(table: str, edition: str, answer: dict[str, Any], known: Mapping[str, Value]) -> list[str]:
    """The identities the answer breaks, with the rule path's other values of the table."""
    values = dict(known)
    values.update(reply_values(_Rows(answer), table, edition))
    asked = set(reply_values(_Rows(answer), table, edition))
    return [r.describe() for r in check_all(edition, values)
            if r.holds is False and asked & set(r.identity.cells)]


class _Rows:
    def __init__(self, rows: dict[str, Any]):
        self._rows = rows

    def __getattr__(self, name: str) -> Any:
        return self._rows.get(name)
